/**
 * {@link ObjectStore} on one S3 bucket. Streams both ways: reads hand the SDK's body stream to the
 * CSV reader, writes of streams go through multipart uploads (`@aws-sdk/lib-storage`), so neither
 * an upload nor a report is ever held whole in memory.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { ByteSource } from '../csv/byte-source';
import { ObjectMissingError, type ObjectHead, type ObjectStore } from '../ingest/object-store';

import { isS3NotFound as isNotFound } from './s3-not-found';

/** Creates a store over `bucket`. */
export function createS3ObjectStore(client: S3Client, bucket: string): ObjectStore {
  return {
    async head(key, options = {}): Promise<ObjectHead | undefined> {
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...(options.versionId && { VersionId: options.versionId }) }));
        return {
          size: h.ContentLength ?? 0,
          ...(h.ETag && { eTag: h.ETag }),
          ...(h.VersionId && h.VersionId !== 'null' && { versionId: h.VersionId }),
          metadata: Object.fromEntries(Object.entries(h.Metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async read(key, options = {}): Promise<ByteSource> {
      const { range } = options;
      // S3 refuses an empty range (416); an empty read needs no request.
      if (range && range.end !== undefined && range.end <= range.start) return Readable.from([]);
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(options.versionId && { VersionId: options.versionId }),
            ...(range && { Range: `bytes=${range.start}-${range.end === undefined ? '' : range.end - 1}` }),
          }),
        );
        return out.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw new ObjectMissingError(key, { cause: error });
        throw error;
      }
    },
    async readText(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body!.transformToString('utf-8');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async write(key, body, contentType) {
      const Body = typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body);
      await new Upload({ client, params: { Bucket: bucket, Key: key, Body, ContentType: contentType } }).done();
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      }
      return keys;
    },
  };
}
