/**
 * Objects with all their versions, as erasure needs them: the uploads bucket is versioned, so a
 * person's row is gone only when every version that held it is deleted, not just the current one.
 */
import type { ByteSource } from '../csv/byte-source';

export interface ObjectVersion {
  readonly versionId: string;
  readonly isLatest: boolean;
  /** A delete marker rather than content. */
  readonly deleteMarker: boolean;
}

export interface VersionedObjects {
  /** Keys under a prefix that have any version or delete marker. */
  keys(bucket: string, prefix: string): Promise<string[]>;
  /** Every version and delete marker of exactly `key`, newest first. */
  versions(bucket: string, key: string): Promise<ObjectVersion[]>;
  /** One version's bytes; undefined when it is gone. */
  read(bucket: string, key: string, versionId?: string): Promise<ByteSource | undefined>;
  /** Writes a new current version (a stream goes up in parts, never whole in memory); returns its version id. */
  write(bucket: string, key: string, body: string | Uint8Array | AsyncIterable<string | Uint8Array>, contentType: string, metadata?: Record<string, string>): Promise<string | undefined>;
  /** Deletes one version (or delete marker) for good. */
  deleteVersion(bucket: string, key: string, versionId: string): Promise<void>;
}
