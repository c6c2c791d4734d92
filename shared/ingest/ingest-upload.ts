/**
 * Ingest: one uploaded CSV object becomes chunks of valid leads announced on the submit queue, and a
 * report of every row that did not make it. Streams the object through the CSV reader; memory holds
 * one chunk and the compact in-file dedupe index, never the file.
 *
 * Exactly once: the upload id comes from the object version, so a redelivered event finds its upload
 * and does nothing (or finishes what a crashed attempt started). Chunk records and announcements are
 * written only once the whole file is read, after the content claim, so an attempt that dies while
 * parsing leaves nothing a rerun could double; chunk bodies are deterministic and simply rewritten.
 * The same content uploaded again to the same list is claimed by the first upload: the second one's
 * rows are all `duplicate-upload`, unless the upload asks for a rerun (`x-amz-meta-rerun: true`).
 *
 * A file too large for one invocation is parsed in segments: when time runs short (or after
 * `rowsPerInvocation` rows) the parse writes a checkpoint (`ingest-checkpoint.ts`) and sends an
 * `ingest-continue` message; the next invocation goes on from it. Any ingest message for an upload
 * still `parsing` goes on from its latest checkpoint, so a lost hand-over message or a redelivered
 * event resumes rather than restarts. Two invocations racing over one segment produce the same chunk
 * bodies (a chunk is always the next `chunkSize` accepted rows) and only one of them hands over.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ByteSource } from '../csv/byte-source';
import { openCsv } from '../csv/csv-reader';
import { isPermanentCsvError } from '../csv/errors';
import { DedupeIndex } from '../dedupe/dedupe-index';
import { createFingerprinter } from '../dedupe/fingerprinter';
import { compileHeaderMapping, hasMappingErrors } from '../leads/header-mapping';
import { MappingProfileError } from '../leads/mapping-profile';
import { resolveProfile, type MappingProfileRegistry } from '../leads/mapping-profile-registry';
import { mapRecord } from '../leads/raw-lead';
import type { Telemetry } from '../observability/telemetry';
// An operator may name a file after a person (`jane@example.com.csv`): keys are masked like any text in a log.
import { redactText } from '../privacy/redact';
import { ChunkBodyBuilder } from './chunk-body-builder';
import type { ChunkStore } from './chunk-store';
import { CheckpointError, checkpointKeys, checkpointPrefix, readCheckpoint, removeParseObjects, writeCheckpoint, type ReadCheckpoint } from './ingest-checkpoint';
import { ERASURE_REWRITE_METADATA } from '../erasure/purge-objects';
import { createRowIndexer, ROW_INDEX_BATCH, type RowIdentifiers } from '../erasure/row-indexer';
import type { PersonIndex } from '../erasure/person-index';
import { validateLead } from './lead-validation';
import type { IngestContinueMessage, SubmitMessage } from './messages';
import { deleteAllUnder, type ObjectStore, type UploadPrefixes } from './object-store';
import { outcomeOf, type ReasonCode } from './outcomes';
import { columnMask, createRejectionReport, type RejectionReport } from './rejection-report';
import type { IngestSettings } from './settings';
import type { SuppressionList } from './suppression';
import { parseUploadKey, UploadKeyError, type UploadKey } from './upload-key';
import { uploadIdOf } from './upload-id';
import type { ChunkRecord, Tally, UploadRecord, UploadStore } from './upload-state';
import type { WorkQueue } from './work-queue';

/** Fingerprint labels of the in-file dedupe and the parse-time suppression check. */
export const FINGERPRINT_LABELS = {
  phone: 'in-file-phone/v1',
  customerKey: 'in-file-customer-key/v1',
  suppression: 'suppression/v1',
} as const;

export interface IngestDeps {
  readonly store: UploadStore;
  readonly objects: ObjectStore;
  readonly chunks: ChunkStore;
  readonly submitQueue: WorkQueue<SubmitMessage>;
  /** Where a parse hands over to a fresh invocation; without it a parse runs to the end in one. */
  readonly ingestQueue?: WorkQueue<IngestContinueMessage>;
  readonly suppression: SuppressionList;
  readonly profiles: MappingProfileRegistry;
  readonly settings: IngestSettings;
  /** The dedupe secret (fingerprints and keyed hashes). */
  readonly secret: Uint8Array | string;
  /** Where the identifiers of every row are indexed for erasure (`shared/erasure/person-index.ts`); none in unit tests. */
  readonly personIndex?: PersonIndex;
  /** `chunks` also holds the checkpoints. */
  readonly prefixes: UploadPrefixes;
  readonly telemetry: Telemetry;
  /** Finishes an upload whose chunks have all ended (or that has none). */
  readonly finishUpload: (upload: UploadRecord) => Promise<void>;
  readonly now?: () => Date;
}

/** The object an event named. */
export interface UploadObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string | undefined;
  readonly eTag?: string | undefined;
}

export type IngestOutcome =
  /** The object is gone, or is an erasure's rewrite of an upload already ingested: nothing to ingest. */
  | { readonly kind: 'object-gone' }
  | {
      readonly kind: 'already-done' | 'resumed' | 'ingested' | 'duplicate-upload' | 'refused' | 'continued' | 'lost-race';
      readonly uploadId: string;
    };

/** What the invocation running a parse tells it. */
export interface IngestRunOptions {
  /** Milliseconds left in this invocation (Lambda's `context.getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number;
}

/**
 * Where an upload's reports go. The rows refused while parsing are written in parts under
 * `parseRejectedPrefix` (one per parse invocation that refused one), kept apart until finish composes
 * `rejected.csv` from them and the rows taken out later, so that finishing twice writes the same file.
 */
export function reportKeys(reportsPrefix: string, uploadId: string) {
  return {
    summary: `${reportsPrefix}${uploadId}/summary.json`,
    rejected: `${reportsPrefix}${uploadId}/rejected.csv`,
    /** Parts of the parse-time report: `<segment>-<attempt>.csv`, one per parse invocation that rejected a row. */
    parseRejectedPrefix: `${reportsPrefix}${uploadId}/parse-rejected/`,
  };
}


class TallyCounter {
  readonly outcomes: Record<string, number>;
  readonly reasons: Record<string, number>;
  constructor(from: Tally = { outcomes: {}, reasons: {} }) {
    this.outcomes = { ...from.outcomes } as Record<string, number>;
    this.reasons = { ...from.reasons } as Record<string, number>;
  }
  add(reason: ReasonCode, n = 1) {
    const outcome = outcomeOf(reason);
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + n;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + n;
  }
  toTally(): Tally {
    return { outcomes: { ...this.outcomes }, reasons: { ...this.reasons } };
  }
}

/** Tees a byte source through SHA-256, so the content hash is known when the last row is read. */
function hashing(source: ByteSource, hash: ReturnType<typeof createHash>): ByteSource {
  return (async function* () {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
  })();
}

/**
 * Ingests one uploaded object. Safe to run again for the same event.
 *
 * @throws on infrastructure failures (S3, DynamoDB, SQS), so the event is retried; problems with the
 * file itself never throw: they end the upload as `failed` with a reason in its report.
 */
export async function ingestUpload(ref: UploadObjectRef, deps: IngestDeps, options: IngestRunOptions = {}): Promise<IngestOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry } = deps;
  // The version the event named: a newer upload of the same key has its own metadata (profile, rerun).
  const head = await deps.objects.head(ref.key, ref.versionId ? { versionId: ref.versionId } : {});
  if (!head) {
    telemetry.warn('the uploaded object is gone; nothing to ingest', { key: redactText(ref.key) });
    return { kind: 'object-gone' };
  }
  if (head.metadata[ERASURE_REWRITE_METADATA] !== undefined) {
    telemetry.info('an erasure rewrote this upload without a person: not ingested again', { key: redactText(ref.key) });
    return { kind: 'object-gone' };
  }
  const versionId = ref.versionId ?? head.versionId;
  const uploadId = uploadIdOf(ref.bucket, ref.key, versionId ?? head.eTag ?? ref.eTag);
  const log = { uploadId };

  const keyInfo = tryParseUploadKey(ref.key, deps.prefixes.incoming);
  const stamp = now().toISOString();
  const profile = keyInfo.key?.profile ?? head.metadata.profile;
  const created = await store.createUpload({
    uploadId,
    bucket: ref.bucket,
    key: ref.key,
    ...(versionId && { versionId }),
    ...((head.eTag ?? ref.eTag) && { eTag: head.eTag ?? ref.eTag }),
    fileName: keyInfo.key?.fileName ?? ref.key.split('/').pop() ?? ref.key,
    ...(keyInfo.key?.listId !== undefined && { listId: keyInfo.key.listId }),
    ...(profile && { profile }),
    rerun: head.metadata.rerun?.toLowerCase() === 'true',
    dedupe: head.metadata.dedupe === 'file-only' ? 'file-only' : 'list',
    status: 'received',
    receivedAt: stamp,
    updatedAt: stamp,
    chunksDone: 0,
    tally: { outcomes: {}, reasons: {} },
  });
  const upload = created.created ? created.record : created.existing;
  if (!created.created) {
    switch (upload.status) {
      case 'received':
      case 'parsing':
        telemetry.info(
          upload.checkpoint
            ? `upload found parsing: going on from its checkpoint (segment ${upload.checkpoint.segment})`
            : `upload found ${upload.status}: an earlier attempt stopped; parsing again`,
          log,
        );
        break;
      default:
        return resumeParsed(upload, deps);
    }
  }
  return parseUpload(upload, head.size, deps, options);
}

/**
 * Goes on with a parse that handed over. Whatever segment the message names, the parse goes on from
 * the upload's latest checkpoint: a message older than that (a duplicate, or a retry after the next
 * hand-over's message was lost) resumes instead of stranding the upload.
 */
export async function continueUpload(message: IngestContinueMessage, deps: IngestDeps, options: IngestRunOptions = {}): Promise<IngestOutcome> {
  const upload = await deps.store.getUpload(message.uploadId);
  const log = { uploadId: message.uploadId, segment: message.segment };
  if (!upload) {
    deps.telemetry.warn('ingest-continue for an unknown upload: nothing to do', log);
    return { kind: 'already-done', uploadId: message.uploadId };
  }
  if (upload.status !== 'parsing') return resumeParsed(upload, deps);
  if ((upload.checkpoint?.segment ?? 0) !== message.segment) {
    deps.telemetry.info(`ingest-continue names segment ${message.segment}, the latest checkpoint is ${upload.checkpoint?.segment ?? 0}: going on from the latest`, log);
  }
  const head = await deps.objects.head(upload.key, upload.versionId ? { versionId: upload.versionId } : {});
  return parseUpload(upload, head?.size, deps, options);
}

/** What a redelivered message does for an upload already past parsing. */
async function resumeParsed(upload: UploadRecord, deps: IngestDeps): Promise<IngestOutcome> {
  const log = { uploadId: upload.uploadId };
  switch (upload.status) {
    case 'submitting':
    case 'polling':
      await announce(upload, await deps.store.listChunks(upload.uploadId), deps);
      deps.telemetry.info('upload already parsed: pending chunks announced again', log);
      // All chunks ended (or there were none) but the attempt that ended the last one did not finish it.
      if (upload.chunksTotal !== undefined && upload.chunksDone >= upload.chunksTotal) await deps.finishUpload(upload);
      return { kind: 'resumed', uploadId: upload.uploadId };
    default:
      deps.telemetry.info(`upload already ${upload.status}: nothing to do`, log);
      return { kind: 'already-done', uploadId: upload.uploadId };
  }
}

function tryParseUploadKey(key: string, incoming: string): { key?: UploadKey; error?: string } {
  try {
    return { key: parseUploadKey(key, incoming) };
  } catch (error) {
    if (!(error instanceof UploadKeyError)) throw error;
    return { error: error.reason };
  }
}

/**
 * The parse of one segment: from the start, or from the upload's latest checkpoint.
 *
 * @param objectBytes - the size of the version being parsed; undefined when it is gone.
 */
async function parseUpload(found: UploadRecord, objectBytes: number | undefined, deps: IngestDeps, options: IngestRunOptions): Promise<IngestOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry, settings } = deps;
  const { uploadId } = found;
  const log = { uploadId };
  const chunksPrefix = deps.prefixes.chunks;
  // A refused or abandoned upload (failure recorded, finish pending or failed) never parses again.
  const upload = await store.transitionUpload(uploadId, ['received', 'parsing'], 'parsing', {}, { noFailure: true });
  if (!upload) {
    // Refused (or abandoned) but not finished yet, when the attempt that refused it died before
    // finishing: finish it now (finishing is idempotent).
    const current = await store.getUpload(uploadId);
    if (current?.status === 'parsing' && current.failure) {
      await deps.finishUpload(current);
      return { kind: 'refused', uploadId };
    }
    return { kind: 'already-done', uploadId };
  }
  const keyInfo = tryParseUploadKey(upload.key, deps.prefixes.incoming);
  const keys = reportKeys(deps.prefixes.reports, uploadId);

  /** Removes what this parse wrote for the upload before it was refused or lost its race. */
  const discard = async (objectKeys: readonly string[]) => {
    await Promise.all(objectKeys.map((key) => deps.objects.delete(key)));
  };
  const refuse = async (reason: string, message: string, written: readonly string[] = []) => {
    await discard(written);
    // Nothing was announced: every chunk body and checkpoint of the upload goes (they hold leads).
    await removeParseObjects(deps.objects, chunksPrefix, uploadId);
    const failed = await store.transitionUpload(
      uploadId,
      ['parsing'],
      'parsing',
      { failure: { reason, message }, rows: 0, chunksTotal: 0, tally: { outcomes: {}, reasons: {} }, rejectedParts: [], parsedAt: now().toISOString() },
      { noFailure: true },
    );
    telemetry.warn('upload refused as a whole', { ...log, reason });
    telemetry.metric('UploadsRefused', 1);
    if (failed) await deps.finishUpload(failed);
    return { kind: 'refused' as const, uploadId };
  };
  if (keyInfo.error) return refuse('bad-key', `the upload key ${keyInfo.error}`);
  if (objectBytes === undefined) return refuse('object-gone', 'the upload was deleted (or its version) before it was read to the end; nothing was sent');

  let resolved;
  try {
    resolved = resolveProfile(upload.profile, deps.profiles);
  } catch (error) {
    if (error instanceof MappingProfileError) return refuse('unknown-profile', `no mapping profile named "${upload.profile}"`);
    throw error;
  }

  // Where this segment starts: the beginning, or the latest checkpoint.
  let from: ReadCheckpoint | undefined;
  if (upload.checkpoint) {
    try {
      from = await readCheckpoint(deps.objects, upload.checkpoint.key);
    } catch (error) {
      // It will not heal by retrying: end the upload, saying so, rather than park it for the sweep.
      if (!(error instanceof CheckpointError)) throw error;
      telemetry.error('the parse checkpoint cannot be read', { ...log, checkpoint: upload.checkpoint.key });
      return refuse('checkpoint-unreadable', `${error.message}; nothing was sent: upload the file again`);
    }
  }
  const segment = from?.checkpoint.segment ?? 0;
  const version = upload.versionId ? { versionId: upload.versionId } : {};

  const sha = createHash('sha256');
  let csv;
  try {
    if (from) {
      // A SHA-256 state cannot be saved, so a continued parse hashes what came before once more.
      for await (const part of await deps.objects.read(upload.key, { ...version, range: { start: 0, end: from.checkpoint.resume.offset } })) sha.update(part);
      const rest = await deps.objects.read(upload.key, { ...version, range: { start: from.checkpoint.resume.offset } });
      csv = await openCsv(hashing(rest, sha), { resume: from.checkpoint.resume });
    } else {
      csv = await openCsv(hashing(await deps.objects.read(upload.key, version), sha));
    }
  } catch (error) {
    if (isPermanentCsvError(error)) return refuse((error as { reason: string }).reason, (error as Error).message, from?.checkpoint.chunks.map((c) => c.key));
    throw error;
  }
  const mapping = compileHeaderMapping(csv.header, resolved);
  if (hasMappingErrors(mapping)) {
    await csv.close();
    const problems = mapping.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.code} in column${p.columns.length > 1 ? 's' : ''} ${p.columns.map((c) => c + 1).join(', ')}`);
    return refuse('bad-header', `the header cannot be mapped: ${problems.join('; ')}`);
  }

  const listForContent = keyInfo.key?.listId ?? mapping.defaults.listId;
  const context = { ...(listForContent !== undefined && { listId: listForContent }), defaults: mapping.defaults, region: settings.defaultRegion };
  const phoneFp = createFingerprinter(deps.secret, FINGERPRINT_LABELS.phone);
  const keyFp = createFingerprinter(deps.secret, FINGERPRINT_LABELS.customerKey);
  const suppressionFp = createFingerprinter(deps.secret, FINGERPRINT_LABELS.suppression);
  // A continued parse uses the suppression list its first segment read: two invocations racing over
  // one segment must accept the same rows (chunk N is always the same leads). Submit checks the list
  // again, as it is then, right before sending.
  const suppressed = from?.suppressed ?? (await deps.suppression.fingerprints());
  // Sized from the object (about 100 bytes a row, two keys a row) so a big file does not pay for the
  // index doubling, and its momentary double footprint, as it grows.
  const seen = from?.index ?? new DedupeIndex(Math.min(Math.ceil(objectBytes / 50), 8_000_000));
  const tally = new TallyCounter(from?.checkpoint.tally);
  const attempt = randomUUID().slice(0, 8);
  const rejectedParts = [...(from?.checkpoint.rejectedParts ?? [])];
  const partKey = `${keys.parseRejectedPrefix}${segment}-${attempt}.csv`;
  const report: RejectionReport = createRejectionReport(
    deps.objects,
    partKey,
    mapping.columns.map((c) => c.header),
    mapping.columns.map((c) => columnMask(c.target)),
    { header: rejectedParts.length === 0 },
  );
  const written: { chunk: number; key: string; rows: number }[] = [...(from?.checkpoint.chunks ?? [])];
  // The unfinished chunk, as JSON bytes: a lead object dies as soon as it is accepted.
  const current = new ChunkBodyBuilder();
  for (const lead of from?.checkpoint.pending ?? []) current.add(lead);
  let rows = from?.checkpoint.rows ?? 0;
  let rowsHere = 0;
  const reserveMs = settings.checkpointReserveSeconds * 1000;
  const timeToHandOver = () =>
    deps.ingestQueue !== undefined &&
    ((settings.rowsPerInvocation !== undefined && rowsHere >= settings.rowsPerInvocation) ||
      (options.remainingMs !== undefined && options.remainingMs() < reserveMs));

  // Erasure finds the objects holding a person's row through this index, never by scanning.
  const indexer = deps.personIndex ? createRowIndexer(deps.personIndex, deps.secret, uploadId, settings.defaultRegion) : undefined;
  const flush = async () => {
    if (current.count === 0) return;
    const chunk = written.length;
    const key = await deps.chunks.writeChunk({ uploadId, chunk, json: current.body(uploadId, chunk) });
    written.push({ chunk, key, rows: current.count });
    if (indexer) await indexer.flush();
    current.clear();
  };
  const reject = async (line: number, reason: ReasonCode, field: string | undefined, cells: readonly string[], lead?: RowIdentifiers) => {
    tally.add(reason);
    await report.add({ line, reason, ...(field && { field }), cells });
    if (indexer) {
      indexer.refused(line, lead);
      if (indexer.buffered >= ROW_INDEX_BATCH) await indexer.flush();
    }
  };

  let handOver = false;
  try {
    // A batch of rows per await: accepted rows, nearly all of them, run without one.
    for await (const batch of csv.recordBatches) {
      for (const record of batch) {
        rows++;
        rowsHere++;
        // A row wider or narrower than the header is the mapper's call: trailing empty cells lose nothing.
        if (record.problem && record.problem.code !== 'field-count') {
          const column = record.problem.column;
          await reject(record.line, 'malformed-row', column ? `column ${column}` : undefined, record.fields);
          continue;
        }
        const mapped = mapRecord(mapping, record.fields);
        if (mapped.problems.length) {
          await reject(record.line, 'field-count', undefined, record.fields);
          continue;
        }
        const valid = validateLead(mapped.lead, context);
        if (!valid.ok) {
          await reject(record.line, valid.reason, valid.field, record.fields, mapped.lead);
          continue;
        }
        const list = String(valid.lead.listId);
        const phoneHi = phoneFp.fingerprintParts(list, valid.lead.phone1!);
        const phoneLo = phoneFp.lo;
        if (seen.hasWords(phoneHi, phoneLo)) {
          await reject(record.line, 'duplicate-phone-in-file', 'phone1', record.fields, valid.lead);
          continue;
        }
        let keyHi = 0;
        let keyLo = 0;
        if (valid.lead.customerKey) {
          keyHi = keyFp.fingerprintParts(list, valid.lead.customerKey);
          keyLo = keyFp.lo;
          if (seen.hasWords(keyHi, keyLo)) {
            await reject(record.line, 'duplicate-customer-key-in-file', 'customerKey', record.fields, valid.lead);
            continue;
          }
        }
        if (suppressed.size > 0 && [...valid.phones, ...(valid.email ? [valid.email] : [])].some((id) => suppressed.hasWords(suppressionFp.fingerprint(id), suppressionFp.lo))) {
          await reject(record.line, 'suppressed', undefined, record.fields, valid.lead);
          continue;
        }
        seen.addWordsIfAbsent(phoneHi, phoneLo);
        if (valid.lead.customerKey) seen.addWordsIfAbsent(keyHi, keyLo);
        current.add({ line: record.line, lead: valid.lead });
        // Indexed as accepted at once, in the chunk it will be written in: a lead still in the
        // unfinished chunk (in a checkpoint) is findable too.
        indexer?.accepted(record.line, written.length, valid.lead);
        if (current.count >= settings.chunkSize) await flush();
      }
      // Checked between batches: the reader's resume point is exact there. Not once the whole object
      // is read: there would be nothing to go on with (and S3 refuses a range past the end).
      if (timeToHandOver() && csv.resumePoint().offset < objectBytes) {
        handOver = true;
        break;
      }
    }
    if (!handOver) await flush();
  } catch (error) {
    await report.close().catch(() => undefined);
    if (isPermanentCsvError(error)) {
      // Refused part way through: what was written for the rows before must not outlive the refusal;
      // the index keeps what it saw, for the raw upload that stays.
      await indexer?.flush();
      return refuse((error as { reason: string }).reason, (error as Error).message, [...written.map((w) => w.key), partKey]);
    }
    throw error;
  }
  if ((await report.close()) > 0) rejectedParts.push(partKey);
  await indexer?.flush();

  if (handOver) {
    const resume = csv.resumePoint();
    await csv.close();
    const next = segment + 1;
    const objectKeys = checkpointKeys(chunksPrefix, uploadId, next, attempt);
    const checkpointKey = await writeCheckpoint(
      deps.objects,
      objectKeys,
      { uploadId, segment: next, resume: { ...resume, header: [...resume.header] }, rows, tally: tally.toTally(), chunks: written, pending: current.leads(), rejectedParts },
      seen,
      suppressed,
    );
    const saved = await store.saveCheckpoint(uploadId, segment, { segment: next, key: checkpointKey });
    if (!saved) {
      // Another invocation handed over this segment first (or ended the parse): it owns what comes next.
      await discard([objectKeys.json, objectKeys.index, objectKeys.suppressed, ...(rejectedParts.at(-1) === partKey ? [partKey] : [])]);
      telemetry.info('another invocation handed this segment over first: stopping', { ...log, segment });
      return { kind: 'lost-race', uploadId };
    }
    telemetry.metric('RowsRead', rowsHere);
    await deps.ingestQueue!.send({ kind: 'ingest-continue', uploadId, segment: next });
    telemetry.info('parse handed over to a fresh invocation', { ...log, segment: next, rows, line: resume.line });
    telemetry.metric('IngestHandOvers', 1);
    return { kind: 'continued', uploadId };
  }

  const sha256 = sha.digest('hex');
  const accepted = written.reduce((n, w) => n + w.rows, 0);
  const claim = await store.claimContent(sha256, listForContent, uploadId);
  const parsedAt = now().toISOString();
  const facts = { sha256, encoding: csv.encoding, delimiter: csv.delimiter, rows, parsedAt };
  telemetry.metric('RowsRead', rowsHere);

  if (!claim.claimed && !upload.rerun) {
    // The same bytes already went to this list: every row is that upload's, none is sent again.
    await discard(rejectedParts);
    await removeParseObjects(deps.objects, chunksPrefix, uploadId, written.map((w) => w.key));
    const duplicate = new TallyCounter();
    if (rows) duplicate.add('duplicate-upload', rows);
    const done = await store.transitionUpload(
      uploadId,
      ['parsing'],
      'parsing',
      { ...facts, chunksTotal: 0, duplicateOf: claim.owner, tally: duplicate.toTally(), rejectedParts: [] },
      { noFailure: true },
    );
    telemetry.info('same content already uploaded to this list: nothing sent', { ...log, duplicateOf: claim.owner });
    if (done) await deps.finishUpload(done);
    return { kind: 'duplicate-upload', uploadId };
  }

  const chunkRecords: ChunkRecord[] = [];
  for (const w of written) {
    const put = await store.putChunk({ uploadId, chunk: w.chunk, key: w.key, rows: w.rows, state: 'pending', polls: 0, tally: { outcomes: {}, reasons: {} } });
    chunkRecords.push(put.created ? put.record : put.existing);
  }
  // Not once the sweep (or a refusal) recorded a failure: nothing may be announced for such an upload.
  const submitting = await store.transitionUpload(
    uploadId,
    ['parsing'],
    'submitting',
    { ...facts, chunksTotal: written.length, tally: tally.toTally(), rejectedParts },
    { noFailure: true },
  );
  if (!submitting) {
    // Another invocation ended this parse first; this one's report part is not in its list.
    if (rejectedParts.at(-1) === partKey) await discard([partKey]);
    return { kind: 'lost-race', uploadId };
  }
  // The checkpoints held leads; the chunk bodies stay for submit.
  await deleteAllUnder(deps.objects, checkpointPrefix(chunksPrefix, uploadId));
  telemetry.info('upload parsed', { ...log, rows, accepted, chunks: written.length, encoding: csv.encoding, segments: segment + 1 });
  await announce(submitting, chunkRecords, deps);
  if (written.length === 0) await deps.finishUpload(submitting);
  return { kind: 'ingested', uploadId };
}

/** Announces an upload's pending chunks on the submit queue (again, after a crash: submit is idempotent). */
async function announce(upload: UploadRecord, chunks: readonly ChunkRecord[], deps: IngestDeps): Promise<void> {
  const pending = chunks.filter((c) => c.state === 'pending');
  await deps.submitQueue.sendAll(pending.map((c) => ({ kind: 'submit', uploadId: upload.uploadId, chunk: c.chunk, key: c.key, rows: c.rows })));
}
