/**
 * Building blocks shared by the ipSCAPE schemas.
 *
 * Structural schemas describe shapes only: response objects are loose (unknown fields are kept, so a
 * field ipSCAPE adds tomorrow is not lost), nullable where the reference says "or null". Semantic
 * checks (E.164, IANA zones, ids) live in `../semantic.ts` and run before a request is sent.
 */
import { z } from 'zod';

/** An ISO-8601 timestamp as ipSCAPE writes it: offsets `+1000`, `+10:00` or `Z`, optional fraction. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A timestamp in a response; read leniently as a string (see {@link parseIpscapeTimestamp}). */
export const timestamp = z.string();

/**
 * Parses an ipSCAPE timestamp in any of its offset styles.
 *
 * @returns the instant, or `undefined` when the text is not a timestamp.
 * @example parseIpscapeTimestamp('2020-07-06T13:55:06+1000')?.toISOString() // '2020-07-06T03:55:06.000Z'
 */
export function parseIpscapeTimestamp(text: string): Date | undefined {
  if (!TIMESTAMP_PATTERN.test(text)) return undefined;
  // Date.parse does not accept `+1000`; insert the colon it expects.
  const normalised = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** `{metadata: {nextUri, previousUri}, items: [...]}`: the cursor page style most list operations use. */
export function cursorPage<T extends z.ZodType>(item: T) {
  return z.looseObject({
    metadata: z
      .looseObject({
        nextUri: z.string().nullish(),
        previousUri: z.string().nullish(),
      })
      .nullish(),
    items: z.array(item),
  });
}

/** `{pageNo, inPage, perPage, data: [...]}`: the page-number style of list campaigns. */
export function numberedPage<T extends z.ZodType>(item: T) {
  return z.looseObject({
    pageNo: z.number().int(),
    inPage: z.number().int(),
    perPage: z.number().int(),
    data: z.array(item),
  });
}

/** Agent counts as campaigns and statistics report them. */
export const agentCounts = z.looseObject({
  assigned: z.number().nullish(),
  available: z.number().nullish(),
  busy: z.number().nullish(),
  paused: z.number().nullish(),
});

/** Reference to a stored recording or voicemail. */
export const mediaRef = z.looseObject({
  mediaId: z.number().int(),
  mediaUri: z.string().nullish(),
  duration: z.number().nullish(),
  deleted: z.boolean().nullish(),
});
