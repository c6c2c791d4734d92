import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findMotoCommands, MotoNotFoundError, startMoto } from '../../local/moto';
import { isGone, motoProcessesOnPort } from '../support/processes';
import { waitFor } from '../support/wait';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('startMoto', () => {
  it('starts moto on a free port, answers, resets and stops', async () => {
    const moto = await startMoto();
    try {
      expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
      const res = await fetch(`${moto.endpoint}/moto-api/`);
      expect(res.ok).toBe(true);
      await res.body?.cancel();
      await moto.reset();
      expect(motoProcessesOnPort(moto.port)).toHaveLength(1);
    } finally {
      await moto.stop();
    }
    expect(isGone(moto.pid)).toBe(true);
    expect(isGone(moto.watchdogPid)).toBe(true);
    expect(motoProcessesOnPort(moto.port)).toEqual([]);
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
    await moto.stop(); // a second stop is harmless
  });

  it('runs two at once on different ports', async () => {
    const [a, b] = await Promise.all([startMoto(), startMoto()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('is killed by its watchdog when the owning process is SIGKILLed', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', 'test/support/fixtures/moto-owner.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    owner.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const started = await waitFor(() => (out.includes('\n') ? (JSON.parse(out.split('\n')[0]!) as { pid: number; watchdogPid: number; port: number }) : undefined), {
      what: 'the fixture to start moto',
    });
    expect(isGone(started.pid)).toBe(false);
    owner.kill('SIGKILL');
    await waitFor(() => isGone(started.pid) && isGone(started.watchdogPid), { timeoutMs: 10_000, what: 'moto and its watchdog to go' });
    expect(motoProcessesOnPort(started.port)).toEqual([]);
  });
});

describe('finding moto', () => {
  const empty = { pathDirs: [], pyenvVersionsDirs: [], pythons: [] };

  it('fails clearly when MOTO_SERVER points nowhere', () => {
    expect(() => findMotoCommands({ ...empty, motoServerEnv: '/nonexistent/moto_server' })).toThrow(MotoNotFoundError);
    expect(() => findMotoCommands({ ...empty, motoServerEnv: '/nonexistent/moto_server' })).toThrow(/MOTO_SERVER.*\/nonexistent\/moto_server[\s\S]*pip install/);
  });

  it('says what it searched and how to fix it when nothing is found', async () => {
    await expect(startMoto({ search: { ...empty, pathDirs: ['/nonexistent/bin'] } })).rejects.toThrow(MotoNotFoundError);
    try {
      findMotoCommands({ ...empty, pathDirs: ['/nonexistent/bin'], pythons: ['/nonexistent/python3'] });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/MOTO_SERVER \(not set\)/);
      expect(message).toMatch(/PATH \(1 directories\)/);
      expect(message).toMatch(/python3 -m moto\.server/);
      expect(message).toMatch(/Set MOTO_SERVER|set MOTO_SERVER/);
      expect(message).toMatch(/moto\[server\]/);
    }
  });

  it('accepts an explicit MOTO_SERVER', () => {
    const found = findMotoCommands({ ...empty, motoServerEnv: '/root/.pyenv/versions/3.11.7/bin/moto_server' });
    expect(found).toEqual([{ source: 'MOTO_SERVER', command: '/root/.pyenv/versions/3.11.7/bin/moto_server', args: [] }]);
  });
});

describe('guarded processes', () => {
  it('takes moto down when its watchdog is killed outright', async () => {
    const moto = await startMoto();
    process.kill(moto.watchdogPid, 'SIGKILL');
    await moto.exited;
    await waitFor(() => isGone(moto.pid), { timeoutMs: 10_000, what: 'moto to be gone' });
    expect(motoProcessesOnPort(moto.port)).toEqual([]);
    await moto.stop();
  });
});
