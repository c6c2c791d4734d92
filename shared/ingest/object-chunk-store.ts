/** {@link ChunkStore} over an {@link ObjectStore}: one JSON object per chunk under the chunk prefix. */
import { chunkKey, type ChunkStore, type EncodedChunkBody } from './chunk-store';
import { chunkBodySchema, type ChunkBody } from './messages';
import type { ObjectStore } from './object-store';

/** Creates a chunk store writing under `prefix` (e.g. `chunks/`). */
export function createObjectChunkStore(objects: ObjectStore, prefix: string): ChunkStore {
  return {
    async writeChunk(body: ChunkBody | EncodedChunkBody) {
      const key = chunkKey(prefix, body.uploadId, body.chunk);
      await objects.write(key, 'json' in body ? body.json : JSON.stringify(body), 'application/json');
      return key;
    },
    async readChunk(key) {
      const text = await objects.readText(key);
      if (text === undefined) throw new Error(`chunk body ${key} is missing`);
      return chunkBodySchema.parse(JSON.parse(text));
    },
  };
}
