/**
 * What the reader accepts as input: a Node `Readable` (an S3 GetObject body, `fs.createReadStream`)
 * or any async iterable of byte chunks, read one chunk at a time.
 */

/** A stream of bytes. A `Readable` qualifies as long as no `setEncoding` turned it into strings. */
export type ByteSource = AsyncIterable<Uint8Array>;

/** Pulls Buffer chunks from a source; `close` releases it (destroys a Readable) when reading stops early. */
export interface ByteChunks {
  next(): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

/**
 * Chunks of a byte source as Buffers (views, not copies), skipping empty ones.
 * @throws TypeError from `next` when the source yields something other than bytes
 */
export function byteChunks(source: ByteSource): ByteChunks {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  return {
    async next() {
      while (!finished) {
        const result = await iterator.next();
        if (result.done === true) {
          finished = true;
          return undefined;
        }
        const chunk: unknown = result.value;
        if (!(chunk instanceof Uint8Array)) {
          throw new TypeError(
            typeof chunk === 'string'
              ? 'The CSV source yields strings: pass the byte stream itself (no setEncoding)'
              : 'The CSV source must yield Uint8Array or Buffer chunks',
          );
        }
        if (chunk.byteLength === 0) continue;
        return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      return undefined;
    },
    async close() {
      if (finished) return;
      finished = true;
      await iterator.return?.();
    },
  };
}
