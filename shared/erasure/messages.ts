/**
 * The erasure queue's message: a request id, nothing else, so a message parked in the DLQ never holds
 * a person. The worker reads everything it needs from the request record.
 */
import { z } from 'zod';

export const erasureMessageSchema = z.strictObject({
  kind: z.literal('erasure'),
  requestId: z.string().regex(/^er[0-9a-f]{20}$/),
});
export type ErasureMessage = z.infer<typeof erasureMessageSchema>;
