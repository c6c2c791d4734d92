/**
 * Starts the simulator: a node:http server on 127.0.0.1 serving the tenant's whole route table
 * under its base path, plus the admin API under `/__admin/`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ADMIN_PREFIX, handleAdminRequest } from './admin';
import { handleApiRequest, type DelayScheduler } from './api';
import { HttpError } from './http-errors';
import { sendJson } from './http-io';
import type { RunningSimulator, SimulatorOptions } from './index';
import { SimulatorRuntime } from './runtime';

/** Latency waits that close() can cut short (their requests are then dropped with their sockets). */
class TrackedDelays implements DelayScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Cancels every wait; the promises never settle, which is fine as their sockets are destroyed. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** The path below the base path, or null when the request is outside it. */
function relativeTo(basePath: string, pathname: string): string | null {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : null;
}

/**
 * Starts a simulator and resolves once it listens.
 *
 * @example
 * const sim = await startSimulator({ apiKey: 'test-key', tenant: parseTenantConfig({ baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0' }) });
 * await fetch(`${sim.baseUrl}/leads`, { headers: { Authorization: 'Bearer test-key' } });
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const sim = new SimulatorRuntime(options);
  const delays = new TrackedDelays();
  const sockets = new Set<Socket>();
  let closing = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      try {
        const answer = await handleAdminRequest(sim, req, url.pathname);
        sendJson(res, answer.status, answer.body);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        sendJson(res, error.status, error.body, error.headers);
      }
      return;
    }
    await handleApiRequest(sim, delays, req, res, url, relativeTo(sim.basePath, url.pathname));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A bug in the simulator: answer 500 without details (an error message could quote a body).
      sim.logger?.(`${req.method ?? '?'} simulator error while answering`);
      if (!closing) sendJson(res, 500, { error: 'simulator_error', message: 'the simulator failed to answer' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator did not bind a TCP port');
  const url = `http://127.0.0.1:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}${sim.basePath}`,
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        delays.cancelAll();
        server.close(() => resolve());
        // Hung and keep-alive sockets would hold close() open: end them all now.
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closed;
    },
  };
}
