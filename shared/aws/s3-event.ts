/**
 * Lenient parsing of S3 event notifications as they arrive in an SQS message body.
 *
 * Only what the pipeline uses is required (bucket name, object key), because moto's records lack
 * fields AWS sends (userIdentity, sequencer...) and Powertools' strict S3Schema rejects them.
 * Keys arrive form-encoded on both (`incoming%2Fbatch+1.csv`); they are decoded here, once.
 */
import { z } from 'zod';

const s3RecordSchema = z.object({
  eventName: z.string().optional(),
  eventTime: z.string().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().nonnegative().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
    }),
  }),
});

const s3NotificationSchema = z.object({ Records: z.array(s3RecordSchema).min(1) });

/** The message S3 sends once when a notification configuration is set (moto does too). */
const s3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string().optional() });

/** One object named by an S3 event record, key decoded. */
export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number | undefined;
  readonly eTag?: string | undefined;
  readonly versionId?: string | undefined;
  readonly eventName?: string | undefined;
}

export type S3Notification =
  | { readonly kind: 'test'; readonly bucket?: string | undefined }
  | { readonly kind: 'objects'; readonly objects: readonly S3ObjectRef[] };

/** The body is not an S3 notification; `issues` says why without quoting the body. */
export class S3EventParseError extends Error {
  override readonly name = 'S3EventParseError';
  constructor(readonly issues: readonly string[]) {
    super(`not an S3 event notification: ${issues.join('; ')}`);
  }
}

/** Decodes an S3 event key: `+` is a space, then percent-decoding (right for AWS and moto alike). */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * Parses an SQS message body carrying an S3 notification: either the `s3:TestEvent` or records.
 * Throws {@link S3EventParseError} for anything else.
 */
export function parseS3Notification(body: string): S3Notification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new S3EventParseError(['body is not JSON']);
  }
  const test = s3TestEventSchema.safeParse(json);
  if (test.success) return { kind: 'test', bucket: test.data.Bucket };
  const parsed = s3NotificationSchema.safeParse(json);
  if (!parsed.success) {
    throw new S3EventParseError(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`));
  }
  let objects: S3ObjectRef[];
  try {
    objects = parsed.data.Records.map((r) => ({
      bucket: r.s3.bucket.name,
      key: decodeS3Key(r.s3.object.key),
      size: r.s3.object.size,
      eTag: r.s3.object.eTag,
      versionId: r.s3.object.versionId,
      eventName: r.eventName,
    }));
  } catch {
    throw new S3EventParseError(['an object key is not valid percent-encoding']);
  }
  return { kind: 'objects', objects };
}
