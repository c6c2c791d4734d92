/**
 * Where chunk bodies live: S3 only (`chunks/<uploadId>/<n>.json`), never on a queue, so lead data is
 * in one place that erasure can find and lifecycle rules can expire.
 */
import type { ChunkBody } from './messages';

/** Reads and writes chunk bodies. */
export interface ChunkStore {
  /** Writes a chunk body and returns its key. Writing the same chunk again overwrites it with the same bytes. */
  writeChunk(body: ChunkBody): Promise<string>;
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
