/**
 * Where chunk bodies live: S3 only (`chunks/<uploadId>/<n>.json`), never on a queue, so lead data is
 * in one place that erasure can find and lifecycle rules can expire.
 */
import type { ChunkBody } from './messages';

/** A chunk body already serialised: `JSON.stringify` of its {@link ChunkBody}, in UTF-8 (see `ChunkBodyBuilder`). */
export interface EncodedChunkBody {
  readonly uploadId: string;
  readonly chunk: number;
  readonly json: Uint8Array;
}

/** Reads and writes chunk bodies. */
export interface ChunkStore {
  /** Writes a chunk body and returns its key. Writing the same chunk again overwrites it with the same bytes. */
  writeChunk(body: ChunkBody | EncodedChunkBody): Promise<string>;
  readChunk(key: string): Promise<ChunkBody>;
}

/**
 * The key of a chunk body.
 *
 * @example chunkKey('chunks/', 'u1', 3) // 'chunks/u1/00003.json'
 */
export function chunkKey(prefix: string, uploadId: string, chunk: number): string {
  return `${prefix}${uploadId}/${String(chunk).padStart(5, '0')}.json`;
}
