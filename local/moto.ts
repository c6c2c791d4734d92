/**
 * Launcher for moto's server, the local stand-in for S3, SQS and DynamoDB.
 *
 * moto cannot be installed by the project (no PyPI access, no Debian package), so it is found in the
 * machine image and the launcher fails with a message that says where it looked and how to fix it.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnGuarded, type GuardedExit, type GuardedProcess } from './process-guard';

/** A running moto server. */
export interface MotoServer {
  /** e.g. `http://127.0.0.1:41234`; give it to the SDK as `AWS_ENDPOINT_URL` or `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** PID of the moto process (also its process group id). */
  readonly pid: number;
  /** PID of the watchdog that kills moto if this process dies. */
  readonly watchdogPid: number;
  /** How moto was found, e.g. `MOTO_SERVER` or `pyenv 3.11.7`. */
  readonly source: string;
  /** Resolves when moto has gone, expectedly or not. */
  readonly exited: Promise<GuardedExit>;
  /** Stops moto and resolves once it is gone. Safe to call twice. */
  stop(): Promise<void>;
  /** Wipes every resource in moto (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** The last lines moto wrote, for error messages. */
  stderrTail(): string;
}

/** Where to look for moto; {@link defaultMotoSearch} reads the environment. */
export interface MotoSearch {
  /** Value of `MOTO_SERVER`: an explicit path to the `moto_server` executable. */
  readonly motoServerEnv?: string | undefined;
  /** Directories searched for `moto_server`, like `PATH`. */
  readonly pathDirs: readonly string[];
  /** pyenv `versions` directories; each `<dir>/<version>/bin/moto_server` is tried. */
  readonly pyenvVersionsDirs: readonly string[];
  /** Python interpreters tried with `-m moto.server` when no executable is found. */
  readonly pythons: readonly string[];
}

/** One way to start moto. */
export interface MotoCommand {
  readonly source: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface StartMotoOptions {
  search?: MotoSearch;
  /** Fixed port; by default a free one is picked (and re-picked if another process grabs it first). */
  port?: number;
  /** How long to wait for `GET /moto-api/` to answer. */
  readyTimeoutMs?: number;
}

/** No usable moto was found; the message lists what was searched and how to fix it. */
export class MotoNotFoundError extends Error {
  override readonly name = 'MotoNotFoundError';
}

/** moto was found but did not come up; the message carries the tail of its output. */
export class MotoStartError extends Error {
  override readonly name = 'MotoStartError';
}

const HOST = '127.0.0.1';
const FIX =
  'Fix: set MOTO_SERVER to the path of a moto_server executable, or install moto into a Python 3.11 ' +
  "environment (e.g. `~/.pyenv/versions/3.11.x/bin/pip install 'moto[server]'`) and put its bin directory on PATH.";

/** The search list from the environment: `MOTO_SERVER`, `PATH`, pyenv's versions, pyenv's and PATH's pythons. */
export function defaultMotoSearch(env: NodeJS.ProcessEnv = process.env): MotoSearch {
  const pathDirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const pyenvVersionsDirs = [
    ...new Set([env.PYENV_ROOT ? join(env.PYENV_ROOT, 'versions') : undefined, join(homedir(), '.pyenv', 'versions')].filter(
      (d): d is string => Boolean(d),
    )),
  ];
  const pythons = [
    ...pyenvVersionsDirs.flatMap((dir) => listVersions(dir).map((v) => join(dir, v, 'bin', 'python3'))),
    ...pathDirs.map((d) => join(d, 'python3')),
  ];
  return { motoServerEnv: env.MOTO_SERVER || undefined, pathDirs, pyenvVersionsDirs, pythons };
}

/**
 * Lists the ways to start moto, best first, checking each exists (a Python counts only if it can import moto).
 * Throws {@link MotoNotFoundError} when `MOTO_SERVER` is set but unusable, or nothing is found at all.
 */
export function findMotoCommands(search: MotoSearch = defaultMotoSearch()): MotoCommand[] {
  if (search.motoServerEnv !== undefined) {
    // An explicit setting that is wrong is a configuration error, not a hint to go looking elsewhere.
    if (!isExecutableFile(search.motoServerEnv)) {
      throw new MotoNotFoundError(`MOTO_SERVER is set to "${search.motoServerEnv}", which is not an executable file.\n${FIX}`);
    }
    return [{ source: 'MOTO_SERVER', command: search.motoServerEnv, args: [] }];
  }
  const found: MotoCommand[] = [];
  const seen = new Set<string>();
  const add = (candidate: MotoCommand): void => {
    const key = [candidate.command, ...candidate.args].join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      found.push(candidate);
    }
  };
  for (const dir of search.pathDirs) {
    const file = join(dir, 'moto_server');
    if (isExecutableFile(file)) add({ source: `PATH (${dir})`, command: file, args: [] });
  }
  for (const dir of search.pyenvVersionsDirs) {
    for (const version of listVersions(dir)) {
      const file = join(dir, version, 'bin', 'moto_server');
      if (isExecutableFile(file)) add({ source: `pyenv ${version}`, command: file, args: [] });
    }
  }
  if (found.length > 0) return found;
  for (const python of search.pythons) {
    if (isExecutableFile(python) && canImportMoto(python)) {
      add({ source: `${python} -m moto.server`, command: python, args: ['-m', 'moto.server'] });
      break;
    }
  }
  if (found.length > 0) return found;
  throw new MotoNotFoundError(
    [
      'moto server not found. Searched:',
      '  - MOTO_SERVER (not set)',
      `  - moto_server in PATH (${search.pathDirs.length} directories)`,
      `  - ${search.pyenvVersionsDirs.length ? search.pyenvVersionsDirs.map((d) => join(d, '*', 'bin', 'moto_server')).join(', ') : 'no pyenv versions directory'}`,
      `  - python3 -m moto.server with ${search.pythons.length} interpreter(s), none of which can import moto and flask`,
      FIX,
    ].join('\n'),
  );
}

/**
 * Starts moto on 127.0.0.1 under a watchdog and waits until it answers.
 * The returned server dies with this process even on SIGKILL; call `stop()` to end it earlier.
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const commands = findMotoCommands(options.search);
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const failures: string[] = [];
  for (const moto of commands) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = options.port ?? (await freePort());
      const outcome = await tryStart(moto, port, readyTimeoutMs);
      if ('server' in outcome) return outcome.server;
      failures.push(`${moto.source}, port ${port}: ${outcome.reason}\n${indent(outcome.tail)}`);
      // Another process took the port between our probe and moto's bind: pick another and go again.
      if (!outcome.bindRace || options.port !== undefined) break;
    }
  }
  throw new MotoStartError(`moto did not start:\n${failures.join('\n')}\n${FIX}`);
}

type StartOutcome = { server: MotoServer } | { reason: string; tail: string; bindRace: boolean };

async function tryStart(moto: MotoCommand, port: number, readyTimeoutMs: number): Promise<StartOutcome> {
  let child: GuardedProcess;
  try {
    child = await spawnGuarded(moto.command, [...moto.args, '-H', HOST, '-p', String(port)], {
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
  } catch (error) {
    return { reason: (error as Error).message, tail: '', bindRace: false };
  }
  const endpoint = `http://${HOST}:${port}`;
  let exitedEarly = false;
  const exitWatch = child.exited.then((exit) => {
    exitedEarly = true;
    return exit;
  });
  const deadline = Date.now() + readyTimeoutMs;
  while (!exitedEarly) {
    if (await answers(`${endpoint}/moto-api/`)) {
      // Something answered, but it must be our moto, not a stranger that won the port race.
      if (!exitedEarly) return { server: motoServer(child, moto, endpoint, port) };
      break;
    }
    if (Date.now() > deadline) {
      await child.stop();
      return { reason: `no answer from ${endpoint}/moto-api/ within ${readyTimeoutMs} ms`, tail: tailOf(child), bindRace: false };
    }
    await Promise.race([sleep(100), exitWatch]);
  }
  const exit = await exitWatch;
  const tail = tailOf(child);
  return {
    reason: `exited before answering (${exit.signal ?? `code ${exit.code}`})`,
    tail,
    bindRace: /address already in use|errno 98|EADDRINUSE/i.test(tail),
  };
}

function motoServer(child: GuardedProcess, moto: MotoCommand, endpoint: string, port: number): MotoServer {
  return {
    endpoint,
    port,
    pid: child.pid,
    watchdogPid: child.watchdogPid,
    source: moto.source,
    exited: child.exited,
    stop: () => child.stop(),
    stderrTail: () => tailOf(child),
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Asks the OS for a free port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tailOf(child: GuardedProcess): string {
  return child.stderrTail().split('\n').slice(-15).join('\n').trim() || '(no output)';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function listVersions(dir: string): string[] {
  try {
    // Newest first, comparing version numbers rather than strings (3.11 after 3.9).
    return readdirSync(dir).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

function canImportMoto(python: string): boolean {
  // find_spec only locates the packages (tens of ms); importing moto would take most of a second.
  const probe = spawnSync(
    python,
    ['-c', 'import importlib.util as u, sys; sys.exit(0 if u.find_spec("moto") and u.find_spec("flask") else 1)'],
    { stdio: 'ignore', timeout: 10_000 },
  );
  return probe.status === 0;
}
