/**
 * The erasure HTTP API on loopback for the dev stack: a node:http adapter around the same
 * `handleErasureApi` the deployed function serves, so local and deployed requests run the same code.
 * No authentication (127.0.0.1 only, fictional data); the audit's actor is `local:<user>`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import type { Erasure } from '../shared/erasure/erasure';
import { MAX_BODY_BYTES } from '../shared/erasure/http-api';

export interface RunningErasureApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** The local actor named in audit trails. */
export function localActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local';
  }
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Read on past the limit without keeping it, so the answer (413) reaches the client.
    if (size <= MAX_BODY_BYTES + 1) parts.push(chunk as Buffer);
  }
  return parts.length ? Buffer.concat(parts).toString('utf8') : undefined;
}

/**
 * Starts the API on 127.0.0.1.
 *
 * @param erasure - the erasure runtime, or a promise of it (built once, on the first request).
 * @example const api = await startErasureHttpServer({ erasure, port: 0 }); await fetch(`${api.url}/erasure-requests`)
 */
export async function startErasureHttpServer(options: { readonly erasure: Erasure | (() => Promise<Erasure>); readonly port?: number; readonly actor?: string }): Promise<RunningErasureApi> {
  let built: Promise<Erasure> | undefined;
  const runtime = () => (built ??= typeof options.erasure === 'function' ? options.erasure() : Promise.resolve(options.erasure));
  const actor = options.actor ?? localActor();
  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const answer =
          body !== undefined && Buffer.byteLength(body) > MAX_BODY_BYTES
            ? { status: 413, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: 'too-large', message: `bodies are at most ${MAX_BODY_BYTES} bytes` }) }
            : await (await runtime()).api({ method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, actor });
        response.writeHead(answer.status, answer.headers).end(answer.body);
      } catch {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ error: 'internal', message: 'the request could not be served' }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
