/**
 * The CLI's way to the erasure HTTP API: the running dev stack's loopback API (`dev.json`), or a
 * throwaway local stack serving it for one command. The CLI speaks HTTP like any other client, so
 * `leadflow erase` exercises the same handler as the deployed endpoint.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { findRunningDevStack, withLocalStack } from '../local/dev-stack';
import { describeDeployedStack } from './deployed-stack';
import { localErasureApiTo, localQueueHandlers } from '../local/function-handlers';
import { failure, usageError } from './exit-codes';
import type { Io } from './output';
import type { Target } from './target';

/** One call to the API. */
export interface ErasureApiClient {
  /** The parsed JSON answer (text for CSV); usage errors for 400, failures for other non-2xx. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** As {@link ErasureApiClient.call}, with the status of a successful answer (201 created, 200 existing). */
  send<T>(method: string, path: string, body?: unknown): Promise<{ readonly status: number; readonly body: T }>;
  /** `running`: the dev stack; `throwaway`: started for this command (the worker stops with it); `stack`: a deployed stack. */
  readonly source: 'running' | 'throwaway' | 'stack';
}

interface Problem {
  readonly field: string;
  readonly message: string;
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** SHA-256 and HMAC-SHA256 from node:crypto, in the shape the SigV4 signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView, encoding?: 'utf8' | 'ascii' | 'latin1'): void {
    if (typeof data === 'string') this.hash.update(data, encoding ?? 'utf8');
    else this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/** Signs a request with SigV4 for a Lambda function URL with `AWS_IAM` auth. */
export type RequestSigner = (request: { method: string; url: URL; headers: Record<string, string>; body?: string }) => Promise<Record<string, string>>;

/**
 * A signer with the caller's credentials from the default chain (profile, SSO, role...), for `region`.
 */
export function functionUrlSigner(region: string): RequestSigner {
  const credentials = new CloudFormationClient({ region }).config.credentials;
  const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 });
  return async ({ method, url, headers, body }) => {
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(body !== undefined && { body }),
    });
    return signed.headers;
  };
}

function clientFor(url: string, source: 'running' | 'throwaway' | 'stack', sign?: RequestSigner): ErasureApiClient {
  const send = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const target = new URL(path.replace(/^\//, ''), url.endsWith('/') ? url : `${url}/`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
    if (sign) headers = await sign({ method, url: target, headers, ...(payload !== undefined && { body: payload }) });
    // fetch sets Host itself.
    delete headers.host;
    const res = await fetch(target, { method, headers, ...(payload !== undefined && { body: payload }) });
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
  if (target.kind === 'stack') {
    const stack = await describeDeployedStack(target.name);
    if (!stack.erasureEndpoint) throw usageError(`--stack ${target.name}: the stack has no erasure endpoint (ErasureEndpoint output)`);
    io.progress(`using stack ${stack.stackName}`);
    return fn(clientFor(stack.erasureEndpoint, 'stack', functionUrlSigner(stack.region)));
  }
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
