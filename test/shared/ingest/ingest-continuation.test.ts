/**
 * A file parsed across several invocations ends exactly as the same file parsed in one: the same
 * summary, the same rejection report byte for byte, the same chunk bodies and the same leads in the
 * simulator; whatever order the hand-overs, duplicates and redeliveries come in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UploadSummary } from '../../../shared/ingest/upload-summary';
import { createHarness, type Harness } from '../../support/ingestion-harness';
import { startSimulatorFixture, type SimulatorFixture } from '../../support/simulator';

let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture({ apiKey: 'k-continuation', simulator: { freezeClock: true, bulkJobDurationMs: 5_000 } });
});
afterAll(() => fixture.sim.close());
beforeEach(() => fixture.reset());

const LIST = 1;
const KEY = `incoming/${LIST}/big.csv`;

/**
 * 2,500 rows (the reader's first batch is its 64 KiB sample, about 1,500 rows; then about 100 a batch): good leads (Sydney landlines in the fictional 02 5550 range), bad phones, rows
 * duplicating a phone or customer key from far earlier in the file (so across hand-overs), quoted
 * notes with line breaks, and a malformed row.
 */
function bigFile(): string {
  const lines = ['Customer Key,First Name,Phone,Email,State,Notes'];
  for (let i = 0; i < 2500; i++) {
    const phone = `02 5550 ${String(1000 + i).padStart(4, '0')}`;
    if (i % 97 === 13) lines.push(`C-${i},Bad${i},12345,,NSW,`);
    else if (i % 89 === 40 && i > 200) lines.push(`C-${i},Dup${i},02 5550 ${String(1000 + i - 150).padStart(4, '0')},,NSW,`);
    else if (i % 83 === 50 && i > 300) lines.push(`C-${i - 250},KeyDup${i},${phone},,NSW,`);
    else if (i % 61 === 7) lines.push(`C-${i},Multi${i},${phone},m${i}@example.com,VIC,"called twice,\r\nleft a message"`);
    else if (i === 1955) lines.push(`C-${i},Broken,"${phone}"x,,NSW,`);
    else lines.push(`C-${i},Name${i},${phone},,NSW,`);
  }
  return lines.join('\r\n') + '\r\n';
}

interface Run {
  readonly summary: UploadSummary;
  readonly rejected: string | undefined;
  readonly chunkBodies: Map<string, string>;
  readonly leads: string[];
  readonly handOvers: number;
  readonly leftovers: string[];
}

async function leadsInList(listId: number): Promise<string[]> {
  const { leads } = await fixture.admin<{ leads: { listId: number; customerKey?: string; phones: { phone: string }[] }[] }>('/leads');
  return leads
    .filter((l) => l.listId === listId && l.customerKey?.startsWith('C-'))
    .map((l) => `${l.customerKey} ${l.phones.map((p) => p.phone).join('/')}`)
    .sort();
}

/** Drains while counting hand-overs. */
async function drainCounting(h: Harness): Promise<number> {
  let handOvers = 0;
  const send = h.ingestQueue.send.bind(h.ingestQueue);
  h.ingestQueue.send = async (message, delay) => {
    handOvers++;
    await send(message, delay);
  };
  await h.drain();
  return handOvers;
}

async function collect(h: Harness, handOvers: number): Promise<Run> {
  expect(h.finished).toHaveLength(1);
  const summary = h.finished[0]!;
  const chunkBodies = new Map(
    [...h.objects.objects.entries()].filter(([k]) => k.startsWith('chunks/')).map(([k, v]) => [k, Buffer.from(v.bytes).toString('utf8')]),
  );
  return {
    summary,
    rejected: summary.reports.rejected ? await h.objects.readText(summary.reports.rejected) : undefined,
    chunkBodies,
    leads: await leadsInList(LIST),
    handOvers,
    leftovers: [...h.objects.objects.keys()].filter((k) => k.includes('/checkpoints/') || k.includes('/parse-rejected/')),
  };
}

let baseline: Run;

async function runInOne(): Promise<Run> {
  const h = createHarness(fixture, { settings: { chunkSize: 250 } });
  h.objects.put(KEY, bigFile());
  expect((await h.ingestion.ingest({ bucket: 'uploads', key: KEY })).kind).toBe('ingested');
  return collect(h, await drainCounting(h));
}

function expectSameAsBaseline(run: Run) {
  expect(run.summary.outcomes).toEqual(baseline.summary.outcomes);
  expect(run.summary.reasons).toEqual(baseline.summary.reasons);
  expect(run.summary.conservation.holds).toBe(true);
  expect(run.rejected).toBe(baseline.rejected);
  expect(run.chunkBodies).toEqual(baseline.chunkBodies);
  expect(run.leads).toEqual(baseline.leads);
  expect(new Set(run.leads).size).toBe(run.leads.length);
  expect(run.leftovers).toEqual([]);
}

describe('a parse continued across invocations', () => {
  beforeAll(async () => {
    await fixture.reset();
    baseline = await runInOne();
    // The file is what the test says it is: every kind of outcome, and rejections before and after each hand-over.
    expect(baseline.summary.rows).toBe(2500);
    expect(baseline.summary.outcomes.accepted).toBeGreaterThan(2300);
    expect(baseline.summary.reasons).toMatchObject({
      'phone-invalid': expect.any(Number),
      'duplicate-phone-in-file': expect.any(Number),
      'duplicate-customer-key-in-file': expect.any(Number),
      'malformed-row': 1,
    });
    expect(baseline.handOvers).toBe(0);
    expect(baseline.leads).toHaveLength(baseline.summary.outcomes.accepted);
  });

  it('ends exactly as the same file parsed in one invocation (rows per invocation)', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 300 } });
    h.objects.put(KEY, bigFile());
    expect((await h.ingestion.ingest({ bucket: 'uploads', key: KEY })).kind).toBe('continued');
    const run = await collect(h, (await drainCounting(h)) + 1);
    expect(run.handOvers).toBeGreaterThanOrEqual(3);
    expectSameAsBaseline(run);
  });

  it('hands over when the invocation runs short of time', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, checkpointReserveSeconds: 60 } });
    h.objects.put(KEY, bigFile());
    // A clock that loses 20 s every time it is read: the parse hands over a few batches in.
    let left = 140_000;
    const remainingMs = () => (left -= 20_000);
    const first = await h.ingestion.ingest({ bucket: 'uploads', key: KEY }, { remainingMs });
    expect(first.kind).toBe('continued');
    const upload = await h.store.getUpload(h.ingestQueue.messages[0]!.message.uploadId);
    expect(upload).toMatchObject({ status: 'parsing', checkpoint: { segment: 1 } });
    const run = await collect(h, (await drainCounting(h)) + 1);
    expectSameAsBaseline(run);
  });

  it('a hand-over delivered twice and run concurrently: one goes on, the other stops; nothing doubles', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 300 } });
    h.objects.put(KEY, bigFile());
    await h.ingestion.ingest({ bucket: 'uploads', key: KEY });
    const message = h.ingestQueue.messages.shift()!.message;
    const outcomes = await Promise.all([h.ingestion.continueIngest(message), h.ingestion.continueIngest(message)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['continued', 'lost-race']);
    expect(h.ingestQueue.messages).toHaveLength(1);
    const run = await collect(h, (await drainCounting(h)) + 2);
    expectSameAsBaseline(run);
  });

  it('a redelivered S3 event or a stale hand-over goes on from the latest checkpoint instead of starting again', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 300 } });
    h.objects.put(KEY, bigFile());
    await h.ingestion.ingest({ bucket: 'uploads', key: KEY });
    const first = h.ingestQueue.messages.shift()!.message;
    // The hand-over message is lost; the S3 event comes again.
    expect((await h.ingestion.ingest({ bucket: 'uploads', key: KEY })).kind).toBe('continued');
    const upload = await h.store.getUpload(first.uploadId);
    expect(upload?.checkpoint?.segment).toBe(2);
    // The first hand-over turns up late: it goes on from segment 2 (and races the segment's own message, harmlessly).
    expect((await h.ingestion.continueIngest(first)).kind).toBe('continued');
    expect(h.telemetry.lines.some((r) => /names segment 1, the latest checkpoint is 2/.test(r.message))).toBe(true);
    const run = await collect(h, (await drainCounting(h)) + 3);
    expectSameAsBaseline(run);
  });

  it('a checkpoint that cannot be read ends the upload as failed, naming only its key, and sends nothing', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 300 } });
    h.objects.put(KEY, bigFile());
    await h.ingestion.ingest({ bucket: 'uploads', key: KEY });
    const message = h.ingestQueue.messages.shift()!.message;
    const upload = (await h.store.getUpload(message.uploadId))!;
    h.objects.put(upload.checkpoint!.key, '{"schemaVersion":1,"pending":[{"line":2,"lead":{"phone1":"+61255501000"}}]}');
    expect((await h.ingestion.continueIngest(message)).kind).toBe('refused');
    await h.drain();
    const summary = h.finished[0]!;
    expect(summary).toMatchObject({ status: 'failed', rows: 0, failure: { reason: 'checkpoint-unreadable' } });
    expect(summary.failure!.message).toContain(upload.checkpoint!.key);
    expect(summary.failure!.message).not.toMatch(/255501000|\+61/);
    expect(await leadsInList(LIST)).toEqual([]);
    expect([...h.objects.objects.keys()].filter((k) => k.includes('/checkpoints/') || k.startsWith('chunks/'))).toEqual([]);
  });

  it('never hands over at the end of the file, even when the last batch reaches the limit', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 1 } });
    h.objects.put(KEY, bigFile());
    await h.ingestion.ingest({ bucket: 'uploads', key: KEY });
    const run = await collect(h, (await drainCounting(h)) + 1);
    expectSameAsBaseline(run);
  });

  it('ends the upload when the object is deleted between two segments, sending nothing', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 300 } });
    h.objects.put(KEY, bigFile());
    await h.ingestion.ingest({ bucket: 'uploads', key: KEY });
    await h.objects.delete(KEY);
    await h.drain();
    expect(h.finished[0]).toMatchObject({ status: 'failed', failure: { reason: 'object-gone' } });
    expect(await leadsInList(LIST)).toEqual([]);
  });
});
