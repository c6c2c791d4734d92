/**
 * Ingestion end to end against the ipSCAPE simulator over real HTTP, in real time: how fast leads
 * reach ipSCAPE when the tenant allows 10 requests a second, how much of that allowance is used, how
 * often the client is answered 429, and how late the end of each bulk job is noticed.
 *
 * Set-up: the simulator on its own running clock (`freezeClock: false`), bulk jobs of 3 s, a 10 req/s
 * token bucket (burst: one second's worth); the domain as deployed but with memory stores
 * (`createIngestion`), the real client with `createTenantLimiter` at the same 10 req/s (burst 5,
 * 4 in flight); 5,000 generated rows (`generate-leads.ts`, ~3 % refused at parse) in chunks of 100;
 * settings `pollMinDelaySeconds: 1`, `pollLateness: 0.25`. The submit queue is drained by 2 in-process
 * workers and the poll queue by 4; a poll message becomes visible after its delay (a real
 * `setTimeout`), as SQS would make it. A submit that throws (ipSCAPE refused before processing) is
 * retried after 1 s, as SQS would redeliver it.
 *
 * Figures:
 * - leads/s: leads accepted by ipSCAPE ÷ time from the ingest call to the upload's finish event;
 * - share of the allowed rate used: requests the simulator accepted (not 429) per second, over the
 *   span from the first request to the last, ÷ 10 (also over the submit phase alone);
 * - share of requests answered 429 (target ≤ 1 %);
 * - per bulk job, how long after its end (the simulator's submission time + 3 s, from
 *   `GET /__admin/bulk-jobs`) our poll got the answer that it had ended, as a share of its duration
 *   (target ≤ 25 %), split into the wait for the poll to come due and the wait after (limiter, workers).
 *
 * Run: `npm run bench -- end-to-end` or `node --import tsx bench/ingest/end-to-end.bench.ts [--rows=5000]
 * [--job-ms=3000] [--poll-min-delay=1] [--learn-job-durations]`.
 * Takes about 30 s. Prints, never asserts.
 */
import { readFileSync } from 'node:fs';
import { startSimulator } from '../../local/simulator/index';
import type { RequestLogEntry } from '../../local/simulator/index';
import { createIngestion } from '../../shared/ingest/ingestion';
import { createJobDurations } from '../../shared/ingest/poll-chunk';
import { createLeadIdentifier } from '../../shared/ingest/lead-identity';
import { createMemoryObjectStore } from '../../shared/ingest/memory-object-store';
import { createMemoryUploadStore } from '../../shared/ingest/memory-upload-store';
import type { PollMessage, SubmitMessage } from '../../shared/ingest/messages';
import { createObjectChunkStore } from '../../shared/ingest/object-chunk-store';
import { defaultIngestSettings, type IngestSettings } from '../../shared/ingest/settings';
import { emptySuppressionList } from '../../shared/ingest/suppression';
import type { UploadSummary } from '../../shared/ingest/upload-summary';
import type { WorkQueue } from '../../shared/ingest/work-queue';
import { createIpscapeClient } from '../../shared/ipscape/client';
import { createTenantLimiter } from '../../shared/ipscape/limiter';
import { classifyBulkStatus, parseTenantConfig } from '../../shared/ipscape/tenant-config';
import { createProfileRegistry } from '../../shared/leads/mapping-profile-registry';
import { silentTelemetry } from '../../shared/observability/telemetry';
import { ensureLeadFile } from './generate-leads';

const ROWS = Number(process.argv.find((a) => a.startsWith('--rows='))?.slice(7) ?? process.env.LEADFLOW_E2E_ROWS ?? 5000);
const CHUNK_SIZE = 100;
const RATE = 10;
const CLIENT_BURST = 5;
const CLIENT_CONCURRENCY = 4;
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const JOB_MS = Number(arg('job-ms') ?? process.env.LEADFLOW_E2E_JOB_MS ?? 3000);
const POLL_MIN_DELAY_SECONDS = Number(arg('poll-min-delay') ?? process.env.LEADFLOW_E2E_POLL_MIN_DELAY ?? 1);
/** Polls aim at a running job's expected end, learned from earlier jobs (`createJobDurations`); off as deployed until the composition root passes one. */
const LEARN_JOB_DURATIONS = process.argv.includes('--learn-job-durations') || process.env.LEADFLOW_E2E_LEARN === '1';
const SUBMIT_WORKERS = 2;
const POLL_WORKERS = 4;
const RETRY_SUBMIT_MS = 1000;
const TIME_LIMIT_MS = 110_000;
const TARGET_429 = 0.01;
const TARGET_LATENESS = 0.25;
const LIST_ID = 1; // seeded in the simulator
const API_KEY = 'bench-e2e-key';
const SECRET = 'bench-e2e-dedupe-secret-0123456789abcdef';

const settings: IngestSettings = { ...defaultIngestSettings, chunkSize: CHUNK_SIZE, pollMinDelaySeconds: POLL_MIN_DELAY_SECONDS, pollLateness: 0.25 };

/** A queue whose messages become visible after their delay; workers take visible ones in order. */
class DelayQueue<T> implements WorkQueue<T> {
  private readonly visible: { message: T; visibleAt: number }[] = [];
  private readonly waiters: (() => void)[] = [];
  private timers = 0;
  closed = false;

  async send(message: T, delaySeconds = 0): Promise<void> {
    if (delaySeconds <= 0) return this.push(message);
    this.timers++;
    setTimeout(() => {
      this.timers--;
      this.push(message);
    }, delaySeconds * 1000);
  }

  async sendAll(messages: readonly T[]): Promise<void> {
    for (const message of messages) this.push(message);
  }

  private push(message: T): void {
    this.visible.push({ message, visibleAt: performance.now() });
    this.waiters.shift()?.();
  }

  /** The next visible message (with when it became visible), or undefined once closed. */
  async take(): Promise<{ message: T; visibleAt: number } | undefined> {
    for (;;) {
      const next = this.visible.shift();
      if (next) return next;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  get idle(): boolean {
    return this.visible.length === 0 && this.timers === 0;
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

const file = await ensureLeadFile(ROWS);
const sim = await startSimulator({
  port: 0,
  apiKey: API_KEY,
  tenant: parseTenantConfig({ baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0' }, 'simulator tenant'),
  seed: 1,
  bulkJobDurationMs: JOB_MS,
  freezeClock: false,
  faults: { rateLimitPerSecond: RATE },
});
const admin = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${sim.url}/__admin${path}`);
  if (!res.ok) throw new Error(`admin ${path}: ${res.status}`);
  return (await res.json()) as T;
};

try {
  const tenant = parseTenantConfig(
    { baseUrl: sim.baseUrl, limits: { requestsPerSecond: RATE, burst: CLIENT_BURST, maxConcurrency: CLIENT_CONCURRENCY } },
    'client tenant',
  );
  const client = createIpscapeClient({ tenant, apiKey: API_KEY, limiter: createTenantLimiter(tenant.limits) });

  // When our polls got each job's terminal status (first time only), measured where the answer arrives.
  const noticed = new Map<string, number>();
  const ipscape = {
    bulkCreateLeads: client.bulkCreateLeads.bind(client),
    listLeads: client.listLeads.bind(client),
    pages: client.pages.bind(client),
    async getBulkJob(...args: Parameters<typeof client.getBulkJob>) {
      const job = await client.getBulkJob(...args);
      if (classifyBulkStatus(tenant, job.status) !== 'running' && !noticed.has(args[0])) noticed.set(args[0], Date.now());
      return job;
    },
  };

  const objects = createMemoryObjectStore();
  const store = createMemoryUploadStore();
  const submitQueue = new DelayQueue<SubmitMessage>();
  const pollQueue = new DelayQueue<PollMessage>();
  let finished: UploadSummary | undefined;
  let finishedAt = 0;
  const ingestionDeps = {
    ...(LEARN_JOB_DURATIONS && { jobDurations: createJobDurations() }),
    store,
    objects,
    chunks: createObjectChunkStore(objects, 'chunks/'),
    submitQueue,
    pollQueue,
    ipscape,
    tenant,
    suppression: emptySuppressionList,
    identity: createLeadIdentifier(SECRET),
    profiles: createProfileRegistry([]),
    settings,
    secret: SECRET,
    prefixes: { incoming: 'incoming/', reports: 'reports/', chunks: 'chunks/' },
    telemetry: silentTelemetry,
    events: {
      uploadFinished: async (summary: UploadSummary) => {
        finished = summary;
        finishedAt = performance.now();
        submitQueue.close();
        pollQueue.close();
      },
    },
  };
  // Poll steps get every port (`{ ...ports }`), the job durations included when given.
  const ingestion = createIngestion(ingestionDeps);
  const key = `incoming/${LIST_ID}/leads-${ROWS}.csv`;
  objects.put(key, readFileSync(file.path));

  // When the poll that noticed each chunk's end became visible (chunk → ms, performance clock).
  const noticingPollVisibleAt = new Map<number, number>();
  let submitRetries = 0;
  const errors: string[] = [];
  const submitWorker = async () => {
    for (let item = await submitQueue.take(); item; item = await submitQueue.take()) {
      try {
        await ingestion.submit(item.message);
      } catch (error) {
        submitRetries++;
        if (errors.length < 5) errors.push(`submit: ${(error as Error).message}`);
        await submitQueue.send(item.message, RETRY_SUBMIT_MS / 1000);
      }
    }
  };
  const pollWorker = async () => {
    for (let item = await pollQueue.take(); item; item = await pollQueue.take()) {
      try {
        const outcome = await ingestion.poll(item.message);
        if (outcome === 'succeeded' || outcome === 'failed') noticingPollVisibleAt.set(item.message.chunk, item.visibleAt);
      } catch (error) {
        if (errors.length < 5) errors.push(`poll: ${(error as Error).message}`);
        await pollQueue.send(item.message, 1);
      }
    }
  };

  const perfToWall = Date.now() - performance.now();
  const start = performance.now();
  const ingestOutcome = await ingestion.ingest({ bucket: 'bench', key });
  const parsedAt = performance.now();
  const workers = [...Array.from({ length: SUBMIT_WORKERS }, submitWorker), ...Array.from({ length: POLL_WORKERS }, pollWorker)];
  const limit = setTimeout(() => {
    errors.push(`stopped after ${TIME_LIMIT_MS / 1000} s without the upload finishing`);
    submitQueue.close();
    pollQueue.close();
  }, TIME_LIMIT_MS);
  await Promise.all(workers);
  clearTimeout(limit);
  const end = finishedAt || performance.now();

  const requests = (await admin<{ requests: RequestLogEntry[] }>('/requests')).requests;
  const jobs = (await admin<{ jobs: { uuid: string; status: string; total: number; submitted: string }[] }>('/bulk-jobs')).jobs;
  const chunks = ingestOutcome.kind === 'object-gone' ? [] : await store.listChunks(ingestOutcome.uploadId);

  const accepted = finished?.outcomes.accepted ?? 0;
  const seconds = (end - start) / 1000;
  const answered = requests.filter((r) => r.status !== null);
  const limited = answered.filter((r) => r.status === 429);
  const ok = answered.filter((r) => r.status !== 429);
  const span = (rs: RequestLogEntry[]) => (rs.length > 1 ? (rs[rs.length - 1]!.wallTimeMs - rs[0]!.wallTimeMs) / 1000 : NaN);
  const okSpan = span(answered);
  const submits = ok.filter((r) => r.operationId === 'bulkCreateLeads');
  const lastSubmitMs = submits.length ? submits[submits.length - 1]!.wallTimeMs : NaN;
  const duringSubmits = ok.filter((r) => r.wallTimeMs <= lastSubmitMs);

  const byUuid = new Map(chunks.filter((c) => c.jobUuid).map((c) => [c.jobUuid!, c]));
  // Lateness split: the poll that noticed the end came due after the end (the schedule's part, 0 when
  // it was due before), and the rest, from max(end, due) to the answer (limiter queue, workers, HTTP).
  const lateness: { share: number; scheduleShare: number; queueShare: number }[] = [];
  for (const job of jobs) {
    const endMs = Date.parse(job.submitted) + JOB_MS;
    const seen = noticed.get(job.uuid);
    if (seen === undefined) continue;
    const chunk = byUuid.get(job.uuid);
    const visibleAt = chunk ? noticingPollVisibleAt.get(chunk.chunk) : undefined;
    const dueMs = visibleAt === undefined ? seen : visibleAt + perfToWall;
    const share = (seen - endMs) / JOB_MS;
    const scheduleShare = Math.max(0, (dueMs - endMs) / JOB_MS);
    lateness.push({ share, scheduleShare, queueShare: share - scheduleShare });
  }
  const shares = lateness.map((l) => l.share);
  const over = shares.filter((s) => s > TARGET_LATENESS).length;

  console.log(
    `${ROWS.toLocaleString('en-AU')} rows (${(file.rows - file.expected.accepted).toLocaleString('en-AU')} refused at parse), chunks of ${CHUNK_SIZE}, ` +
      `bulk jobs ${JOB_MS / 1000} s, simulator ${RATE} req/s (burst ${RATE}), client ${RATE} req/s (burst ${CLIENT_BURST}, ${CLIENT_CONCURRENCY} in flight), ` +
      `${SUBMIT_WORKERS} submit + ${POLL_WORKERS} poll workers, pollMinDelaySeconds ${settings.pollMinDelaySeconds}, pollLateness ${settings.pollLateness}, ` +
      `polls aimed at the expected end: ${LEARN_JOB_DURATIONS ? 'yes (--learn-job-durations)' : 'no'}`,
  );
  console.log(`upload: ${ingestOutcome.kind}, ${finished ? `finished ${finished.status}` : 'NOT finished'}; parse ${((parsedAt - start) / 1000).toFixed(2)} s; end to end ${seconds.toFixed(1)} s`);
  console.log(`leads accepted by ipSCAPE: ${accepted.toLocaleString('en-AU')} in ${chunks.length} chunks → ${(accepted / seconds).toFixed(0)} leads/s (rows ${(ROWS / seconds).toFixed(0)}/s)`);
  console.log(
    `requests: ${answered.length} (${submits.length} bulk creates, ${ok.filter((r) => r.operationId === 'getBulkJob').length} job polls accepted), ` +
      `${limited.length} answered 429 = ${pct(limited.length / Math.max(1, answered.length))} (target ≤ ${pct(TARGET_429)}); ` +
      `submit retries ${submitRetries}`,
  );
  console.log(
    `rate used: ${(ok.length / okSpan).toFixed(2)} accepted req/s over ${okSpan.toFixed(1)} s = ${pct(ok.length / okSpan / RATE)} of ${RATE} req/s; ` +
      `while chunks were still being submitted: ${(duringSubmits.length / span(duringSubmits)).toFixed(2)} req/s = ${pct(duringSubmits.length / span(duringSubmits) / RATE)}`,
  );
  console.log(
    `end of a bulk job noticed after (share of its ${JOB_MS / 1000} s): median ${pct(percentile(shares, 50))}, p90 ${pct(percentile(shares, 90))}, ` +
      `max ${pct(Math.max(...shares))}; ${over} of ${shares.length} jobs over ${pct(TARGET_LATENESS)} (target ≤ ${pct(TARGET_LATENESS)})`,
  );
  const schedule = lateness.map((l) => l.scheduleShare);
  const queue = lateness.map((l) => l.queueShare);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(
    `  split: the noticing poll came due after the end by mean ${pct(mean(schedule))} (max ${pct(Math.max(...schedule))}); ` +
      `then waited for its answer (limiter queue, workers, HTTP) mean ${pct(mean(queue))} (max ${pct(Math.max(...queue))})`,
  );
  const polls = chunks.map((c) => c.polls + 1);
  console.log(`polls per chunk: median ${percentile(polls, 50)}, max ${Math.max(...polls)}`);
  if (errors.length) console.log(`errors: ${errors.join(' | ')}`);
} finally {
  await sim.close();
}
