/**
 * Child processes that cannot be orphaned.
 *
 * Every long-running helper process (moto today) is started through `watchdog.mjs`, a tiny Node
 * script that owns the real child and kills its process group as soon as this process is gone:
 * its stdin pipe closes when we exit or are SIGKILLed, and it also polls our PID. On top of that,
 * this module kills what is still running from a synchronous `exit` hook, and `stop()` is the
 * orderly path. Graceful stop on SIGINT/SIGTERM is the CLI's job (it calls `stop()`); without a
 * handler, Node's default for those signals is to exit, which the watchdog notices like any death.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How a guarded child ended. `code`/`signal` are the child's own, when the watchdog reported them. */
export interface GuardedExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A child process run under a watchdog. */
export interface GuardedProcess {
  /** PID of the guarded child itself (e.g. moto), also its process group id. */
  readonly pid: number;
  /** PID of the watchdog that owns it. */
  readonly watchdogPid: number;
  /** Resolves once the child and its watchdog are gone, whatever the reason. */
  readonly exited: Promise<GuardedExit>;
  /** Last few kilobytes of the child's stdout and stderr, for error messages. */
  stderrTail(): string;
  /** Stops the child (SIGTERM, SIGKILL after a grace period) and resolves when it is gone. */
  stop(): Promise<void>;
}

export interface SpawnGuardedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Bytes of output kept for {@link GuardedProcess.stderrTail}. */
  tailBytes?: number;
}

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));
const STOP_TIMEOUT_MS = 6000;

const live = new Set<{ pid: number; watchdog: ChildProcess }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // `exit` handlers must be synchronous: signal now, the watchdog finishes the job after we are gone.
  process.on('exit', () => {
    for (const entry of live) {
      killQuietly(-entry.pid, 'SIGTERM');
      killQuietly(entry.watchdog.pid, 'SIGTERM');
    }
  });
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function unrefStream(stream: unknown): void {
  (stream as { unref?: () => void } | null)?.unref?.();
}

/**
 * Spawns `command` under a watchdog so it dies with this process, even if this process is SIGKILLed.
 * Resolves once the child is running; rejects if it could not be spawned.
 */
export async function spawnGuarded(command: string, args: readonly string[], options: SpawnGuardedOptions = {}): Promise<GuardedProcess> {
  installExitHook();
  const tailBytes = options.tailBytes ?? 8192;
  let tail = '';
  const watchdog = spawn(process.execPath, [WATCHDOG, String(process.pid), '--', command, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    // Own session: a Ctrl-C in our terminal must reach us, not the watchdog, so we can stop in order.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Neither the watchdog nor its pipes keep this process alive: if the owner forgets to stop it,
  // we exit normally and the watchdog cleans up.
  watchdog.unref();
  unrefStream(watchdog.stdin);
  unrefStream(watchdog.stdout);
  unrefStream(watchdog.stderr);
  watchdog.stdin?.on('error', () => {});

  watchdog.stderr?.setEncoding('utf8');
  watchdog.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-tailBytes);
  });

  let childExit: GuardedExit | undefined;
  let childPid: number | undefined;
  let resolvePid!: (pid: number) => void;
  let rejectPid!: (error: Error) => void;
  const pidPromise = new Promise<number>((resolve, reject) => {
    resolvePid = resolve;
    rejectPid = reject;
  });

  let buffered = '';
  watchdog.stdout?.setEncoding('utf8');
  watchdog.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let message: { pid?: number; error?: string; exit?: GuardedExit };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        continue;
      }
      if (typeof message.pid === 'number') {
        childPid = message.pid;
        resolvePid(message.pid);
      }
      if (message.error) rejectPid(new Error(`could not start ${command}: ${message.error}`));
      if (message.exit) childExit = message.exit;
    }
  });

  const watchdogExited = new Promise<GuardedExit>((resolve) => {
    watchdog.once('exit', (code, signal) => {
      rejectPid(new Error(`watchdog for ${command} exited (${signal ?? code}) before starting it:\n${tail}`));
      // The watchdog always reports its child's exit before leaving; without that report it was
      // killed itself, and its child would be an orphan: take the child's group down from here.
      if (!childExit && childPid !== undefined) killQuietly(-childPid, 'SIGKILL');
      resolve(childExit ?? { code, signal });
    });
    watchdog.once('error', (error) => {
      rejectPid(error);
      resolve({ code: null, signal: null });
    });
  });

  // The watchdog and its pipes are unref'd, so something must hold the event loop open while we wait.
  const startTimer = setTimeout(() => rejectPid(new Error(`watchdog for ${command} did not report within 10 s:\n${tail}`)), 10_000);
  let pid: number;
  try {
    pid = await pidPromise;
  } catch (error) {
    killQuietly(watchdog.pid, 'SIGTERM');
    throw error;
  } finally {
    clearTimeout(startTimer);
  }
  const entry = { pid, watchdog };
  live.add(entry);
  const exited = watchdogExited.then((exit) => {
    live.delete(entry);
    return exit;
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
      watchdog.stdin?.end('stop\n');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, STOP_TIMEOUT_MS, 'timeout');
      });
      const outcome = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // The watchdog itself is stuck: do its job and take it down too.
        killQuietly(-pid, 'SIGKILL');
        killQuietly(watchdog.pid, 'SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  return {
    pid,
    watchdogPid: watchdog.pid ?? -1,
    exited,
    stderrTail: () => tail,
    stop,
  };
}

/** True when a process with this PID exists (signal 0 probes without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
