/** {@link VersionedObjects} on S3: ListObjectVersions, GetObject/PutObject, DeleteObject by version. */
import { DeleteObjectCommand, GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { ObjectVersion, VersionedObjects } from '../erasure/versioned-objects';

import { isS3NotFound as isNotFound } from './s3-not-found';

/** Creates the adapter. */
export function createS3VersionedObjects(client: S3Client): VersionedObjects {
  return {
    async keys(bucket, prefix) {
      const keys = new Set<string>();
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
        for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) if (v.Key) keys.add(v.Key);
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
      return [...keys];
    },
    async versions(bucket, key) {
      const out: ObjectVersion[] = [];
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
        for (const v of page.Versions ?? []) if (v.Key === key && v.VersionId) out.push({ versionId: v.VersionId, isLatest: Boolean(v.IsLatest), deleteMarker: false });
        for (const m of page.DeleteMarkers ?? []) if (m.Key === key && m.VersionId) out.push({ versionId: m.VersionId, isLatest: Boolean(m.IsLatest), deleteMarker: true });
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
      return out;
    },
    async read(bucket, key, versionId) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId && versionId !== 'null' && { VersionId: versionId }) }));
        return out.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async write(bucket, key, body, contentType, metadata) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...(metadata && { Metadata: metadata }) }));
        return out.VersionId;
      }
      const out = await new Upload({ client, params: { Bucket: bucket, Key: key, Body: Readable.from(body), ContentType: contentType, ...(metadata && { Metadata: metadata }) } }).done();
      if (out.VersionId) return out.VersionId;
      // Callers keep the new version and delete the others: never let an unknown id stand for it.
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
      return page.Versions?.find((v) => v.Key === key && v.IsLatest)?.VersionId;
    },
    async deleteVersion(bucket, key, versionId) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    },
  };
}
