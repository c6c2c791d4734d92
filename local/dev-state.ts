/**
 * The dev stack's state file, `.leadflow/dev.json`: how other commands find a running local stack.
 *
 * It records endpoints, resources and the PIDs involved, never credentials or keys. A file whose
 * owner died (SIGKILL leaves it behind) is stale and treated as absent.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isProcessAlive } from './process-guard';
import type { LocalResources } from './provision';

/** Where the local stack can be reached. */
export interface DevEndpoints {
  /** moto: S3, SQS and DynamoDB. */
  readonly aws: string;
  /** The simulator's ipSCAPE base URL (origin plus `/platform-api/v3.0`). */
  readonly ipscape: string;
  /** The simulator's admin API (faults, state). */
  readonly adminUrl: string;
  /** The erasure HTTP API on loopback, when the stack serves it. */
  readonly erasureApi?: string;
}

/** Contents of `dev.json`. */
export interface DevStateDocument {
  readonly version: 1;
  /** PID of the process running the dev stack. */
  readonly pid: number;
  readonly startedAt: string;
  readonly stage: string;
  readonly endpoints: DevEndpoints;
  readonly processes: { readonly moto: number; readonly motoWatchdog: number };
  readonly resources: LocalResources;
}

const documentSchema = z.object({
  version: z.literal(1),
  pid: z.int().positive(),
  startedAt: z.string(),
  stage: z.string(),
  endpoints: z.object({ aws: z.url(), ipscape: z.url(), adminUrl: z.url(), erasureApi: z.url().optional() }),
  processes: z.object({ moto: z.int(), motoWatchdog: z.int() }),
  // Written by this same module from a typed object; checking the top level is enough.
  resources: z.looseObject({ stage: z.string(), bucket: z.string(), queues: z.record(z.string(), z.unknown()) }),
});

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The state directory: `LEADFLOW_HOME` if set (tests use one each), else `.leadflow/` in the project. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LEADFLOW_HOME || join(PROJECT_ROOT, '.leadflow');
}

/** Path of `dev.json` in a state directory. */
export function devStateFile(dir: string = stateDir()): string {
  return join(dir, 'dev.json');
}

/** Writes the state file atomically (readers never see half a document). */
export function writeDevState(file: string, document: DevStateDocument): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Reads the state file; undefined when it is missing or unreadable. */
export function readDevState(file: string = devStateFile()): DevStateDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = documentSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as unknown as DevStateDocument) : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the state file if it still belongs to `pid` (another stack may have replaced it since). */
export function removeDevState(file: string, pid: number = process.pid): void {
  const current = readDevState(file);
  if (current && current.pid !== pid) return;
  rmSync(file, { force: true });
}

/**
 * Reads the state file and checks the stack is really there: its process alive, moto and the
 * simulator both answering. Returns undefined for no file, a stale file or a stack that does not answer.
 */
export async function findRunningDevStack(options: { stateDir?: string } = {}): Promise<DevStateDocument | undefined> {
  const document = readDevState(devStateFile(options.stateDir ?? stateDir()));
  if (!document || !isProcessAlive(document.pid)) return undefined;
  const [aws, ipscape] = await Promise.all([
    answers(`${document.endpoints.aws}/moto-api/`, true),
    // Any HTTP answer proves the simulator is up; the admin API is exempt from injected faults.
    answers(`${document.endpoints.adminUrl}/faults`, false),
  ]);
  return aws && ipscape ? document : undefined;
}

async function answers(url: string, needOk: boolean): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return needOk ? res.ok : true;
  } catch {
    return false;
  }
}
