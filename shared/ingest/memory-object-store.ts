/** An in-memory {@link ObjectStore} for unit tests. */
import { ObjectMissingError, type ObjectHead, type ObjectStore } from './object-store';

export interface MemoryObjectStore extends ObjectStore {
  readonly objects: Map<string, { bytes: Uint8Array; contentType: string; metadata: Record<string, string> }>;
  /** Puts an upload with metadata, as an operator would. */
  put(key: string, body: string | Uint8Array, metadata?: Record<string, string>): void;
}

const encoder = new TextEncoder();

/** Creates an empty store. */
export function createMemoryObjectStore(): MemoryObjectStore {
  const objects: MemoryObjectStore['objects'] = new Map();
  const toBytes = (body: string | Uint8Array) => (typeof body === 'string' ? encoder.encode(body) : body);
  return {
    objects,
    put(key, body, metadata = {}) {
      objects.set(key, { bytes: toBytes(body), contentType: 'text/csv', metadata });
    },
    async head(key): Promise<ObjectHead | undefined> {
      const o = objects.get(key);
      return o && { size: o.bytes.byteLength, eTag: `"${o.bytes.byteLength}"`, metadata: o.metadata };
    },
    async read(key, options = {}) {
      const o = objects.get(key);
      if (!o) throw new ObjectMissingError(key);
      const { range } = options;
      // As S3: a range starting at or past the end of a non-empty object is refused (416 InvalidRange).
      if (range && range.start >= o.bytes.byteLength && o.bytes.byteLength > 0 && (range.end === undefined || range.end > range.start)) {
        throw Object.assign(new Error(`InvalidRange: bytes=${range.start}- of ${key}`), { name: 'InvalidRange' });
      }
      const bytes = range ? o.bytes.subarray(range.start, range.end ?? o.bytes.byteLength) : o.bytes;
      return (async function* () {
        // Small pieces, so readers meet chunk boundaries in tests.
        for (let i = 0; i < bytes.byteLength; i += 4096) yield bytes.subarray(i, i + 4096);
      })();
    },
    async readText(key) {
      const o = objects.get(key);
      return o && new TextDecoder().decode(o.bytes);
    },
    async write(key, body, contentType) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        objects.set(key, { bytes: toBytes(body), contentType, metadata: {} });
        return;
      }
      const parts: Uint8Array[] = [];
      for await (const part of body) parts.push(toBytes(part));
      objects.set(key, { bytes: Buffer.concat(parts), contentType, metadata: {} });
    },
    async delete(key) {
      objects.delete(key);
    },
    async list(prefix) {
      return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
  };
}
