/**
 * Submit, poll, reconcile and finish as units: the memory upload and object stores, memory queues,
 * a controlled clock and a fake ipSCAPE (plain functions), so each branch can be driven on purpose.
 */
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IpscapeClient, ResponseOf } from '../../../shared/ipscape/client';
import { AuthError, NotFoundError, OutcomeUnknownError, RateLimitedError, ServerError, UnexpectedStatusError, ValidationError } from '../../../shared/ipscape/errors';
import type { IpscapeErrorContext } from '../../../shared/ipscape/errors';
import { parseTenantConfig } from '../../../shared/ipscape/tenant-config';
import { finishUploadIfDone } from '../../../shared/ingest/finish-upload';
import { reportKeys } from '../../../shared/ingest/ingest-upload';
import { createLeadIdentifier } from '../../../shared/ingest/lead-identity';
import { createMemoryObjectStore } from '../../../shared/ingest/memory-object-store';
import { createMemoryUploadStore } from '../../../shared/ingest/memory-upload-store';
import type { ChunkLead, PollMessage, SubmitMessage } from '../../../shared/ingest/messages';
import { createObjectChunkStore } from '../../../shared/ingest/object-chunk-store';
import { pollChunk, type PollDeps } from '../../../shared/ingest/poll-chunk';
import { reconcileChunk } from '../../../shared/ingest/reconcile-chunk';
import { defaultIngestSettings, pollDelaySeconds, type IngestSettings } from '../../../shared/ingest/settings';
import { chunkOwner } from '../../../shared/ingest/lead-claims';
import { ChunkBusyError, reconcileDelaySeconds, submitChunk, type SubmitDeps, type SubmitOptions } from '../../../shared/ingest/submit-chunk';
import { emptySuppressionList } from '../../../shared/ingest/suppression';
import type { ChunkState, UploadRecord } from '../../../shared/ingest/upload-state';
import type { UploadSummary } from '../../../shared/ingest/upload-summary';
import { capturingTelemetry } from '../../../shared/observability/telemetry';
import { memoryQueue, TEST_SECRET } from '../../support/ingestion-harness';

const LIST = 100;
const UPLOAD = 'u-test';
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

type Ipscape = Pick<IpscapeClient, 'bulkCreateLeads' | 'getBulkJob' | 'listLeads' | 'pages'>;
type BulkBody = Parameters<IpscapeClient['bulkCreateLeads']>[0];
type LeadsQuery = NonNullable<Parameters<IpscapeClient['listLeads']>[0]>;

function context(operation: IpscapeErrorContext['operation'], status?: number): IpscapeErrorContext {
  const routes = {
    bulkCreateLeads: ['POST', '/leads/bulk'],
    getBulkJob: ['GET', '/leads/bulk/{uuid}'],
    listLeads: ['GET', '/leads'],
  } as const;
  const [method, pathTemplate] = routes[operation as keyof typeof routes] ?? ['GET', '/'];
  return { operation, method, pathTemplate, attempts: 3, ...(status !== undefined && { status }) };
}

/** A fake ipSCAPE whose answers the test sets, recording every call. */
function fakeIpscape() {
  const fake = {
    bulkCalls: [] as BulkBody[],
    jobCalls: [] as string[],
    leadQueries: [] as LeadsQuery[],
    /** What the next bulk creates do, in order; when empty, a job is answered. */
    bulkAnswers: [] as (Error | undefined)[],
    jobStatus: 'queued' as string | Error,
    /** Leads "in ipSCAPE", by list. */
    leads: [] as { listId: number; phone: string; customerKey?: string }[],
    /** Resolved when a bulk create is in flight; the test decides when it answers. */
    hold: undefined as Promise<void> | undefined,
    ipscape: undefined as unknown as Ipscape,
  };
  let jobs = 0;
  fake.ipscape = {
    async bulkCreateLeads(body) {
      fake.bulkCalls.push(body);
      if (fake.hold) await fake.hold;
      const answer = fake.bulkAnswers.shift();
      if (answer) throw answer;
      return { uuid: `job-${++jobs}`, status: 'queued' } as ResponseOf<'bulkCreateLeads'>;
    },
    async getBulkJob(uuid) {
      fake.jobCalls.push(uuid);
      if (fake.jobStatus instanceof Error) throw fake.jobStatus;
      return { uuid, status: fake.jobStatus } as ResponseOf<'getBulkJob'>;
    },
    async listLeads(query = {}) {
      fake.leadQueries.push(query);
      const items = fake.leads
        .filter(
          (l) =>
            l.listId === query.listId &&
            ((query as { all?: boolean }).all || (query.phone1 ? l.phone === query.phone1 : l.customerKey === query.customerKey)),
        )
        .map((l, i) => ({ leadId: 20_000 + i, listId: l.listId, customerKey: l.customerKey ?? null, phones: [{ phone: l.phone, phoneIndex: 1 }] }));
      return { metadata: { nextUri: null, previousUri: null }, items } as ResponseOf<'listLeads'>;
    },
    // Reconcile reads what a list gained, page by page: one page here, from the same leads (and the
    // same overridable listLeads, so a test that makes listLeads fail makes this fail too).
    pages: (async function* (this: void, _op: string, query: LeadsQuery = {}) {
      const all = await fake.ipscape.listLeads({ ...query, phone1: undefined, customerKey: undefined, all: true } as LeadsQuery);
      yield { items: all.items, nextUri: null };
    }) as unknown as Ipscape['pages'],
  };
  return fake;
}

/** The fictional range ACMA keeps for drama: +61 491 570 xxx. */
function phoneOf(i: number): string {
  return `+61491570${String(100 + i).padStart(3, '0')}`;
}

function leadsFor(lines: readonly number[], listId = LIST): ChunkLead[] {
  return lines.map((line) => ({ line, lead: { listId, phone1: phoneOf(line), customerKey: `C-${line}`, leadData: { firstName: `N${line}` } } }));
}

function setup(options: { settings?: Partial<IngestSettings>; dedupe?: 'list' | 'file-only' } = {}) {
  let clock = T0;
  const now = () => new Date(clock);
  const store = createMemoryUploadStore({ now });
  const objects = createMemoryObjectStore();
  const chunks = createObjectChunkStore(objects, 'chunks/');
  const pollQueue = memoryQueue<PollMessage>();
  const telemetry = capturingTelemetry();
  const identity = createLeadIdentifier(TEST_SECRET);
  const settings: IngestSettings = { ...defaultIngestSettings, ...options.settings };
  const fake = fakeIpscape();
  const summaries: UploadSummary[] = [];
  const finishedCalls: UploadRecord[] = [];
  const onChunkFinished = async (upload: UploadRecord) => {
    finishedCalls.push(upload);
    await finishUploadIfDone(upload, {
      store,
      objects,
      chunks,
      reportsPrefix: 'reports/',
      telemetry,
      now,
      events: { uploadFinished: async (summary) => void summaries.push(summary) },
    });
  };
  const tenant = parseTenantConfig({ baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0' }, 'test tenant');
  const submitDeps: SubmitDeps = {
    store,
    chunks,
    ipscape: fake.ipscape,
    pollQueue,
    suppression: emptySuppressionList,
    identity,
    settings,
    telemetry,
    onChunkFinished,
    now,
  };
  const pollDeps: PollDeps = { store, chunks, ipscape: fake.ipscape, tenant, pollQueue, identity, settings, telemetry, onChunkFinished, now };

  /** An upload parsed into chunks of the given lines, each chunk `pending` and announced. */
  async function seed(chunkLines: readonly (readonly number[])[], listId = LIST): Promise<SubmitMessage[]> {
    const rows = chunkLines.reduce((n, c) => n + c.length, 0);
    await store.createUpload({
      uploadId: UPLOAD,
      bucket: 'uploads',
      key: `incoming/${listId}/leads.csv`,
      fileName: 'leads.csv',
      listId,
      rerun: false,
      dedupe: options.dedupe ?? 'list',
      status: 'submitting',
      receivedAt: now().toISOString(),
      updatedAt: now().toISOString(),
      parsedAt: now().toISOString(),
      rows,
      chunksTotal: chunkLines.length,
      chunksDone: 0,
      tally: { outcomes: {}, reasons: {} },
    });
    const messages: SubmitMessage[] = [];
    for (const [chunk, lines] of chunkLines.entries()) {
      const key = await chunks.writeChunk({ schemaVersion: 1, uploadId: UPLOAD, chunk, leads: leadsFor(lines, listId) });
      await store.putChunk({ uploadId: UPLOAD, chunk, key, rows: lines.length, state: 'pending', polls: 0, tally: { outcomes: {}, reasons: {} } });
      messages.push({ kind: 'submit', uploadId: UPLOAD, chunk, key, rows: lines.length });
    }
    return messages;
  }

  /** Moves a chunk along the happy path's states without ipSCAPE (to start a test from there). */
  async function force(chunk: number, states: readonly ChunkState[], fields: Parameters<typeof store.transitionChunk>[4] = {}) {
    let from: ChunkState = 'pending';
    for (const to of states) {
      const moved = await store.transitionChunk(UPLOAD, chunk, [from], to, fields);
      if (!moved) throw new Error(`cannot move chunk ${chunk} from ${from} to ${to}`);
      from = to;
    }
  }

  /** Claims of another upload on the given leads: `claimed` means the lead is free for it. */
  async function claimsByAnotherUpload(lines: readonly number[], listId = LIST) {
    const hashes = leadsFor(lines, listId).flatMap((l) => identity.identify(l.lead).keys);
    const answers = await store.claimLeads(listId, hashes, chunkOwner('u-other', 0));
    await store.releaseLeads(listId, hashes, chunkOwner('u-other', 0));
    return answers;
  }

  return {
    store,
    objects,
    pollQueue,
    telemetry,
    settings,
    fake,
    summaries,
    finishedCalls,
    submitDeps,
    pollDeps,
    seed,
    force,
    claimsByAnotherUpload,
    advance: (seconds: number) => void (clock += seconds * 1000),
    now,
    submit: (message: SubmitMessage, options?: SubmitOptions) => submitChunk(message, submitDeps, options),
    poll: (message: PollMessage) => pollChunk(message, pollDeps),
    reconcile: (message: PollMessage) => reconcileChunk(message, { ...pollDeps }),
    chunk: async (n: number) => (await store.getChunk(UPLOAD, n))!,
    upload: async () => (await store.getUpload(UPLOAD))!,
    rejectedRows: async () => {
      const text = await objects.readText(reportKeys('reports/', UPLOAD).rejected);
      return text === undefined ? undefined : (parse(text, { bom: true, relax_column_count: true }) as string[][]).slice(1);
    },
  };
}

type Setup = ReturnType<typeof setup>;

/** Runs the poll queue until it is empty, moving the clock by each message's delay. */
async function drainPolls(s: Setup, maxSteps = 1_000) {
  const outcomes: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    const next = s.pollQueue.messages.shift();
    if (!next) return outcomes;
    s.advance(next.delaySeconds);
    outcomes.push(next.message.kind === 'poll' ? await s.poll(next.message) : await s.reconcile(next.message));
  }
  throw new Error('the poll queue never emptied');
}

describe('submit', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup();
  });

  it('sends a chunk once however often its message comes (3 deliveries, 1 bulk create)', async () => {
    const [message] = await s.seed([[2, 3, 4]]);
    const outcomes = [await s.submit(message!), await s.submit(message!), await s.submit(message!)];
    expect(outcomes).toEqual(['submitted', 'already-handled', 'already-handled']);
    expect(s.fake.bulkCalls).toHaveLength(1);
    expect(s.fake.bulkCalls[0]!.leads!.map((l) => l.phone1)).toEqual([phoneOf(2), phoneOf(3), phoneOf(4)]);
    expect(await s.chunk(0)).toMatchObject({ state: 'submitted', jobUuid: 'job-1' });
    expect((await s.upload()).status).toBe('polling');
    expect(s.pollQueue.messages).toEqual([
      { message: { kind: 'poll', uploadId: UPLOAD, chunk: 0, attempt: 0 }, delaySeconds: pollDelaySeconds(s.settings, 0) },
    ]);
  });

  it('sends a chunk once when three deliveries run at the same time', async () => {
    const [message] = await s.seed([[2, 3, 4]]);
    let release!: () => void;
    s.fake.hold = new Promise<void>((resolve) => (release = resolve));
    const running = Promise.all([s.submit(message!), s.submit(message!), s.submit(message!)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const outcomes = await running;
    expect(s.fake.bulkCalls).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'submitted')).toHaveLength(1);
    // The others either saw it taken (already-handled) or found it in flight (in-doubt): never a resend.
    for (const outcome of outcomes.filter((o) => o !== 'submitted')) expect(['already-handled', 'in-doubt']).toContain(outcome);
  });

  it('leaves a chunk another invocation is sending right now alone, and retries the message later', async () => {
    const [message] = await s.seed([[2, 3]]);
    const sentAt = new Date(s.now().getTime() - (s.settings.sendingGraceSeconds - 1) * 1000).toISOString();
    await s.force(0, ['sending'], { sentAt, exceptions: [] });
    await expect(s.submit(message!)).rejects.toBeInstanceOf(ChunkBusyError);
    expect((await s.chunk(0)).state).toBe('sending');
    expect(s.fake.bulkCalls).toHaveLength(0);
    expect(s.pollQueue.messages).toHaveLength(0);
  });

  it('puts a chunk found in `sending` in doubt and schedules a reconcile, without sending it', async () => {
    const [message] = await s.seed([[2, 3]]);
    // Sent longer ago than any invocation lives: the attempt that marked it died.
    const sentAt = new Date(s.now().getTime() - s.settings.sendingGraceSeconds * 1000).toISOString();
    await s.force(0, ['sending'], { sentAt, exceptions: [] });
    expect(await s.submit(message!)).toBe('in-doubt');
    expect(s.fake.bulkCalls).toHaveLength(0);
    const chunk = await s.chunk(0);
    expect(chunk.state).toBe('in-doubt');
    expect(Date.parse(chunk.deadline!)).toBe(T0 + s.settings.jobDeadlineSeconds * 1000);
    expect(s.pollQueue.messages).toEqual([
      { message: { kind: 'reconcile', uploadId: UPLOAD, chunk: 0, attempt: 0 }, delaySeconds: reconcileDelaySeconds(s.settings) },
    ]);
    expect(s.telemetry.metrics.filter((m) => m.name === 'ChunksInDoubt')).toHaveLength(1);
    // Delivered again: still never sent, no second reconcile.
    expect(await s.submit(message!)).toBe('already-handled');
    expect(s.fake.bulkCalls).toHaveLength(0);
    expect(s.pollQueue.messages).toHaveLength(1);
  });

  it('on the last delivery before the DLQ, fails a chunk ipSCAPE keeps refusing and releases its claims, instead of stranding the upload', async () => {
    // Two chunks holding the same leads: the second may send them once the first has given them up.
    const [message, other] = await s.seed([[2, 3], [2, 3]]);
    s.fake.bulkAnswers.push(new RateLimitedError('still rate limited', context('bulkCreateLeads', 429), 1_000));
    expect(await s.submit(message!, { lastAttempt: true })).toBe('not-sent');
    const chunk = await s.chunk(0);
    expect(chunk.state).toBe('failed');
    expect(chunk.tally).toEqual({ outcomes: { failed: 2 }, reasons: { 'not-sent': 2 } });
    expect(chunk.exceptions!.map((e) => e.reason)).toEqual(['not-sent', 'not-sent']);
    expect(s.telemetry.metrics.some((m) => m.name === 'ChunksNotSent')).toBe(true);
    // Its claims went: the same leads in the other chunk are not duplicates.
    expect(await s.submit(other!)).toBe('submitted');
    expect(s.fake.bulkCalls.at(-1)!.leads).toHaveLength(2);
  });

  it('puts a chunk back to pending and rethrows when ipSCAPE is still rate limiting after every retry', async () => {
    const [message] = await s.seed([[2, 3]]);
    const limited = new RateLimitedError('still rate limited', context('bulkCreateLeads', 429), 1_000);
    s.fake.bulkAnswers.push(limited);
    await expect(s.submit(message!)).rejects.toBe(limited);
    expect((await s.chunk(0)).state).toBe('pending');
    expect(s.pollQueue.messages).toHaveLength(0);
    // The retry of the message sends every lead: its own claims from the first attempt are not duplicates.
    expect(await s.submit(message!)).toBe('submitted');
    expect(s.fake.bulkCalls).toHaveLength(2);
    expect(s.fake.bulkCalls[1]!.leads).toHaveLength(2);
    expect((await s.chunk(0)).exceptions).toEqual([]);
  });

  it('puts a chunk in doubt (reconcile scheduled) when the bulk create outcome is unknown', async () => {
    const [message] = await s.seed([[2, 3]]);
    s.fake.bulkAnswers.push(new OutcomeUnknownError('server-error', context('bulkCreateLeads', 502)));
    expect(await s.submit(message!)).toBe('in-doubt');
    expect((await s.chunk(0)).state).toBe('in-doubt');
    expect(s.pollQueue.messages.map((m) => m.message.kind)).toEqual(['reconcile']);
  });

  it.each([
    ['a 400 (ValidationError)', () => new ValidationError('invalid request', context('bulkCreateLeads', 400))],
    ['an unexpected status', () => new UnexpectedStatusError('unexpected status', context('bulkCreateLeads', 409))],
  ])('fails the chunk with job-failed for every sent row on %s', async (_, error) => {
    // Line 3 is already in the list (another upload holds it): it is a duplicate, not a failure.
    const [message] = await s.seed([[2, 3, 4]]);
    const other = leadsFor([3]).flatMap((l) => createLeadIdentifier(TEST_SECRET).identify(l.lead).keys);
    await s.store.claimLeads(LIST, other, chunkOwner('u-earlier', 0));
    s.fake.bulkAnswers.push(error());
    expect(await s.submit(message!)).toBe('rejected-by-ipscape');
    expect(s.fake.bulkCalls).toHaveLength(1);
    expect(s.fake.bulkCalls[0]!.leads).toHaveLength(2);
    const chunk = await s.chunk(0);
    expect(chunk.state).toBe('failed');
    expect(chunk.exceptions).toEqual([
      { line: 3, reason: 'duplicate-in-list' },
      { line: 2, reason: 'job-failed' },
      { line: 4, reason: 'job-failed' },
    ]);
    expect(chunk.tally).toEqual({ outcomes: { duplicate: 1, failed: 2 }, reasons: { 'duplicate-in-list': 1, 'job-failed': 2 } });
    expect(s.pollQueue.messages).toHaveLength(0);
    // The upload's only chunk ended: it is finished, failed, with every row accounted for and reported.
    const [summary] = s.summaries;
    expect(summary).toMatchObject({ status: 'failed', conservation: { rows: 3, outcomes: 3, holds: true } });
    expect((await s.rejectedRows())!.map((r) => [r[0], r[2]])).toEqual([
      ['2', 'job-failed'],
      ['3', 'duplicate-in-list'],
      ['4', 'job-failed'],
    ]);
  });

  // Regression, fixed (claims kept after a 400): when ipSCAPE refuses a bulk create as a whole (validation or
  // unexpected status), submitChunk fails the chunk ("nothing was created") but never releases the
  // list claims it took for those leads just before the call. Every later upload of the same leads
  // to that list then finds them `taken` and drops them as duplicate-in-list, so a corrected file
  // can never bring them. pollChunk (job failed) and reconcileChunk (not found) do release.
  // Fix: in the refused branch of submit-chunk.ts, after finishChunk, call
  // `releaseClaims(record, deps, new Set(leads.map((l) => l.line)))` (releaseClaims from poll-chunk.ts).
  it('releases the list claims of the leads a refused bulk create did not create', async () => {
    const [message] = await s.seed([[2, 3]]);
    s.fake.bulkAnswers.push(new ValidationError('invalid request', context('bulkCreateLeads', 400)));
    expect(await s.submit(message!)).toBe('rejected-by-ipscape');
    expect(await s.claimsByAnotherUpload([2, 3])).toEqual(['claimed', 'claimed', 'claimed', 'claimed']);
  });

  it('ends a chunk whose every lead is already in the list without calling ipSCAPE', async () => {
    const [message] = await s.seed([[2, 3]]);
    const keys = leadsFor([2, 3]).flatMap((l) => createLeadIdentifier(TEST_SECRET).identify(l.lead).keys);
    await s.store.claimLeads(LIST, keys, chunkOwner('u-earlier', 0));
    expect(await s.submit(message!)).toBe('nothing-to-send');
    expect(s.fake.bulkCalls).toHaveLength(0);
    expect(s.summaries[0]).toMatchObject({ status: 'completed-with-rejections', outcomes: { duplicate: 2 }, conservation: { holds: true } });
  });

  it('a file-only upload sends leads already in the list, and still records its own for later uploads', async () => {
    const f = setup({ dedupe: 'file-only' });
    const [message] = await f.seed([[2, 3, 4]]);
    const identify = (lines: number[]) => leadsFor(lines).flatMap((l) => createLeadIdentifier(TEST_SECRET).identify(l.lead).keys);
    await f.store.claimLeads(LIST, identify([2]), chunkOwner('u-earlier', 0));
    expect(await f.submit(message!)).toBe('submitted');
    expect(f.fake.bulkCalls).toHaveLength(1);
    expect(f.fake.bulkCalls[0]!.leads).toHaveLength(3);
    // Lines 3 and 4 are now the list's: a later upload's same leads are `taken`; line 2 stays the earlier upload's.
    expect(await f.store.claimLeads(LIST, identify([3, 4]), chunkOwner('u-later', 0))).toEqual(identify([3, 4]).map(() => 'taken'));
    expect(await f.store.claimLeads(LIST, identify([2]), chunkOwner('u-earlier', 0))).toEqual(identify([2]).map(() => 'mine'));
  });
});

describe('poll', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup({ settings: { jobDeadlineSeconds: 3600, pollMinDelaySeconds: 2, pollMaxDelaySeconds: 900, pollLateness: 0.25 } });
  });

  async function submitted(lines: readonly number[] = [2, 3, 4]) {
    const [message] = await s.seed([lines]);
    expect(await s.submit(message!)).toBe('submitted');
  }

  it('succeeds a chunk when the job reports a success value (any case), counting every sent row', async () => {
    await submitted();
    s.fake.jobStatus = ' COMPLETED ';
    expect(await drainPolls(s)).toEqual(['succeeded']);
    expect(await s.chunk(0)).toMatchObject({ state: 'succeeded', jobStatus: ' COMPLETED ' });
    expect(s.summaries[0]).toMatchObject({ status: 'completed', outcomes: { accepted: 3 }, conservation: { holds: true } });
  });

  it('keeps polling an unknown status with a growing delay until the deadline, then fails the chunk with job-deadline', async () => {
    await submitted();
    s.fake.jobStatus = 'percolating';
    const delays: number[] = [];
    let outcome: string | undefined;
    for (let i = 0; i < 200; i++) {
      const next = s.pollQueue.messages.shift();
      if (!next) break;
      delays.push(next.delaySeconds);
      expect(next.message.attempt).toBe(i);
      s.advance(next.delaySeconds);
      outcome = await s.poll(next.message);
      if (outcome !== 'running') break;
    }
    expect(outcome).toBe('past-deadline');
    // Each delay is the lateness share of the time the job has run, within the SQS bounds.
    for (const [i, delay] of delays.entries()) {
      expect(delay).toBeGreaterThanOrEqual(s.settings.pollMinDelaySeconds);
      expect(delay).toBeLessThanOrEqual(s.settings.pollMaxDelaySeconds);
      if (i > 0) expect(delay).toBeGreaterThanOrEqual(delays[i - 1]!);
    }
    expect(delays.at(-1)!).toBeGreaterThan(delays[1]!);
    expect(delays.length).toBeLessThan(40);
    const elapsed = delays.reduce((a, b) => a + b, 0);
    expect(elapsed).toBeGreaterThanOrEqual(s.settings.jobDeadlineSeconds);
    expect(elapsed - delays.at(-1)!).toBeLessThan(s.settings.jobDeadlineSeconds);
    const chunk = await s.chunk(0);
    expect(chunk).toMatchObject({ state: 'failed', jobStatus: 'percolating', polls: delays.length - 1 });
    expect(chunk.tally).toEqual({ outcomes: { failed: 3 }, reasons: { 'job-deadline': 3 } });
    expect(s.telemetry.metrics.filter((m) => m.name === 'BulkJobsPastDeadline')).toEqual([{ name: 'BulkJobsPastDeadline', value: 1, unit: 'Count' }]);
    expect(s.pollQueue.messages).toHaveLength(0);
    expect(s.summaries[0]).toMatchObject({ status: 'failed', outcomes: { failed: 3 }, conservation: { holds: true } });
    // The job may still end after this: its claims are kept so a later upload cannot duplicate its leads.
    expect(await s.claimsByAnotherUpload([2])).toEqual(['taken', 'taken']);
  });

  it('fails the chunk with job-failed and releases its claims when the job reports a failure value', async () => {
    await submitted();
    s.fake.jobStatus = 'Failed';
    expect(await drainPolls(s)).toEqual(['failed']);
    expect((await s.chunk(0)).tally).toEqual({ outcomes: { failed: 3 }, reasons: { 'job-failed': 3 } });
    expect(await s.claimsByAnotherUpload([2, 3, 4])).toEqual(Array(6).fill('claimed'));
    expect(s.summaries[0]).toMatchObject({ status: 'failed', conservation: { holds: true } });
  });

  // Regression, fixed (failed job rows missing from rejected.csv): when a bulk job fails or passes its deadline,
  // pollChunk counts the sent rows as failed (job-failed / job-deadline) in the tally but does not
  // add them to the chunk's exceptions, and finishUploadIfDone builds the report's later rows from
  // exceptions only. The summary says "failed: 3" while rejected.csv has no line for them (here no
  // file at all: reports.rejected is null), though rejection-report.ts promises one line per row
  // that did not become a lead. Submit's refused branch and reconcile do write their exceptions.
  // Fix: in poll-chunk.ts pass `exceptions: [...exceptions, ...sentLines.map((line) => ({ line,
  // reason }))]` to finishChunk in the failed and past-deadline branches (sent lines = chunk body
  // lines not already in exceptions).
  it.each([
    ['failed', 'job-failed'],
    ['percolating', 'job-deadline'],
  ])('lists every row of a chunk whose job ended %s in rejected.csv (%s)', async (status, reason) => {
    await submitted();
    s.fake.jobStatus = status;
    await drainPolls(s);
    expect(s.summaries[0]!.reports.rejected).not.toBeNull();
    expect((await s.rejectedRows())!.map((r) => [r[0], r[2]])).toEqual([
      ['2', reason],
      ['3', reason],
      ['4', reason],
    ]);
  });

  it('polls again later, without throwing and without counting a poll, when ipSCAPE answers 503', async () => {
    await submitted();
    const [first] = s.pollQueue.messages.splice(0);
    s.fake.jobStatus = new ServerError('server error', context('getBulkJob', 503));
    expect(await s.poll(first!.message)).toBe('retry-later');
    expect(s.pollQueue.messages).toEqual([
      { message: { ...first!.message, attempt: first!.message.attempt + 1 }, delaySeconds: s.settings.pollMinDelaySeconds },
    ]);
    expect(await s.chunk(0)).toMatchObject({ state: 'submitted', polls: 0 });
    // ipSCAPE is back: the next poll ends the chunk.
    s.fake.jobStatus = 'completed';
    expect(await drainPolls(s)).toEqual(['succeeded']);
  });

  it('waits at least a second before polling again after a 503 when the minimum delay is 0', async () => {
    s = setup({ settings: { pollMinDelaySeconds: 0 } });
    await submitted();
    const [first] = s.pollQueue.messages.splice(0);
    s.fake.jobStatus = new ServerError('server error', context('getBulkJob', 503));
    expect(await s.poll(first!.message)).toBe('retry-later');
    expect(s.pollQueue.messages[0]!.delaySeconds).toBe(1);
  });

  it('ends the chunk at its deadline even when ipSCAPE keeps answering with errors (no endless polling)', async () => {
    await submitted();
    const [first] = s.pollQueue.messages.splice(0);
    s.fake.jobStatus = new NotFoundError('no such job', context('getBulkJob', 404));
    expect(await s.poll(first!.message)).toBe('retry-later');
    const [again] = s.pollQueue.messages.splice(0);
    s.advance(s.settings.jobDeadlineSeconds + 1);
    expect(await s.poll(again!.message)).toBe('past-deadline');
    const chunk = await s.chunk(0);
    expect(chunk.state).toBe('failed');
    expect(chunk.tally.reasons['job-deadline']).toBeGreaterThan(0);
    expect(s.pollQueue.messages).toHaveLength(0);
  });

  it('throws on an auth error (the message is retried, then dead-lettered) and leaves the chunk alone', async () => {
    await submitted();
    const [first] = s.pollQueue.messages.splice(0);
    s.fake.jobStatus = new AuthError('unauthorised', context('getBulkJob', 401));
    await expect(s.poll(first!.message)).rejects.toBeInstanceOf(AuthError);
    expect(s.pollQueue.messages).toHaveLength(0);
    expect((await s.chunk(0)).state).toBe('submitted');
  });

  it('counts a chunk once when the same poll message is delivered twice at the same time', async () => {
    await submitted();
    const [first] = s.pollQueue.messages.splice(0);
    s.fake.jobStatus = 'completed';
    const outcomes = await Promise.all([s.poll(first!.message), s.poll(first!.message)]);
    expect(outcomes.sort()).toEqual(['already-handled', 'succeeded']);
    expect((await s.upload()).tally.outcomes).toEqual({ accepted: 3 });
    expect(s.summaries).toHaveLength(1);
  });
});

describe('reconcile', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup({ settings: { jobDeadlineSeconds: 3600, pollMaxDelaySeconds: 900 } });
  });

  async function inDoubt(lines: readonly number[]) {
    const [message] = await s.seed([lines]);
    s.fake.bulkAnswers.push(new OutcomeUnknownError('timeout', context('bulkCreateLeads')));
    expect(await s.submit(message!)).toBe('in-doubt');
    return s.pollQueue.messages.splice(0)[0]!.message;
  }

  it('waits for the deadline, re-enqueueing with a delay of at most 900 s, and looks nothing up before it', async () => {
    const message = await inDoubt([2, 3]);
    expect(await s.reconcile(message)).toBe('waiting');
    expect(s.pollQueue.messages).toEqual([{ message: { ...message, attempt: 1 }, delaySeconds: 900 }]);
    s.advance(3600 - 10);
    expect(await s.reconcile({ ...message, attempt: 1 })).toBe('waiting');
    expect(s.pollQueue.messages[1]).toEqual({ message: { ...message, attempt: 2 }, delaySeconds: 10 });
    s.advance(9.5);
    expect(await s.reconcile({ ...message, attempt: 2 })).toBe('waiting');
    expect(s.pollQueue.messages[2]!.delaySeconds).toBe(1);
    for (const { delaySeconds } of s.pollQueue.messages) expect(delaySeconds).toBeLessThanOrEqual(900);
    expect(s.fake.leadQueries).toHaveLength(0);
    expect((await s.chunk(0)).state).toBe('in-doubt');
  });

  it('accepts the leads it finds, fails the missing ones, and releases only the missing ones’ claims', async () => {
    const message = await inDoubt([2, 3, 4, 5]);
    // The bulk job ran part way: leads of lines 2 and 4 are in the list.
    s.fake.leads.push({ listId: LIST, phone: phoneOf(2) }, { listId: LIST, phone: phoneOf(4) }, { listId: LIST + 1, phone: phoneOf(3) });
    s.advance(3600);
    expect(await s.reconcile(message)).toBe('reconciled');
    expect(s.fake.bulkCalls).toHaveLength(1);
    // One paged read of what the list gained since shortly before the chunk was sent, not a request per lead.
    expect(s.fake.leadQueries).toHaveLength(1);
    expect(s.fake.leadQueries[0]).toMatchObject({ listId: LIST, uploadedTimestampFrom: expect.any(String) });
    const chunk = await s.chunk(0);
    expect(chunk.state).toBe('reconciled');
    expect(chunk.exceptions).toEqual([
      { line: 3, reason: 'not-found-after-reconcile' },
      { line: 5, reason: 'not-found-after-reconcile' },
    ]);
    expect(chunk.tally).toEqual({ outcomes: { failed: 2, accepted: 2 }, reasons: { 'not-found-after-reconcile': 2 } });
    expect(await s.claimsByAnotherUpload([2])).toEqual(['taken', 'taken']);
    expect(await s.claimsByAnotherUpload([4])).toEqual(['taken', 'taken']);
    expect(await s.claimsByAnotherUpload([3])).toEqual(['claimed', 'claimed']);
    expect(await s.claimsByAnotherUpload([5])).toEqual(['claimed', 'claimed']);
    expect(s.summaries[0]).toMatchObject({ status: 'failed', outcomes: { accepted: 2, failed: 2 }, conservation: { holds: true } });
    expect((await s.rejectedRows())!.map((r) => [r[0], r[2]])).toEqual([
      ['3', 'not-found-after-reconcile'],
      ['5', 'not-found-after-reconcile'],
    ]);
  });

  it('does not look up rows that were never sent (duplicates taken out at submit)', async () => {
    const [message] = await s.seed([[2, 3]]);
    await s.store.claimLeads(LIST, leadsFor([3]).flatMap((l) => createLeadIdentifier(TEST_SECRET).identify(l.lead).keys), chunkOwner('u-earlier', 0));
    s.fake.bulkAnswers.push(new OutcomeUnknownError('network', context('bulkCreateLeads')));
    expect(await s.submit(message!)).toBe('in-doubt');
    s.fake.leads.push({ listId: LIST, phone: phoneOf(2) });
    s.advance(3600);
    expect(await s.reconcile(s.pollQueue.messages.splice(0)[0]!.message)).toBe('reconciled');
    expect(s.fake.leadQueries).toHaveLength(1);
    expect(s.summaries[0]).toMatchObject({ outcomes: { accepted: 1, duplicate: 1 }, conservation: { holds: true } });
  });

  it('tries again later when ipSCAPE does not answer the look-ups', async () => {
    const message = await inDoubt([2]);
    s.advance(3600);
    const down = new ServerError('server error', context('listLeads', 503));
    s.fake.ipscape.listLeads = async () => {
      throw down;
    };
    expect(await s.reconcile(message)).toBe('retry-later');
    expect(s.pollQueue.messages).toEqual([{ message: { ...message, attempt: 1 }, delaySeconds: 30 }]);
    expect((await s.chunk(0)).state).toBe('in-doubt');
  });

  it('gives up one job deadline after the chunk deadline: the rows stay in doubt, never retried for ever', async () => {
    const message = await inDoubt([2, 3]);
    s.advance(2 * s.settings.jobDeadlineSeconds + 60);
    s.fake.ipscape.listLeads = async () => {
      throw new ServerError('server error', context('listLeads', 503));
    };
    expect(await s.reconcile(message)).toBe('reconciled');
    const chunk = await s.chunk(0);
    expect(chunk.state).toBe('reconciled');
    expect(chunk.tally.outcomes).toEqual({ inDoubt: 2 });
    expect(s.pollQueue.messages).toHaveLength(0);
  });
});

describe('finish', () => {
  it('finishes an upload exactly once when its chunks end in concurrent polls', async () => {
    const s = setup();
    const messages = await s.seed([[2, 3], [4, 5], [6, 7], [8]]);
    for (const message of messages) expect(await s.submit(message)).toBe('submitted');
    const polls = s.pollQueue.messages.splice(0).map((m) => m.message);
    expect(polls).toHaveLength(4);
    s.fake.jobStatus = 'completed';
    // Each poll delivered twice, all at once.
    const outcomes = await Promise.all([...polls, ...polls].map((m) => s.poll(m)));
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(4);
    expect(s.summaries).toHaveLength(1);
    expect(s.summaries[0]).toMatchObject({ status: 'completed', rows: 7, outcomes: { accepted: 7 }, conservation: { holds: true } });
    expect(s.telemetry.metrics.filter((m) => m.name === 'UploadsFinished')).toHaveLength(1);
    const upload = await s.upload();
    expect(upload).toMatchObject({ status: 'completed', chunksDone: 4, tally: { outcomes: { accepted: 7 } } });
    // Only the call that ended the last chunk saw chunksDone reach chunksTotal.
    expect(s.finishedCalls.filter((u) => u.chunksDone === u.chunksTotal)).toHaveLength(1);
  });

  it('finishes once when chunks end on different paths at the same time (job done, refused, in doubt)', async () => {
    const s = setup({ settings: { jobDeadlineSeconds: 60 } });
    const [a, b, c] = await s.seed([[2, 3], [4], [5, 6]]);
    expect(await s.submit(a!)).toBe('submitted');
    s.fake.bulkAnswers.push(new ValidationError('invalid', context('bulkCreateLeads', 400)));
    expect(await s.submit(b!)).toBe('rejected-by-ipscape');
    s.fake.bulkAnswers.push(new OutcomeUnknownError('server-error', context('bulkCreateLeads', 500)));
    expect(await s.submit(c!)).toBe('in-doubt');
    s.fake.jobStatus = 'done';
    s.fake.leads.push({ listId: LIST, phone: phoneOf(5) }, { listId: LIST, phone: phoneOf(6) });
    s.advance(60);
    const messages = s.pollQueue.messages.splice(0).map((m) => m.message);
    await Promise.all(messages.map((m) => (m.kind === 'poll' ? s.poll(m) : s.reconcile(m))));
    expect(s.summaries).toHaveLength(1);
    expect(s.summaries[0]).toMatchObject({ status: 'failed', rows: 5, outcomes: { accepted: 4, failed: 1 }, conservation: { holds: true } });
  });

  // Regression, fixed (finish never retried): the step that ends an upload's last chunk calls finishUploadIfDone
  // after finishChunk has committed. When finishing fails (S3 down while writing the report or
  // summary), the step throws and its message is redelivered, but the chunk is already final, so
  // poll/submit/reconcile answer `already-handled` and never call onChunkFinished again: the upload
  // stays `polling` (or `submitting`) forever with every chunk ended, no summary, no event. Nothing
  // else ever finishes it. Fix: when a step finds its chunk already in a final state, read the
  // upload and call onChunkFinished(upload) anyway (finishUploadIfDone is conditional and cheap when
  // not due), and in ingest's `resumed` branch call finishUpload when chunksDone >= chunksTotal.
  it.each(['poll', 'submit'] as const)(
    'finishes the upload when the %s message that ended its last chunk is redelivered after finishing failed',
    async (step) => {
      const s = setup();
      const [message] = await s.seed([[2, 3]]);
      const write = s.objects.write;
      const failWrites = () => {
        s.objects.write = async () => {
          throw new Error('S3 is down');
        };
      };
      let redeliver: () => Promise<unknown>;
      if (step === 'poll') {
        await s.submit(message!);
        s.fake.jobStatus = 'completed';
        const [poll] = s.pollQueue.messages.splice(0);
        failWrites();
        await expect(s.poll(poll!.message)).rejects.toThrow('S3 is down');
        redeliver = () => s.poll(poll!.message);
      } else {
        s.fake.bulkAnswers.push(new ValidationError('invalid', context('bulkCreateLeads', 400)));
        failWrites();
        await expect(s.submit(message!)).rejects.toThrow('S3 is down');
        redeliver = () => s.submit(message!);
      }
      s.objects.write = write;
      await redeliver();
      expect(['completed', 'failed']).toContain((await s.upload()).status);
      expect(s.summaries).toHaveLength(1);
    },
  );

  // Regression, fixed (finish not idempotent for the report): finishUploadIfDone claims to be "safe to call
  // again (... the report is rewritten with the same content)", but it reads the current
  // rejected.csv as the parse-time part and appends the chunks' exceptions to it. A second call
  // after the first wrote the report but failed later (summary write, store) appends the same
  // exceptions again: every later row appears twice. Fix: compose the report from a source that
  // does not change, e.g. keep the parse-time rows at their own key (rejected.parse.csv) and
  // always write rejected.csv = parse-time rows + exceptions; or drop lines already present.
  it('writes each row once in rejected.csv when finishing is run again after a failure', async () => {
    const s = setup();
    const [message] = await s.seed([[2, 3]]);
    s.fake.bulkAnswers.push(new ValidationError('invalid', context('bulkCreateLeads', 400)));
    const write = s.objects.write;
    s.objects.write = async (key, body, contentType) => {
      if (key.endsWith('summary.json')) throw new Error('S3 is down');
      return write(key, body, contentType);
    };
    await expect(s.submit(message!)).rejects.toThrow('S3 is down');
    s.objects.write = write;
    const deps = { store: s.store, objects: s.objects, chunks: createObjectChunkStore(s.objects, 'chunks/'), reportsPrefix: 'reports/', telemetry: s.telemetry };
    expect(await finishUploadIfDone(await s.upload(), deps)).toMatchObject({ status: 'failed' });
    expect((await s.rejectedRows())!.map((r) => [r[0], r[2]])).toEqual([
      ['2', 'job-failed'],
      ['3', 'job-failed'],
    ]);
  });

  it('does nothing for an upload whose chunks have not all ended, or that already ended', async () => {
    const s = setup();
    const [a] = await s.seed([[2], [3]]);
    await s.submit(a!);
    s.fake.jobStatus = 'completed';
    await drainPolls(s);
    expect(s.summaries).toHaveLength(0);
    expect((await s.upload()).status).toBe('polling');
    const deps = { store: s.store, objects: s.objects, chunks: createObjectChunkStore(s.objects, 'chunks/'), reportsPrefix: 'reports/', telemetry: s.telemetry };
    expect(await finishUploadIfDone(await s.upload(), deps)).toBeUndefined();
    expect(await finishUploadIfDone({ ...(await s.upload()), status: 'completed', chunksDone: 2 }, deps)).toBeUndefined();
  });
});
