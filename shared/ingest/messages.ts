/**
 * The messages that flow between the ingestion functions. They carry ids, keys and counts only:
 * lead data stays in S3 chunk objects, so a message parked in a dead-letter queue never holds a person.
 */
import { z } from 'zod';
import { createLeadRequestSchema } from '../ipscape/schemas/leads';

/** ingest queue, besides S3 notifications: continue a large file from its checkpoint. */
export const ingestContinueMessageSchema = z.strictObject({
  kind: z.literal('ingest-continue'),
  uploadId: z.string().min(1),
  /** The segment the checkpoint starts (1 for the first hand-over). */
  segment: z.int().positive(),
});
export type IngestContinueMessage = z.infer<typeof ingestContinueMessageSchema>;

/** submit queue: a chunk ready to send. */
export const submitMessageSchema = z.strictObject({
  kind: z.literal('submit'),
  uploadId: z.string().min(1),
  chunk: z.int().nonnegative(),
  /** S3 key of the chunk body. */
  key: z.string().min(1),
  rows: z.int().positive(),
});
export type SubmitMessage = z.infer<typeof submitMessageSchema>;

/** poll queue: follow a chunk's bulk job, or reconcile an in-doubt chunk after its deadline. */
export const pollMessageSchema = z.strictObject({
  kind: z.enum(['poll', 'reconcile']),
  uploadId: z.string().min(1),
  chunk: z.int().nonnegative(),
  /** Polls so far; drives the growing delay. */
  attempt: z.int().nonnegative(),
});
export type PollMessage = z.infer<typeof pollMessageSchema>;

/** One lead as a chunk object holds it, with the line it came from for the report. */
export const chunkLeadSchema = z.strictObject({
  line: z.int().positive(),
  /** The create-lead body as it will be sent (E.164 phones, IANA zone...). */
  lead: createLeadRequestSchema,
});
export type ChunkLead = z.infer<typeof chunkLeadSchema>;

/** The body of `chunks/<uploadId>/<chunk>.json`. */
export const chunkBodySchema = z.strictObject({
  schemaVersion: z.literal(1),
  uploadId: z.string(),
  chunk: z.int().nonnegative(),
  leads: z.array(chunkLeadSchema),
});
export type ChunkBody = z.infer<typeof chunkBodySchema>;
