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

/** Where ingestion keeps what in its bucket: uploads, chunk bodies (and parse checkpoints), reports. */
export interface UploadPrefixes {
  readonly incoming: string;
  readonly chunks: string;
  readonly reports: string;
}

/** `read` of a key (or version) that is not there. Names the key only. */
export class ObjectMissingError extends Error {
  override readonly name = 'ObjectMissingError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`no object ${key}`, options);
  }
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
   * @throws ObjectMissingError when the key (or the version) is not there.
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

/**
 * Deletes every object under `prefix`; a store that cannot list deletes the `known` keys instead.
 *
 * @example await deleteAllUnder(objects, 'chunks/u1/checkpoints/');
 */
export async function deleteAllUnder(objects: ObjectStore, prefix: string, known: readonly string[] = []): Promise<void> {
  const keys = objects.list ? await objects.list(prefix) : known;
  await Promise.all(keys.map((key) => objects.delete(key)));
}
