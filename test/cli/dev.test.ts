/**
 * `leadflow dev` as a real process: it must never leave moto (or anything else) running, whether it
 * is stopped with a signal or killed outright.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { findRunningDevStack, type DevStateDocument } from '../../local/dev-state';
import { exitOf, spawnCli, tempStateDir } from '../support/cli';
import { isGone, motoProcessesOnPort } from '../support/processes';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
const homes: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

async function startDev(): Promise<{ child: ChildProcess; home: string; state: DevStateDocument; output: { stdout: string; stderr: string } }> {
  const home = tempStateDir();
  homes.push(home);
  const { child, output } = spawnCli(['dev', '--json'], { LEADFLOW_HOME: home });
  children.push(child);
  const file = join(home, 'dev.json');
  await waitFor(() => output.stderr.includes('leadflow dev: ready') && existsSync(file), {
    timeoutMs: 25_000,
    what: `the dev stack to be ready (stderr so far: ${output.stderr.slice(-500)})`,
  });
  const state = JSON.parse(readFileSync(file, 'utf8')) as DevStateDocument;
  return { child, home, state, output };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

describe('leadflow dev', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops everything and removes dev.json on %s', async (signal) => {
    const { child, home, state, output } = await startDev();
    expect(state.pid).toBe(child.pid);
    const port = Number(new URL(state.endpoints.aws).port);
    expect(motoProcessesOnPort(port)).toHaveLength(1);
    expect(await answers(`${state.endpoints.adminUrl}/faults`)).toBe(true);
    expect(JSON.parse(output.stdout)).toMatchObject({ endpoints: state.endpoints, pid: child.pid });
    expect((await findRunningDevStack({ stateDir: home }))?.pid).toBe(child.pid);

    child.kill(signal);
    expect(await exitOf(child)).toBe(0);
    expect(isGone(state.processes.moto)).toBe(true);
    expect(isGone(state.processes.motoWatchdog)).toBe(true);
    expect(motoProcessesOnPort(port)).toEqual([]);
    expect(await answers(`${state.endpoints.adminUrl}/faults`)).toBe(false);
    expect(existsSync(join(home, 'dev.json'))).toBe(false);
    expect(output.stderr).toMatch(/dev stack stopped/);
  });

  it('leaves no moto behind when it is SIGKILLed (the watchdog takes moto down)', async () => {
    const { child, home, state } = await startDev();
    const port = Number(new URL(state.endpoints.aws).port);
    child.kill('SIGKILL');
    expect(await exitOf(child)).toBe('SIGKILL');
    await waitFor(() => isGone(state.processes.moto) && isGone(state.processes.motoWatchdog), {
      timeoutMs: 10_000,
      what: 'moto and its watchdog to be gone',
    });
    expect(motoProcessesOnPort(port)).toEqual([]);
    // The simulator ran inside the killed process.
    expect(await answers(`${state.endpoints.adminUrl}/faults`)).toBe(false);
    // The state file is left behind, but nobody mistakes it for a running stack.
    expect(existsSync(join(home, 'dev.json'))).toBe(true);
    expect(await findRunningDevStack({ stateDir: home })).toBeUndefined();
  });

  it('refuses to start a second dev stack on the same state directory', async () => {
    const { home, state } = await startDev();
    const second = spawnCli(['dev'], { LEADFLOW_HOME: home });
    children.push(second.child);
    expect(await exitOf(second.child)).toBe(1);
    expect(second.output.stderr).toMatch(/already running \(pid \d+/);
    expect(isGone(state.processes.moto)).toBe(false);
  });
});
