/** Upload ids: derived from the object version, so a redelivered event names the same upload. */
import { createHash } from 'node:crypto';

/**
 * The id of the upload an S3 object version makes. The same bucket, key and version (or ETag, on an
 * unversioned bucket) always give the same id; a new version of the key is a new upload.
 *
 * @example uploadIdOf('uploads', 'incoming/100/leads.csv', '3HL4kqtJlcpXroDTDmJ') // 'u0f4c…' (21 characters)
 */
export function uploadIdOf(bucket: string, key: string, version: string | undefined): string {
  return `u${createHash('sha256').update(`${bucket}\n${key}\n${version ?? ''}`).digest('hex').slice(0, 20)}`;
}
