/**
 * A scripted node:http server on 127.0.0.1 for transport tests: each request gets the next
 * behaviour of the script (the last one repeats), and every request is recorded with its headers,
 * body and arrival time.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>>; readonly delayMs?: number }
  /** Never answer; the socket stays open. */
  | 'hang'
  /** Destroy the socket after reading the request: the client sees a reset / "other side closed". */
  | 'reset';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface TestServer {
  /** Origin plus base path, e.g. `http://127.0.0.1:41234/platform-api/v3.0`. */
  readonly baseUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Highest number of requests in flight at once. */
  readonly maxInFlight: number;
  /** Replace the script, or answer dynamically. */
  script: Behaviour[] | ((request: RecordedRequest, index: number) => Behaviour);
  close(): Promise<void>;
}

export const BASE_PATH = '/platform-api/v3.0';

function answer(res: ServerResponse, behaviour: Exclude<Behaviour, 'hang' | 'reset'>): void {
  const body = behaviour.body === undefined ? '' : typeof behaviour.body === 'string' ? behaviour.body : JSON.stringify(behaviour.body);
  res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
  res.end(body);
}

/**
 * Starts the server; `port` 0 picks a free one (pass a known port to re-open a closed one).
 *
 * @example const server = await startTestServer([{ status: 500 }, { status: 200, body: { leadId: 1 } }]);
 */
export async function startTestServer(script: TestServer['script'], port = 0): Promise<TestServer> {
  let inFlight = 0;
  const state = {
    requests: [] as RecordedRequest[],
    maxInFlight: 0,
    script,
  };
  const server: Server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    let settled = false;
    const done = () => {
      if (!settled) {
        settled = true;
        inFlight--;
      }
    };
    res.on('finish', done);
    res.on('close', done);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      const index = state.requests.length;
      state.requests.push(recorded);
      const s = state.script;
      const behaviour = typeof s === 'function' ? s(recorded, index) : (s[Math.min(index, s.length - 1)] ?? { status: 500 });
      if (behaviour === 'hang') return;
      if (behaviour === 'reset') {
        req.socket.destroy();
        return;
      }
      if (behaviour.delayMs) setTimeout(() => answer(res, behaviour), behaviour.delayMs);
      else answer(res, behaviour);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${actualPort}`;
  return {
    baseUrl: `${origin}${BASE_PATH}`,
    origin,
    port: actualPort,
    get requests() {
      return state.requests;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get script() {
      return state.script;
    },
    set script(next) {
      state.script = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: opened and closed again, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = await startTestServer([{ status: 200 }]);
  await server.close();
  return server.port;
}
