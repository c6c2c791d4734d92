/**
 * One measurement of `ingest.bench.ts`, in a process of its own so that its peak RSS is its own
 * (`process.resourceUsage().maxRSS` is the whole process's lifetime peak).
 *
 * ```
 * node --expose-gc --import tsx bench/ingest/ingest-worker.ts csv-parse <file.csv>
 * node --expose-gc --import tsx bench/ingest/ingest-worker.ts ingest <file.csv>
 * node --expose-gc --import tsx bench/ingest/ingest-worker.ts reader|validate|dedupe|idle <file.csv>
 * ```
 *
 * - `csv-parse`: bare csv-parse, its stream API over `fs.createReadStream` (64 KiB reads), counting
 *   records: the speed the ingest path is measured by.
 * - `ingest`: `ingestUpload` over the same file, as the ingest function runs it, with a memory upload
 *   store, the real chunk store (JSON bodies) over a counting object store that reads the upload from
 *   the file system and discards every write after counting its bytes (chunk bodies, the rejection
 *   report), a submit queue that counts, no suppression, silent telemetry.
 *
 * Prints one JSON line: rows, seconds, CPU seconds, RSS before the work, the peak RSS sampled every
 * 20 ms during it, `maxRSS`, and for `ingest` the upload's tally and accepted rows so the caller can
 * check the file's expected outcomes. Add `--cpu-prof` / `--heap-prof` to the node flags to profile.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { ByteSource } from '../../shared/csv/byte-source';
import { openCsv } from '../../shared/csv/csv-reader';
import { DedupeIndex } from '../../shared/dedupe/dedupe-index';
import { createFingerprinter } from '../../shared/dedupe/fingerprinter';
import { FINGERPRINT_LABELS, ingestUpload } from '../../shared/ingest/ingest-upload';
import { validateLead } from '../../shared/ingest/lead-validation';
import { compileHeaderMapping } from '../../shared/leads/header-mapping';
import { mapRecord } from '../../shared/leads/raw-lead';
import { createMemoryUploadStore } from '../../shared/ingest/memory-upload-store';
import type { SubmitMessage } from '../../shared/ingest/messages';
import { createObjectChunkStore } from '../../shared/ingest/object-chunk-store';
import type { ObjectStore } from '../../shared/ingest/object-store';
import { defaultIngestSettings } from '../../shared/ingest/settings';
import { emptySuppressionList } from '../../shared/ingest/suppression';
import type { WorkQueue } from '../../shared/ingest/work-queue';
import { createProfileRegistry, resolveProfile } from '../../shared/leads/mapping-profile-registry';
import { silentTelemetry } from '../../shared/observability/telemetry';

/**
 * `idle` reads nothing: the RSS of a worker with its imports loaded. `reader`, `validate` and
 * `dedupe` are the ingest path's first stages alone, for a cost breakdown: the CSV reader
 * (`openCsv(...).records`), then `mapRecord` + `validateLead`, then the in-file dedupe fingerprints
 * and index as `ingestUpload` does them (no report, no chunks, no stores).
 */
export type WorkerMode = 'csv-parse' | 'ingest' | 'idle' | 'reader' | 'validate' | 'dedupe';
export const workerModes: readonly WorkerMode[] = ['csv-parse', 'ingest', 'idle', 'reader', 'validate', 'dedupe'];

export interface WorkerResult {
  readonly mode: WorkerMode;
  readonly rows: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** RSS after imports and a GC, before the work (bytes). */
  readonly rssBefore: number;
  /** Highest RSS sampled every 20 ms during the work (bytes). */
  readonly rssPeakSampled: number;
  /** Highest heapUsed, heapTotal, external and arrayBuffers sampled during the work (bytes). */
  readonly heapPeakSampled: number;
  readonly heapTotalPeakSampled: number;
  readonly externalPeakSampled: number;
  readonly arrayBuffersPeakSampled: number;
  /** The process's peak RSS over its whole life, as the kernel counts it (bytes). */
  readonly maxRss: number;
  readonly ingest?: {
    readonly outcome: string;
    readonly accepted: number;
    readonly chunks: number;
    readonly chunkBytes: number;
    readonly reportBytes: number;
    readonly submitMessages: number;
    readonly reasons: Record<string, number>;
  };
}

const HIGH_WATER_MARK = 64 * 1024;
const UPLOAD_KEY = 'incoming/100/leads.csv';
const SECRET = 'bench-dedupe-secret-0123456789abcdef';

async function bareCsvParse(file: string): Promise<number> {
  let records = 0;
  for await (const _record of createReadStream(file, { highWaterMark: HIGH_WATER_MARK }).pipe(parse())) records++;
  return records - 1; // the header
}

/** The first stages of the ingest path alone, as `ingestUpload` runs them; returns the records read. */
async function stages(file: string, upTo: 'reader' | 'validate' | 'dedupe'): Promise<number> {
  const csv = await openCsv(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }));
  let rows = 0;
  if (upTo === 'reader') {
    for await (const _record of csv.records) rows++;
    return rows;
  }
  const mapping = compileHeaderMapping(csv.header, resolveProfile(undefined, createProfileRegistry([])));
  const context = { listId: 100, defaults: mapping.defaults, region: defaultIngestSettings.defaultRegion };
  const phoneFp = createFingerprinter(SECRET, FINGERPRINT_LABELS.phone);
  const keyFp = createFingerprinter(SECRET, FINGERPRINT_LABELS.customerKey);
  const seen = new DedupeIndex();
  for await (const record of csv.records) {
    rows++;
    if (record.problem) continue;
    const mapped = mapRecord(mapping, record.fields);
    if (mapped.problems.length) continue;
    const valid = validateLead(mapped.lead, context);
    if (!valid.ok || upTo === 'validate') continue;
    const list = String(valid.lead.listId);
    const phoneHi = phoneFp.fingerprintParts(list, valid.lead.phone1!);
    const phoneLo = phoneFp.lo;
    if (seen.hasWords(phoneHi, phoneLo)) continue;
    let keyHi = 0;
    let keyLo = 0;
    if (valid.lead.customerKey) {
      keyHi = keyFp.fingerprintParts(list, valid.lead.customerKey);
      keyLo = keyFp.lo;
      if (seen.hasWords(keyHi, keyLo)) continue;
    }
    seen.addWordsIfAbsent(phoneHi, phoneLo);
    if (valid.lead.customerKey) seen.addWordsIfAbsent(keyHi, keyLo);
  }
  return rows;
}

/** Bytes written under each prefix; the bytes themselves are dropped. */
interface WriteCounts {
  chunkWrites: number;
  chunkBytes: number;
  reportBytes: number;
  otherBytes: number;
}

/** An object store whose only object is the upload (read from disk) and whose writes are counted, then dropped. */
function fileBackedCountingStore(file: string, size: number, counts: WriteCounts): ObjectStore {
  const count = (key: string, n: number) => {
    if (key.startsWith('chunks/')) counts.chunkBytes += n;
    else if (key.startsWith('reports/')) counts.reportBytes += n;
    else counts.otherBytes += n;
  };
  return {
    async head(key) {
      return key === UPLOAD_KEY ? { size, eTag: `"bench-${size}"`, metadata: {} } : undefined;
    },
    async read(key): Promise<ByteSource> {
      if (key !== UPLOAD_KEY) throw new Error(`no object ${key}`);
      return createReadStream(file, { highWaterMark: HIGH_WATER_MARK });
    },
    async readText() {
      return undefined;
    },
    async write(key, body) {
      if (key.startsWith('chunks/')) counts.chunkWrites++;
      if (typeof body === 'string') return count(key, Buffer.byteLength(body));
      if (body instanceof Uint8Array) return count(key, body.byteLength);
      for await (const part of body) count(key, typeof part === 'string' ? Buffer.byteLength(part) : part.byteLength);
    },
    async delete() {},
  };
}

async function ingest(file: string): Promise<{ rows: number; details: NonNullable<WorkerResult['ingest']> }> {
  const { size } = await stat(file);
  const counts: WriteCounts = { chunkWrites: 0, chunkBytes: 0, reportBytes: 0, otherBytes: 0 };
  const objects = fileBackedCountingStore(file, size, counts);
  const store = createMemoryUploadStore();
  let submitMessages = 0;
  const submitQueue: WorkQueue<SubmitMessage> = {
    async send() {
      submitMessages++;
    },
    async sendAll(messages) {
      submitMessages += messages.length;
    },
  };
  const outcome = await ingestUpload(
    { bucket: 'bench', key: UPLOAD_KEY },
    {
      store,
      objects,
      chunks: createObjectChunkStore(objects, 'chunks/'),
      submitQueue,
      suppression: emptySuppressionList,
      profiles: createProfileRegistry([]),
      settings: defaultIngestSettings,
      secret: SECRET,
      prefixes: { incoming: 'incoming/', reports: 'reports/', chunks: 'chunks/' },
      telemetry: silentTelemetry,
      finishUpload: async () => undefined,
    },
  );
  if (outcome.kind === 'object-gone') throw new Error('the upload was not found');
  const upload = await store.getUpload(outcome.uploadId);
  const chunks = await store.listChunks(outcome.uploadId);
  return {
    rows: upload?.rows ?? 0,
    details: {
      outcome: outcome.kind,
      accepted: chunks.reduce((n, c) => n + c.rows, 0),
      chunks: counts.chunkWrites,
      chunkBytes: counts.chunkBytes,
      reportBytes: counts.reportBytes,
      submitMessages,
      reasons: { ...(upload?.tally.reasons as Record<string, number>) },
    },
  };
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2) as [WorkerMode | undefined, string | undefined];
  if (!mode || !workerModes.includes(mode) || !file) {
    console.error(`usage: ingest-worker.ts ${workerModes.join('|')} <file.csv>`);
    process.exit(2);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeakSampled = rssBefore;
  let heapPeakSampled = 0;
  let heapTotalPeakSampled = 0;
  let externalPeakSampled = 0;
  let arrayBuffersPeakSampled = 0;
  let ticks = 0;
  const sample = () => {
    // rss() alone is cheap; the full breakdown (which walks the heap spaces) every 10th tick.
    const rss = process.memoryUsage.rss();
    if (rss > rssPeakSampled) rssPeakSampled = rss;
    if (ticks++ % 10 !== 0) return;
    const m = process.memoryUsage();
    if (m.rss > rssPeakSampled) rssPeakSampled = m.rss;
    if (m.heapUsed > heapPeakSampled) heapPeakSampled = m.heapUsed;
    if (m.heapTotal > heapTotalPeakSampled) heapTotalPeakSampled = m.heapTotal;
    if (m.external > externalPeakSampled) externalPeakSampled = m.external;
    if (m.arrayBuffers > arrayBuffersPeakSampled) arrayBuffersPeakSampled = m.arrayBuffers;
  };
  const sampler = setInterval(sample, 20);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let rows: number;
  let details: WorkerResult['ingest'];
  if (mode === 'idle') rows = 0;
  else if (mode === 'csv-parse') rows = await bareCsvParse(file);
  else if (mode === 'ingest') ({ rows, details } = await ingest(file));
  else rows = await stages(file, mode);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  ticks = 0;
  sample();
  clearInterval(sampler);
  const result: WorkerResult = {
    mode,
    rows,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    rssBefore,
    rssPeakSampled,
    heapPeakSampled,
    heapTotalPeakSampled,
    externalPeakSampled,
    arrayBuffersPeakSampled,
    maxRss: process.resourceUsage().maxRSS * 1024,
    ...(details && { ingest: details }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
