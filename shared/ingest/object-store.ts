/**
 * The objects ingestion reads and writes in the uploads bucket: the upload itself, chunk bodies and
 * reports. S3 when deployed and on moto (`shared/aws/s3-object-store.ts`); memory in unit tests.
 */
import type { ByteSource } from '../csv/byte-source';

/** What an upload object says about itself. */
export interface ObjectHead {
  readonly size: number;
  readonly eTag?: string;
  readonly versionId?: string;
  /** User metadata (`x-amz-meta-*`), keys lower case without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ReadOptions {
  readonly versionId?: string;
  readonly range?: { readonly start: number; readonly end?: number };
}

export interface ObjectStore {
  /** The object's size, version and metadata; `versionId` asks for that version (the one an event named). */
  head(key: string, options?: { readonly versionId?: string }): Promise<ObjectHead | undefined>;
  /**
   * The object's bytes as a stream; `versionId` pins the version an event named, `range` reads
   * bytes `start` (inclusive) to `end` (exclusive; the end of the object when absent).
   */
  read(key: string, options?: ReadOptions): Promise<ByteSource>;
  readText(key: string): Promise<string | undefined>;
  /** Writes an object from text or a stream of chunks (streamed in parts when large). */
  write(key: string, body: string | Uint8Array | AsyncIterable<string | Uint8Array>, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Keys under a prefix, for removing a parse's intermediates (checkpoints, report parts). A store
   * that cannot list (a benchmark's file-backed one) leaves them to the bucket's lifecycle rules.
   */
  list?(prefix: string): Promise<string[]>;
}
