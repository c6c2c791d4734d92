/** Media (recordings, voicemails) schema. */
import { z } from 'zod';
import { timestamp } from './common';

export const mediaSchema = z.looseObject({
  mediaId: z.number().int(),
  mediaUri: z.string().nullish(),
  duration: z.number().nullish(),
  deleted: z.boolean().nullish(),
  deletedTimestamp: timestamp.nullish(),
  deletedBy: z.number().int().nullish(),
  deletionReason: z.string().nullish(),
});
export type Media = z.infer<typeof mediaSchema>;
