/**
 * The original cells of an upload's rows, masked as the rejection report masks them, read again from
 * the upload itself: for the rows taken out after parsing (duplicates in the list, suppressed before
 * sending, failed jobs), whose cells no chunk keeps. Streamed: the upload is read once, in step with
 * the sorted line numbers wanted, never held.
 */
import { openCsv } from '../csv/csv-reader';
import { isPermanentCsvError } from '../csv/errors';
import { compileHeaderMapping } from '../leads/header-mapping';
import { resolveProfile, type MappingProfileRegistry } from '../leads/mapping-profile-registry';
import { ObjectMissingError, type ObjectStore } from './object-store';
import { columnMask, maskCell, maskRow } from './rejection-report';
import type { UploadRecord } from './upload-state';

/**
 * The largest upload read again for its cells. Finish runs inside submit and poll (short timeouts,
 * a fraction of a vCPU): 16 MiB (about 160k rows) reads in a few seconds there. Rows of larger
 * uploads taken out after parsing are reported by line number only.
 */
export const ORIGINAL_ROWS_MAX_BYTES = 16 * 1024 * 1024;

/** The masked header and a reader of masked rows by line. */
export interface OriginalRows {
  readonly header: readonly string[];
  /** Yields `[line, masked cells]` for each wanted line, in order; wanted lines must be sorted. */
  rows(lines: readonly number[]): AsyncIterable<readonly [number, readonly string[]]>;
}

/**
 * Opens the upload (the version ingested) for its original rows.
 *
 * @returns undefined when the upload cannot be read any more (deleted, or rewritten by an erasure) or
 * is larger than `maxBytes`: the report then gives line numbers only.
 */
export async function openOriginalRows(
  upload: Pick<UploadRecord, 'key' | 'versionId' | 'profile'>,
  objects: ObjectStore,
  profiles: MappingProfileRegistry,
  maxBytes = ORIGINAL_ROWS_MAX_BYTES,
): Promise<OriginalRows | undefined> {
  const head = await objects.head(upload.key, upload.versionId ? { versionId: upload.versionId } : {});
  if (!head || head.size > maxBytes) return undefined;
  let csv;
  try {
    csv = await openCsv(await objects.read(upload.key, upload.versionId ? { versionId: upload.versionId } : {}));
  } catch (error) {
    // Gone or no longer a CSV: the report goes without cells. Anything else (S3 unavailable) is retried.
    if (error instanceof ObjectMissingError || isPermanentCsvError(error)) return undefined;
    throw error;
  }
  let masks: (string | undefined)[];
  try {
    masks = compileHeaderMapping(csv.header, resolveProfile(upload.profile, profiles)).columns.map((c) => columnMask(c.target));
  } catch {
    await csv.close();
    return undefined;
  }
  const file = csv;
  return {
    header: file.header.map(maskCell),
    async *rows(lines) {
      let next = 0;
      try {
        for await (const batch of file.recordBatches) {
          for (const record of batch) {
            while (next < lines.length && lines[next]! < record.line) next++;
            if (next >= lines.length) return;
            if (lines[next] === record.line) yield [record.line, maskRow(record.fields, masks)] as const;
          }
        }
      } finally {
        await file.close();
      }
    },
  };
}
