/**
 * A stand-in for the ipSCAPE simulator with the pinned start interface, for tests of the dev stack's
 * own wiring. It answers every request with 200 and records the options it was started with.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator, SimulatorOptions } from '../../local/simulator';

/** Starts the stand-in; `started` collects the options of every start. */
export function fakeSimulator(): { start: (options: SimulatorOptions) => Promise<RunningSimulator>; started: SimulatorOptions[] } {
  const started: SimulatorOptions[] = [];
  const start = async (options: SimulatorOptions): Promise<RunningSimulator> => {
    started.push(options);
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ fake: true, path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    return {
      url,
      baseUrl: `${url}${new URL(options.tenant.baseUrl).pathname}`,
      port,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  };
  return { start, started };
}
