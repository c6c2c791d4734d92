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
 */
import { createHash } from 'node:crypto';
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
import { EMAIL_MASK, isPersonalDataKey, PHONE_MASK, VALUE_MASK } from '../privacy/redact';
import type { ChunkStore } from './chunk-store';
import { validateLead } from './lead-validation';
import type { ChunkLead, SubmitMessage } from './messages';
import type { ObjectStore } from './object-store';
import { outcomeOf, type ReasonCode } from './outcomes';
import { createRejectionReport, type RejectionReport } from './rejection-report';
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
  readonly suppression: SuppressionList;
  readonly profiles: MappingProfileRegistry;
  readonly settings: IngestSettings;
  /** The dedupe secret (fingerprints and keyed hashes). */
  readonly secret: Uint8Array | string;
  readonly prefixes: { readonly incoming: string; readonly reports: string };
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
  | { readonly kind: 'object-gone' }
  | { readonly kind: 'already-done' | 'resumed' | 'ingested' | 'duplicate-upload' | 'refused'; readonly uploadId: string };

/** The mask for every cell of a column mapped to a phone or an email, so the report never shows one. */
function columnMask(target: string): string | undefined {
  if (target === 'phone1' || target === 'phone2' || target === 'phone3') return PHONE_MASK;
  if (target.startsWith('leadData.') && isPersonalDataKey(target.slice('leadData.'.length))) {
    return /mail/i.test(target) ? EMAIL_MASK : /phone|mobile/i.test(target) ? PHONE_MASK : VALUE_MASK;
  }
  return undefined;
}

/**
 * Where an upload's reports go. `parseRejected` holds the rows refused while parsing, until finish
 * composes `rejected.csv` from it and the rows refused later: kept apart so that finishing twice
 * writes the same file, not the later rows twice.
 */
export function reportKeys(reportsPrefix: string, uploadId: string) {
  return {
    summary: `${reportsPrefix}${uploadId}/summary.json`,
    rejected: `${reportsPrefix}${uploadId}/rejected.csv`,
    parseRejected: `${reportsPrefix}${uploadId}/parse-rejected.csv`,
  };
}

class TallyCounter {
  readonly outcomes: Record<string, number> = {};
  readonly reasons: Record<string, number> = {};
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
export async function ingestUpload(ref: UploadObjectRef, deps: IngestDeps): Promise<IngestOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry } = deps;
  const head = await deps.objects.head(ref.key);
  if (!head) {
    telemetry.warn('the uploaded object is gone; nothing to ingest', { key: ref.key });
    return { kind: 'object-gone' };
  }
  const versionId = ref.versionId ?? head.versionId;
  const uploadId = uploadIdOf(ref.bucket, ref.key, versionId ?? head.eTag ?? ref.eTag);
  const log = { uploadId };

  let keyInfo: UploadKey | undefined;
  let keyError: string | undefined;
  try {
    keyInfo = parseUploadKey(ref.key, deps.prefixes.incoming);
  } catch (error) {
    if (!(error instanceof UploadKeyError)) throw error;
    keyError = error.reason;
  }
  const stamp = now().toISOString();
  const profile = keyInfo?.profile ?? head.metadata.profile;
  const created = await store.createUpload({
    uploadId,
    bucket: ref.bucket,
    key: ref.key,
    ...(versionId && { versionId }),
    ...((head.eTag ?? ref.eTag) && { eTag: head.eTag ?? ref.eTag }),
    fileName: keyInfo?.fileName ?? ref.key.split('/').pop() ?? ref.key,
    ...(keyInfo?.listId !== undefined && { listId: keyInfo.listId }),
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
        telemetry.info(`upload found ${upload.status}: an earlier attempt stopped; parsing again`, log);
        break;
      case 'submitting':
      case 'polling':
        await announce(upload, await store.listChunks(uploadId), deps);
        telemetry.info('upload already parsed: pending chunks announced again', log);
        // All chunks ended (or there were none) but the attempt that ended the last one did not finish it.
        if (upload.chunksTotal !== undefined && upload.chunksDone >= upload.chunksTotal) await deps.finishUpload(upload);
        return { kind: 'resumed', uploadId };
      default:
        telemetry.info(`upload already ${upload.status}: nothing to do`, log);
        return { kind: 'already-done', uploadId };
    }
  }
  const parsing = await store.transitionUpload(uploadId, ['received', 'parsing'], 'parsing');
  if (!parsing) return { kind: 'already-done', uploadId };

  const refuse = async (reason: string, message: string) => {
    const failed = await store.transitionUpload(uploadId, ['parsing'], 'parsing', {
      failure: { reason, message },
      rows: 0,
      chunksTotal: 0,
      parsedAt: now().toISOString(),
    });
    telemetry.warn('upload refused as a whole', { ...log, reason });
    telemetry.metric('UploadsRefused', 1);
    if (failed) await deps.finishUpload(failed);
    return { kind: 'refused' as const, uploadId };
  };
  if (keyError) return refuse('bad-key', `the upload key ${keyError}`);

  let resolved;
  try {
    resolved = resolveProfile(profile, deps.profiles);
  } catch (error) {
    if (error instanceof MappingProfileError) return refuse('unknown-profile', `no mapping profile named "${profile}"`);
    throw error;
  }

  const sha = createHash('sha256');
  let csv;
  try {
    csv = await openCsv(hashing(await deps.objects.read(ref.key, versionId ? { versionId } : {}), sha));
  } catch (error) {
    if (isPermanentCsvError(error)) return refuse((error as { reason: string }).reason, (error as Error).message);
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

  const listForContent = keyInfo?.listId ?? mapping.defaults.listId;
  const context = { ...(listForContent !== undefined && { listId: listForContent }), defaults: mapping.defaults, region: deps.settings.defaultRegion };
  const phoneFp = createFingerprinter(deps.secret, FINGERPRINT_LABELS.phone);
  const keyFp = createFingerprinter(deps.secret, FINGERPRINT_LABELS.customerKey);
  const suppressionFp = createFingerprinter(deps.secret, FINGERPRINT_LABELS.suppression);
  const suppressed = await deps.suppression.fingerprints();
  // Sized from the object (about 100 bytes a row, two keys a row) so a big file does not pay for the
  // index doubling, and its momentary double footprint, as it grows.
  const seen = new DedupeIndex(Math.min(Math.ceil(head.size / 50), 8_000_000));
  const tally = new TallyCounter();
  const keys = reportKeys(deps.prefixes.reports, uploadId);
  const report: RejectionReport = createRejectionReport(
    deps.objects,
    keys.parseRejected,
    mapping.columns.map((c) => c.header),
    mapping.columns.map((c) => columnMask(c.target)),
  );
  const written: { chunk: number; key: string; rows: number }[] = [];
  let current: ChunkLead[] = [];
  let rows = 0;

  const flush = async () => {
    if (current.length === 0) return;
    const chunk = written.length;
    const key = await deps.chunks.writeChunk({ schemaVersion: 1, uploadId, chunk, leads: current });
    written.push({ chunk, key, rows: current.length });
    current = [];
  };
  const reject = async (line: number, reason: ReasonCode, field: string | undefined, cells: readonly string[]) => {
    tally.add(reason);
    await report.add({ line, reason, ...(field && { field }), cells });
  };

  try {
    // A batch of rows per await: accepted rows, nearly all of them, run without one.
    for await (const batch of csv.recordBatches) {
      for (const record of batch) {
        rows++;
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
          await reject(record.line, valid.reason, valid.field, record.fields);
          continue;
        }
        const list = String(valid.lead.listId);
        const phoneHi = phoneFp.fingerprintParts(list, valid.lead.phone1!);
        const phoneLo = phoneFp.lo;
        if (seen.hasWords(phoneHi, phoneLo)) {
          await reject(record.line, 'duplicate-phone-in-file', 'phone1', record.fields);
          continue;
        }
        let keyHi = 0;
        let keyLo = 0;
        if (valid.lead.customerKey) {
          keyHi = keyFp.fingerprintParts(list, valid.lead.customerKey);
          keyLo = keyFp.lo;
          if (seen.hasWords(keyHi, keyLo)) {
            await reject(record.line, 'duplicate-customer-key-in-file', 'customerKey', record.fields);
            continue;
          }
        }
        if (suppressed.size > 0 && [...valid.phones, ...(valid.email ? [valid.email] : [])].some((id) => suppressed.hasWords(suppressionFp.fingerprint(id), suppressionFp.lo))) {
          await reject(record.line, 'suppressed', undefined, record.fields);
          continue;
        }
        seen.addWordsIfAbsent(phoneHi, phoneLo);
        if (valid.lead.customerKey) seen.addWordsIfAbsent(keyHi, keyLo);
        current.push({ line: record.line, lead: valid.lead });
        if (current.length >= deps.settings.chunkSize) await flush();
      }
    }
    await flush();
  } catch (error) {
    await report.close().catch(() => undefined);
    if (isPermanentCsvError(error)) {
      // Refused part way through: what was written for the rows before must not outlive the refusal.
      await Promise.all([...written.map((w) => deps.objects.delete(w.key)), deps.objects.delete(keys.parseRejected)]);
      return refuse((error as { reason: string }).reason, (error as Error).message);
    }
    throw error;
  }
  await report.close();

  const sha256 = sha.digest('hex');
  const accepted = written.reduce((n, w) => n + w.rows, 0);
  const claim = await store.claimContent(sha256, listForContent, uploadId);
  const parsedAt = now().toISOString();
  const facts = { sha256, encoding: csv.encoding, delimiter: csv.delimiter, rows, parsedAt };
  telemetry.metric('RowsRead', rows);

  if (!claim.claimed && !upload.rerun) {
    // The same bytes already went to this list: every row is that upload's, none is sent again.
    await Promise.all(written.map((w) => deps.objects.delete(w.key)));
    await deps.objects.delete(keys.parseRejected);
    const duplicate = new TallyCounter();
    if (rows) duplicate.add('duplicate-upload', rows);
    const done = await store.transitionUpload(uploadId, ['parsing'], 'parsing', {
      ...facts,
      chunksTotal: 0,
      duplicateOf: claim.owner,
      tally: duplicate.toTally(),
    });
    telemetry.info('same content already uploaded to this list: nothing sent', { ...log, duplicateOf: claim.owner });
    if (done) await deps.finishUpload(done);
    return { kind: 'duplicate-upload', uploadId };
  }

  const chunkRecords: ChunkRecord[] = [];
  for (const w of written) {
    const put = await store.putChunk({ uploadId, chunk: w.chunk, key: w.key, rows: w.rows, state: 'pending', polls: 0, tally: { outcomes: {}, reasons: {} } });
    chunkRecords.push(put.created ? put.record : put.existing);
  }
  const submitting = await store.transitionUpload(uploadId, ['parsing'], 'submitting', {
    ...facts,
    chunksTotal: written.length,
    tally: tally.toTally(),
  });
  if (!submitting) return { kind: 'already-done', uploadId };
  telemetry.info('upload parsed', { ...log, rows, accepted, chunks: written.length, encoding: csv.encoding });
  await announce(submitting, chunkRecords, deps);
  if (written.length === 0) await deps.finishUpload(submitting);
  return { kind: 'ingested', uploadId };
}

/** Announces an upload's pending chunks on the submit queue (again, after a crash: submit is idempotent). */
async function announce(upload: UploadRecord, chunks: readonly ChunkRecord[], deps: IngestDeps): Promise<void> {
  const pending = chunks.filter((c) => c.state === 'pending');
  await deps.submitQueue.sendAll(pending.map((c) => ({ kind: 'submit', uploadId: upload.uploadId, chunk: c.chunk, key: c.key, rows: c.rows })));
}
