/** S3's ways of saying a key or a version is not there. */
import type { S3ServiceException } from '@aws-sdk/client-s3';

/**
 * True for S3's not-found answers: `NoSuchKey` (GET), `NoSuchVersion`, `NotFound` (HEAD), any 404.
 *
 * @example if (isS3NotFound(error)) return undefined;
 */
export function isS3NotFound(error: unknown): boolean {
  const e = error as Partial<S3ServiceException> & { name?: string };
  return e?.name === 'NoSuchKey' || e?.name === 'NoSuchVersion' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
