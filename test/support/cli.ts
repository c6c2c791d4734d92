/** Running the `leadflow` command in tests: in-process with captured output, or as a real child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/program';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A fresh state directory for `LEADFLOW_HOME`, so tests never share `.leadflow/dev.json`. */
export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'leadflow-home-'));
}

/** Runs the CLI in this process and captures what it wrote. */
export async function runCliCaptured(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

/** Spawns `node bin/leadflow.js ...` with its own state directory; output is collected on the result. */
export function spawnCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: { stdout: string; stderr: string } } {
  const output = { stdout: '', stderr: '' };
  const child = spawn(process.execPath, ['bin/leadflow.js', ...argv], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (output.stdout += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (output.stderr += t));
  return { child, output };
}

/** Resolves with the exit code (or signal name) of a child process. */
export function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}
