/**
 * The CLI's way to the erasure HTTP API: the running dev stack's loopback API (`dev.json`), or a
 * throwaway local stack serving it for one command. The CLI speaks HTTP like any other client, so
 * `leadflow erase` exercises the same handler as the deployed endpoint.
 */
import { findRunningDevStack, withLocalStack } from '../local/dev-stack';
import { localErasureApiTo, localQueueHandlers } from '../local/function-handlers';
import { failure, usageError } from './exit-codes';
import type { Io } from './output';
import { requireLocalTarget, type Target } from './target';

/** One call to the API. */
export interface ErasureApiClient {
  /** The parsed JSON answer (text for CSV); usage errors for 400, failures for other non-2xx. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** As {@link ErasureApiClient.call}, with the status of a successful answer (201 created, 200 existing). */
  send<T>(method: string, path: string, body?: unknown): Promise<{ readonly status: number; readonly body: T }>;
  /** `running`: the dev stack; `throwaway`: started for this command (the worker stops with it). */
  readonly source: 'running' | 'throwaway';
}

interface Problem {
  readonly field: string;
  readonly message: string;
}

function clientFor(url: string, source: 'running' | 'throwaway'): ErasureApiClient {
  const send = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text;
    if (res.ok) return { status: res.status, body: parsed as T };
    const answer = parsed as { message?: string; problems?: Problem[] };
    const detail = answer.problems?.length ? answer.problems.map((p) => `${p.field} ${p.message}`).join('; ') : (answer.message ?? `HTTP ${res.status}`);
    if (res.status === 400) throw usageError(detail);
    throw failure(detail);
  };
  return { source, send, call: async (method, path, body) => (await send(method, path, body)).body as never };
}

/**
 * Runs `fn` with a client of the target's erasure API.
 *
 * @param needsRunning - the command reads state (status, lists): a throwaway stack would hold none.
 */
export async function withErasureApi<T>(target: Target, io: Io, needsRunning: boolean, fn: (api: ErasureApiClient) => Promise<T>): Promise<T> {
  requireLocalTarget(target);
  const running = await findRunningDevStack();
  if (running) {
    if (!running.endpoints.erasureApi) throw failure('the running dev stack does not serve the erasure API: restart `leadflow dev`');
    return fn(clientFor(running.endpoints.erasureApi, 'running'));
  }
  if (needsRunning) throw failure('no local stack is running: start one with `leadflow dev` (erasure requests live there)');
  return withLocalStack(
    async (stack) => {
      io.progress('started a local stack (moto + ipSCAPE simulator) for this command');
      if (!stack.endpoints.erasureApi) throw failure('the local stack did not start the erasure API');
      return fn(clientFor(stack.endpoints.erasureApi, 'throwaway'));
    },
    { handlers: localQueueHandlers, erasureApi: localErasureApiTo(), log: (line) => io.progress(`  ${line}`) },
  );
}
