/**
 * A parse's checkpoint: everything a fresh invocation needs to go on with a file too large for one
 * (where the reader stopped, the rows and tally so far, the chunks written, the leads of the chunk
 * not yet full, the report parts, and the in-file dedupe index).
 *
 * Stored in S3 under the chunk prefix (it holds lead data, like a chunk, and expires with them):
 * the JSON beside the index's bytes, both named with the segment and a per-attempt token, so two
 * invocations racing over one segment never overwrite each other's; the upload record points at the
 * one that won (`UploadStore.saveCheckpoint`).
 */
import { z } from 'zod';
import { csvDelimiters, csvEncodings } from '../csv/csv-record';
import { DedupeIndex } from '../dedupe/dedupe-index';
import { chunkLeadSchema, type ChunkLead } from './messages';
import { deleteAllUnder, type ObjectStore } from './object-store';
import { reasonCodes, rowOutcomes } from './outcomes';

const countsOf = <K extends string>(keys: readonly K[]) => z.partialRecord(z.enum(keys), z.int().nonnegative());

export const ingestCheckpointSchema = z.strictObject({
  schemaVersion: z.literal(1),
  uploadId: z.string().min(1),
  /** The segment this checkpoint starts (1 for the first hand-over). */
  segment: z.int().positive(),
  /** Where the reader goes on (`CsvResumePoint`). */
  resume: z.strictObject({
    offset: z.int().nonnegative(),
    line: z.int().positive(),
    encoding: z.enum(csvEncodings),
    delimiter: z.enum(csvDelimiters),
    header: z.array(z.string()),
  }),
  rows: z.int().nonnegative(),
  tally: z.strictObject({
    outcomes: countsOf(rowOutcomes),
    reasons: countsOf(Object.keys(reasonCodes) as (keyof typeof reasonCodes)[]),
  }),
  chunks: z.array(z.strictObject({ chunk: z.int().nonnegative(), key: z.string().min(1), rows: z.int().positive() })),
  /**
   * Accepted leads of the chunk not yet full: chunk bodies only ever hold a full chunk (or the last).
   * Validated when accepted; kept as written here, so a continued parse writes the same bytes.
   */
  pending: z.array(z.strictObject({ line: z.int().positive(), lead: z.record(z.string(), z.unknown()) })),
  /** Report parts written so far, in line order. */
  rejectedParts: z.array(z.string().min(1)),
  /** The object holding the dedupe index's bytes. */
  indexKey: z.string().min(1),
  /** The object holding the suppression fingerprints the parse started with (the same for every segment). */
  suppressedKey: z.string().min(1),
});
export type IngestCheckpoint = Omit<z.infer<typeof ingestCheckpointSchema>, 'pending'> & { readonly pending: ChunkLead[] };

/** A checkpoint read back, with the two indexes beside it. */
export interface ReadCheckpoint {
  readonly checkpoint: IngestCheckpoint;
  readonly index: DedupeIndex;
  readonly suppressed: DedupeIndex;
}

/** A checkpoint that cannot be read back: the parse cannot go on from it. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/**
 * The objects of one attempt's checkpoint.
 *
 * @example checkpointKeys('chunks/', 'u1', 2, 'a1b2').json // 'chunks/u1/checkpoints/2-a1b2.json'
 */
export function checkpointKeys(chunksPrefix: string, uploadId: string, segment: number, token: string) {
  const base = `${checkpointPrefix(chunksPrefix, uploadId)}${segment}-${token}`;
  return { json: `${base}.json`, index: `${base}.index`, suppressed: `${base}.suppressed` };
}

/** Where an upload's checkpoints live (removed when parsing ends). */
export function checkpointPrefix(chunksPrefix: string, uploadId: string): string {
  return `${chunksPrefix}${uploadId}/checkpoints/`;
}

async function collectBytes(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * Deletes everything a parse wrote under the chunk prefix for an upload (chunk bodies and
 * checkpoints): for an upload refused, abandoned or a duplicate, before any chunk was announced. A
 * store that cannot list deletes the `known` keys and leaves the rest to the lifecycle rules.
 */
export async function removeParseObjects(objects: ObjectStore, chunksPrefix: string, uploadId: string, known: readonly string[] = []): Promise<void> {
  await deleteAllUnder(objects, `${chunksPrefix}${uploadId}/`, known);
}

/** Writes the indexes, then the checkpoint that names them; returns the checkpoint's key. */
export async function writeCheckpoint(
  objects: ObjectStore,
  keys: ReturnType<typeof checkpointKeys>,
  checkpoint: Omit<IngestCheckpoint, 'schemaVersion' | 'indexKey' | 'suppressedKey'>,
  index: DedupeIndex,
  suppressed: DedupeIndex,
): Promise<string> {
  await objects.write(keys.index, index.toBytes(), 'application/octet-stream');
  await objects.write(keys.suppressed, suppressed.toBytes(), 'application/octet-stream');
  const body: IngestCheckpoint = { schemaVersion: 1, ...checkpoint, indexKey: keys.index, suppressedKey: keys.suppressed };
  await objects.write(keys.json, JSON.stringify(body), 'application/json');
  return keys.json;
}

/**
 * Reads a checkpoint and its index.
 *
 * @throws CheckpointError when either object is missing or damaged (the message names the key, never content).
 */
export async function readCheckpoint(objects: ObjectStore, key: string): Promise<ReadCheckpoint> {
  const text = await objects.readText(key);
  if (text === undefined) throw new CheckpointError(`checkpoint ${key} is missing`);
  let checkpoint: IngestCheckpoint;
  try {
    const parsed = ingestCheckpointSchema.parse(JSON.parse(text));
    if (!parsed.pending.every((lead) => chunkLeadSchema.safeParse(lead).success)) throw new Error('a pending lead is not valid');
    checkpoint = parsed as IngestCheckpoint;
  } catch {
    throw new CheckpointError(`checkpoint ${key} is not a valid checkpoint`);
  }
  const [index, suppressed] = await Promise.all([readIndex(objects, checkpoint.indexKey, key), readIndex(objects, checkpoint.suppressedKey, key)]);
  return { checkpoint, index, suppressed };
}

async function readIndex(objects: ObjectStore, indexKey: string, checkpointKey: string): Promise<DedupeIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await collectBytes(await objects.read(indexKey));
  } catch (error) {
    throw new CheckpointError(`the index ${indexKey} of checkpoint ${checkpointKey} cannot be read`, { cause: error });
  }
  try {
    return DedupeIndex.fromBytes(bytes);
  } catch (error) {
    throw new CheckpointError(`the index ${indexKey} of checkpoint ${checkpointKey} is damaged`, { cause: error });
  }
}

