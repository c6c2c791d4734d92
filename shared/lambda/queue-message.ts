/**
 * Parsing a queue message body without ever quoting it: `JSON.parse` errors echo the start of the
 * text, and a malformed message could hold anything. The error names the problem and field paths only.
 */
import type { z } from 'zod';

/** A message body that is not what its queue carries. */
export class QueueMessageError extends Error {
  override readonly name = 'QueueMessageError';
  constructor(readonly problems: readonly string[]) {
    super(`not a valid message for this queue: ${problems.join('; ')}`);
  }
}

/**
 * Parses and validates a JSON message body.
 *
 * @example const message = parseQueueMessage(submitMessageSchema, record.body);
 * @throws QueueMessageError naming what is wrong (paths and zod issue codes), never the body.
 */
export function parseQueueMessage<S extends z.ZodType>(schema: S, body: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new QueueMessageError(['the body is not JSON']);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new QueueMessageError(result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`));
  return result.data;
}
