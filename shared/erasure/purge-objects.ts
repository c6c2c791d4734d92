/**
 * Our own data: every object this product stored that holds a row of the person, found through the
 * person index, is rewritten without that row (or deleted when nothing else is left), and every
 * earlier version that held it is deleted. Objects:
 *
 * - the raw upload (`incoming/…`): the version ingested is rewritten as a new version (tagged
 *   `x-amz-meta-leadflow-erasure`, which ingestion ignores) when it is still the current one, and
 *   deleted; an older version is simply deleted;
 * - chunk bodies (`chunks/<uploadId>/<n>.json`): only once the chunk has ended (see `in-flight.ts`),
 *   and every version left of the upload's parse checkpoints (`chunks/<uploadId>/checkpoints/…`);
 * - the rejection reports (every CSV under `reports/<uploadId>/`: `rejected.csv` and the parse-time
 *   parts it is composed from): the rows refused at parse time carry the original cells (phones and
 *   emails masked, names not). A deleted part's leftover versions are deleted too.
 *
 * Safe to run again: a row already gone is not counted, an object already gone is `already-gone`.
 */
import { openCsv } from '../csv/csv-reader';
import { formatCsvRow } from '../csv/csv-writer';
import type { ByteSource } from '../csv/byte-source';
import { chunkBodySchema } from '../ingest/messages';
import type { UploadStore } from '../ingest/upload-state';
import type { PurgedObject, PurgeResult } from './erasure-request';
import type { PersonIndexEntry } from './person-index';
import type { VersionedObjects } from './versioned-objects';

/** Metadata on a raw upload rewritten by erasure; ingestion does not ingest such a version again. */
export const ERASURE_REWRITE_METADATA = 'leadflow-erasure';

/** What cannot be purged at once; stated on every receipt. */
export const NOT_PURGED_AT_ONCE: readonly string[] = [
  'DynamoDB point-in-time recovery of the state table keeps earlier images of this request (identifiers only sealed with AES-256-GCM, and keyed hashes) for up to 35 days; they expire on their own.',
  'S3: nothing left; every version of the objects listed was deleted.',
  'Logs, metrics and queue messages never held the identifiers.',
  "ipSCAPE's own backups follow the tenant's retention with ipSCAPE.",
];

export interface PurgeDeps {
  readonly uploads: Pick<UploadStore, 'getUpload' | 'listChunks'>;
  readonly objects: VersionedObjects;
  /** The bucket of chunks and reports. */
  readonly bucket: string;
  readonly reportsPrefix: string;
  /** Where chunk bodies and parse checkpoints live (`chunks/`). */
  readonly chunksPrefix: string;
}

async function bytesOf(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** The version a rewrite made; without one, deleting "the others" would delete the rewrite too. */
function rewritten(versionId: string | undefined, key: string): string {
  if (!versionId) throw new Error(`the rewrite of ${key} has no version id: is the bucket versioned?`);
  return versionId;
}

/** Deletes every version of `key` except `keep`; returns how many. */
async function deleteOtherVersions(objects: VersionedObjects, bucket: string, key: string, keep: string | undefined): Promise<number> {
  let deleted = 0;
  for (const v of await objects.versions(bucket, key)) {
    if (v.versionId === keep) continue;
    await objects.deleteVersion(bucket, key, v.versionId);
    deleted++;
  }
  return deleted;
}

/** What a rewrite removed and kept. */
interface RewriteCount {
  removed: number;
  kept: number;
}

/**
 * A CSV without the records `drop` picks, as a stream of text (the header, then the kept records a
 * batch at a time), counting as it goes: a large upload is never held whole.
 */
async function* csvWithout(source: ByteSource, drop: (record: { readonly line: number; readonly fields: readonly string[] }) => boolean, count: RewriteCount): AsyncGenerator<string> {
  let bom: boolean | undefined;
  const watched = (async function* () {
    for await (const chunk of source) {
      bom ??= chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      yield chunk;
    }
  })();
  const csv = await openCsv(watched);
  // The header is read, so the first chunk has gone by: a file that had a BOM keeps it.
  yield (bom ? '\ufeff' : '') + formatCsvRow(csv.header, { delimiter: csv.delimiter, escapeFormulas: false });
  for await (const batch of csv.recordBatches) {
    let text = '';
    for (const record of batch) {
      if (drop(record)) count.removed++;
      else {
        count.kept++;
        text += formatCsvRow(record.fields, { delimiter: csv.delimiter, escapeFormulas: false });
      }
    }
    if (text) yield text;
  }
}

/** Counts the records `drop` picks without writing anything (a first pass: most versions hold none). */
async function countDropped(source: ByteSource, drop: (record: { readonly line: number; readonly fields: readonly string[] }) => boolean): Promise<RewriteCount> {
  const count: RewriteCount = { removed: 0, kept: 0 };
  const csv = await openCsv(source);
  for await (const batch of csv.recordBatches) for (const record of batch) drop(record) ? count.removed++ : count.kept++;
  return count;
}

/**
 * Purges the rows the entries point at, for one erasure request.
 *
 * @param requestId - written into the metadata of rewritten uploads, for the audit.
 */
export async function purgeObjects(
  entries: readonly PersonIndexEntry[],
  requestId: string,
  deps: PurgeDeps,
  onObject: (object: PurgedObject) => Promise<void> = async () => undefined,
): Promise<PurgeResult> {
  const touched: PurgedObject[] = [];
  // Each object is reported as soon as it is done, so a run cut short keeps the record of what it did.
  const record = async (o: PurgedObject) => {
    touched.push(o);
    await onObject(o);
  };
  const byUpload = new Map<string, PersonIndexEntry[]>();
  for (const e of entries) byUpload.set(e.uploadId, [...(byUpload.get(e.uploadId) ?? []), e]);

  for (const [uploadId, mine] of byUpload) {
    const upload = await deps.uploads.getUpload(uploadId);
    if (!upload) continue;
    const lines = new Set(mine.map((e) => e.line));

    // The raw upload, in the version that was ingested.
    const versions = await deps.objects.versions(upload.bucket, upload.key);
    const ingested = versions.find((v) => v.versionId === (upload.versionId ?? 'null')) ?? (upload.versionId ? undefined : versions.find((v) => v.isLatest));
    if (!ingested || ingested.deleteMarker) {
      await record({ bucket: upload.bucket, key: upload.key, kind: 'upload', action: 'already-gone', rowsRemoved: 0, versionsDeleted: 0 });
    } else {
      const drop = (r: { readonly line: number }) => lines.has(r.line);
      const source = await deps.objects.read(upload.bucket, upload.key, ingested.versionId);
      const counted = source ? await countDropped(source, drop) : { removed: 0, kept: 0 };
      if (ingested.isLatest && counted.kept > 0) {
        const again = await deps.objects.read(upload.bucket, upload.key, ingested.versionId);
        const count: RewriteCount = { removed: 0, kept: 0 };
        if (again) await deps.objects.write(upload.bucket, upload.key, csvWithout(again, drop, count), 'text/csv; charset=utf-8', { [ERASURE_REWRITE_METADATA]: requestId });
        await deps.objects.deleteVersion(upload.bucket, upload.key, ingested.versionId);
        await record({ bucket: upload.bucket, key: upload.key, kind: 'upload', action: 'rewritten', rowsRemoved: count.removed, versionsDeleted: 1 });
      } else {
        // Only the person's rows, or an older version (a newer one is current): the version goes.
        await deps.objects.deleteVersion(upload.bucket, upload.key, ingested.versionId);
        await record({ bucket: upload.bucket, key: upload.key, kind: 'upload', action: 'deleted', rowsRemoved: counted.removed, versionsDeleted: 1 });
      }
    }

    // Chunk bodies.
    const chunkNumbers = new Set(mine.flatMap((e) => (e.chunk === undefined ? [] : [e.chunk])));
    if (chunkNumbers.size) {
      const chunks = (await deps.uploads.listChunks(uploadId)).filter((c) => chunkNumbers.has(c.chunk));
      for (const chunk of chunks) {
        const source = await deps.objects.read(deps.bucket, chunk.key);
        if (!source) {
          const versionsDeleted = await deleteOtherVersions(deps.objects, deps.bucket, chunk.key, undefined);
          await record({ bucket: deps.bucket, key: chunk.key, kind: 'chunk', action: versionsDeleted ? 'deleted' : 'already-gone', rowsRemoved: 0, versionsDeleted });
          continue;
        }
        const body = chunkBodySchema.parse(JSON.parse((await bytesOf(source)).toString('utf8')));
        const leads = body.leads.filter((l) => !lines.has(l.line));
        const removed = body.leads.length - leads.length;
        if (leads.length === 0) {
          const versionsDeleted = await deleteOtherVersions(deps.objects, deps.bucket, chunk.key, undefined);
          await record({ bucket: deps.bucket, key: chunk.key, kind: 'chunk', action: 'deleted', rowsRemoved: removed, versionsDeleted });
          continue;
        }
        const keep = removed ? rewritten(await deps.objects.write(deps.bucket, chunk.key, JSON.stringify({ ...body, leads }), 'application/json'), chunk.key) : (await deps.objects.versions(deps.bucket, chunk.key)).find((v) => v.isLatest)?.versionId;
        const versionsDeleted = await deleteOtherVersions(deps.objects, deps.bucket, chunk.key, keep);
        if (removed || versionsDeleted) await record({ bucket: deps.bucket, key: chunk.key, kind: 'chunk', action: 'rewritten', rowsRemoved: removed, versionsDeleted });
      }
    }

    // Parse checkpoints hold the pending leads of a partial chunk while a large file is parsed; parsing
    // has ended (the worker waited for it), so whatever versions are left of them go.
    for (const key of await deps.objects.keys(deps.bucket, `${deps.chunksPrefix}${uploadId}/checkpoints/`)) {
      const versionsDeleted = await deleteOtherVersions(deps.objects, deps.bucket, key, undefined);
      if (versionsDeleted) await record({ bucket: deps.bucket, key, kind: 'chunk', action: 'deleted', rowsRemoved: 0, versionsDeleted });
    }

    // Rejection reports: a row refused at parse time carries its cells, and a row taken out later
    // (suppressed, duplicate in the list, failed) is named by its line, with its cells when finish adds them.
    const refused = lines;
    {
      // rejected.csv and the parse-time parts finish composes it from, whatever their names.
      const reportCsvs = (await deps.objects.keys(deps.bucket, `${deps.reportsPrefix}${uploadId}/`)).filter((k) => k.endsWith('.csv'));
      for (const key of reportCsvs) {
        const source = await deps.objects.read(deps.bucket, key);
        if (!source) {
          const versionsDeleted = await deleteOtherVersions(deps.objects, deps.bucket, key, undefined);
          if (versionsDeleted) await record({ bucket: deps.bucket, key, kind: 'rejected-report', action: 'deleted', rowsRemoved: 0, versionsDeleted });
          continue;
        }
        // The report's first column is the upload line the row came from.
        const drop = (r: { readonly fields: readonly string[] }) => refused.has(Number(r.fields[0]));
        const { removed } = await countDropped(source, drop);
        let keep: string | undefined;
        if (removed) {
          const again = await deps.objects.read(deps.bucket, key);
          keep = again ? rewritten(await deps.objects.write(deps.bucket, key, csvWithout(again, drop, { removed: 0, kept: 0 }), 'text/csv; charset=utf-8'), key) : undefined;
        } else keep = (await deps.objects.versions(deps.bucket, key)).find((v) => v.isLatest)?.versionId;
        const versionsDeleted = await deleteOtherVersions(deps.objects, deps.bucket, key, keep);
        if (removed || versionsDeleted) await record({ bucket: deps.bucket, key, kind: 'rejected-report', action: 'rewritten', rowsRemoved: removed, versionsDeleted });
      }
    }
  }
  return { objects: touched, indexEntriesDeleted: 0, notYetPurged: NOT_PURGED_AT_ONCE };
}
