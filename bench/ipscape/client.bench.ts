/**
 * The ipSCAPE client's own cost and its rate limiter's precision, over real HTTP to the simulator.
 *
 * - baseline: bare `fetch` GETs against the simulator (same run, same server);
 * - client: the same GETs through the client (validation, limiter, retries wrapper, response parsing)
 *   with limits far above what the machine can do, so only the client's overhead shows;
 * - limiter: the client at a tenant limit, reporting the share of the allowed rate it used.
 */
import { startSimulator } from '../../local/simulator';
import { createIpscapeClient } from '../../shared/ipscape/client';
import { createTenantLimiter } from '../../shared/ipscape/limiter';
import { parseTenantConfig } from '../../shared/ipscape/tenant-config';

const apiKey = 'bench-key';
const simTenant = parseTenantConfig({ baseUrl: 'http://127.0.0.1/platform-api/v3.0' });
const sim = await startSimulator({ apiKey, tenant: simTenant, seed: 1 });
const tenant = parseTenantConfig({
  baseUrl: sim.baseUrl,
  limits: { requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrency: 16 },
});

async function timed(label: string, n: number, concurrency: number, call: () => Promise<unknown>) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await call();
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const rate = n / seconds;
  console.log(`${label.padEnd(44)} ${String(n).padStart(6)} calls  ${rate.toFixed(0).padStart(7)} req/s`);
  return rate;
}

const auth = { Authorization: `Bearer ${apiKey}` };
const url = `${sim.baseUrl}/leads/10001`;
const N = 3000;
// Warm both paths (JIT, keep-alive sockets) before measuring.
await timed('warm-up fetch', 300, 8, () => fetch(url, { headers: auth }).then((r) => r.json()));
const client = createIpscapeClient({ tenant, apiKey });
await timed('warm-up client', 300, 8, () => client.getLead(10001));

const baseline = await timed('baseline: bare fetch GET lead', N, 8, () => fetch(url, { headers: auth }).then((r) => r.json()));
const viaClient = await timed('client.getLead (limits out of the way)', N, 8, () => client.getLead(10001));
console.log(`client / baseline throughput ratio: ${(viaClient / baseline).toFixed(2)}`);

for (const rps of [20, 50]) {
  const limited = parseTenantConfig({ baseUrl: sim.baseUrl, limits: { requestsPerSecond: rps, burst: 1, maxConcurrency: 8 } });
  const limitedClient = createIpscapeClient({ tenant: limited, apiKey, limiter: createTenantLimiter(limited.limits, { initialTokens: 1 }) });
  const calls = rps * 4;
  const achieved = await timed(`client at a ${rps} req/s tenant limit`, calls, 8, () => limitedClient.getLead(10001));
  console.log(`share of the allowed rate used: ${((achieved / rps) * 100).toFixed(1)} %`);
}

const mem = process.memoryUsage();
console.log(`peak-ish RSS ${(mem.rss / 1e6).toFixed(0)} MB, heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB`);
await sim.close();
