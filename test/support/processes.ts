/** Process inspection for tests that check nothing is left running. */
import { execFileSync } from 'node:child_process';
import { isProcessAlive } from '../../local/process-guard';

export { isProcessAlive };

/** Command lines of running moto processes serving on `port` (watchdogs, whose arguments mention moto, excluded). */
export function motoProcessesOnPort(port: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => /moto/.test(line) && !/watchdog\.mjs/.test(line) && new RegExp(`-p ${port}(\\s|$)`).test(line));
}

/** True when `pid` is gone or a zombie (exited, not yet reaped by its parent). */
export function isGone(pid: number): boolean {
  if (!isProcessAlive(pid)) return true;
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return state === '' || state.startsWith('Z');
  } catch {
    return true;
  }
}
