// @ts-check
/**
 * Watchdog: runs one child process on behalf of a parent and makes sure the child never outlives it.
 *
 * Usage: node watchdog.mjs <parentPid> -- <command> [args...]
 *
 * Plain JavaScript on purpose: it must start without the tsx loader (fast, no resolution surprises)
 * and it is the piece that must not crash, so it depends on nothing but Node.
 *
 * The parent is gone when any of these happens, and then the child's whole process group is sent
 * SIGTERM, then SIGKILL after a grace period:
 *   - stdin (a pipe whose only writer is the parent) reaches end-of-file: the parent closed it or died,
 *     even by SIGKILL, because the kernel closes a dead process's descriptors;
 *   - the parent writes "stop" on stdin (orderly stop);
 *   - polling finds the parent PID gone or this process re-parented (belt and braces, in case the
 *     pipe's write end leaked into another process and stdin never closes);
 *   - this process receives SIGTERM, SIGINT or SIGHUP.
 *
 * Protocol on stdout (one JSON object per line): {"pid":N} once the child runs, {"error":"..."} if it
 * could not be spawned, {"exit":{"code":N,"signal":S}} when it ends. The child's own stdout and
 * stderr both go to this process's stderr so stdout stays a clean channel.
 */
import { spawn } from 'node:child_process';

const GRACE_MS = 3000;
const POLL_MS = 500;

const argv = process.argv.slice(2);
const parentPid = Number(argv[0]);
const command = argv[2];
const args = argv.slice(3);

// A parent that vanished makes writes fail with EPIPE; an unhandled stream error would crash the
// watchdog before it kills the child, which is exactly the orphan this script exists to prevent.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

/** @param {object} message */
function report(message) {
  try {
    process.stdout.write(`${JSON.stringify(message)}\n`);
  } catch {
    // the parent is gone; nobody to tell
  }
}

if (!Number.isInteger(parentPid) || parentPid <= 0 || argv[1] !== '--' || !command) {
  report({ error: 'usage: watchdog.mjs <parentPid> -- <command> [args...]' });
  process.exit(2);
}

// Its own process group (detached) so the whole group can be signalled, and so a Ctrl-C in the
// parent's terminal reaches the parent only: the parent then stops things in order.
const child = spawn(command, args, { detached: true, stdio: ['ignore', 2, 2] });

let stopping = false;
let childExited = false;

/** @param {NodeJS.Signals} signal */
function signalGroup(signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      process.kill(child.pid, signal);
    } catch {
      // already gone
    }
  }
}

function stop() {
  if (stopping) return;
  stopping = true;
  if (childExited || child.pid === undefined) process.exit(0);
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), GRACE_MS).unref();
}

child.on('error', (error) => {
  report({ error: error.message });
  process.exit(127);
});

child.on('spawn', () => report({ pid: child.pid }));

child.on('exit', (code, signal) => {
  childExited = true;
  // Sweep anything the child left in its group (workers, reloaders) before going.
  signalGroup('SIGKILL');
  report({ exit: { code, signal } });
  process.exit(stopping ? 0 : (code ?? 1));
});

process.stdin.on('data', (chunk) => {
  if (String(chunk).includes('stop')) stop();
});
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) process.on(signal, stop);

process.on('uncaughtException', () => {
  signalGroup('SIGKILL');
  process.exit(1);
});

function parentAlive() {
  if (process.ppid !== parentPid) return false;
  try {
    process.kill(parentPid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

setInterval(() => {
  if (!parentAlive()) stop();
}, POLL_MS);
