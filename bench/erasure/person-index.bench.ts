/**
 * What the person index costs ingestion: the row indexer's CPU per row (a fingerprint key per
 * identifier, phone and email, and the entry objects), with the index writes counted but not sent; then
 * the DynamoDB adapter's write rate on moto (BatchWriteItem, 25 items a request, 4 in parallel), which
 * says little about AWS (moto runs one request at a time here) but shows the request count.
 *
 * Rows from a fixed seed: AU mobiles and emails. Prints, never asserts.
 *
 * Run: `node --import tsx bench/erasure/person-index.bench.ts [--rows=1000000] [--moto-entries=20000]`
 * (or `npm run bench -- person-index`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cpuUsage } from 'node:process';
import { LOCAL_REGION } from '../../local/aws-clients';
import { oneRequestAtATime } from '../../local/dynamodb-one-request-at-a-time';
import { startMoto } from '../../local/moto';
import { provisionResources } from '../../local/provision';
import { mulberry32 } from '../../local/simulator/random';
import { createDynamoPersonIndex } from '../../shared/aws/dynamo-person-index';
import type { PersonIndex, PersonIndexEntry } from '../../shared/erasure/person-index';
import { createRowIndexer } from '../../shared/erasure/row-indexer';
import { createLeadIdentifier } from '../../shared/ingest/lead-identity';

const arg = (name: string, fallback: number) => Number(new RegExp(`^--${name}=(\\d+)$`).exec(process.argv.find((a) => a.startsWith(`--${name}=`)) ?? '')?.[1] ?? fallback);
const ROWS = arg('rows', 1_000_000);
const MOTO_ENTRIES = arg('moto-entries', 20_000);
const SECRET = 'bench-secret-0123456789abcdef0123456789';
const random = mulberry32(0x5eed);

const rows = Array.from({ length: ROWS }, (_, i) => ({
  phone1: `+614${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
  leadData: { email: `person${i}.${Math.floor(random() * 1e6)}@example.com` },
}));

async function timed(label: string, fn: () => Promise<void>) {
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${label}: ${wall.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU, ${((cpuSeconds / ROWS) * 1e6).toFixed(2)} µs CPU a row`);
}

let written = 0;
const counting: PersonIndex = { record: async (e) => void (written += e.length), find: async () => [], forget: async () => 0 };
await timed(`row indexer, ${ROWS.toLocaleString()} rows (fingerprint keys)`, async () => {
  const indexer = createRowIndexer(counting, SECRET, 'u-bench', 'AU');
  for (let i = 0; i < rows.length; i++) {
    indexer.accepted(i + 2, Math.floor(i / 500), rows[i]!);
    // Ingest flushes once per chunk written.
    if (i % 500 === 499) await indexer.flush();
  }
  await indexer.flush();
});
console.log(`  entries: ${written.toLocaleString()} (${(written / ROWS).toFixed(2)} a row) → ${Math.ceil(written / 25).toLocaleString()} BatchWriteItem requests`);

const hmac = createLeadIdentifier(SECRET);
await timed(`same keys as HMAC-SHA256 (the rejected design), ${ROWS.toLocaleString()} rows`, async () => {
  let sink = 0;
  for (const r of rows) sink += hmac.identifier(r.phone1).length + hmac.identifier(r.leadData.email).length;
  if (sink === 0) console.log('');
});

const moto = await startMoto();
try {
  const resources = await provisionResources({ endpoint: moto.endpoint, stage: 'bench', region: LOCAL_REGION });
  const client = oneRequestAtATime(new DynamoDBClient({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  const index = createDynamoPersonIndex(DynamoDBDocumentClient.from(client), resources.tables.state);
  const entries: PersonIndexEntry[] = Array.from({ length: MOTO_ENTRIES }, (_, i) => ({ key: (i * 2654435761).toString(16).padStart(16, '0'), uploadId: 'u-bench', line: i + 2, chunk: Math.floor(i / 500) }));
  const t0 = performance.now();
  await index.record(entries);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`moto: ${MOTO_ENTRIES.toLocaleString()} index items in ${seconds.toFixed(2)} s (${Math.round(MOTO_ENTRIES / seconds).toLocaleString()} items/s)`);
  const t1 = performance.now();
  const found = await index.find(entries[123]!.key);
  console.log(`moto: one look-up (${found.length} entry) in ${(performance.now() - t1).toFixed(1)} ms`);
  client.destroy();
} finally {
  await moto.stop();
}
