import { describe, expect, it } from 'vitest';
import { submitMessageSchema } from '../../../shared/ingest/messages';
import { parseQueueMessage, QueueMessageError } from '../../../shared/lambda/queue-message';

describe('parseQueueMessage', () => {
  it('parses a valid message', () => {
    const body = JSON.stringify({ kind: 'submit', uploadId: 'u1', chunk: 0, key: 'chunks/u1/00000.json', rows: 3 });
    expect(parseQueueMessage(submitMessageSchema, body)).toMatchObject({ uploadId: 'u1', rows: 3 });
  });

  it.each([
    ['name=Jane Citizen, phone 0412 345 678', /not JSON/],
    [JSON.stringify({ kind: 'submit', uploadId: 'u1', chunk: 0, key: 'k', rows: 3, phone: '0412 345 678' }), /unrecognized_keys/],
    [JSON.stringify({ kind: 'submit', uploadId: 'Jane Citizen', chunk: -1, key: 'k', rows: 'jane@example.com' }), /rows: invalid_type/],
  ])('refuses %s without quoting it', (body, reason) => {
    let error: unknown;
    try {
      parseQueueMessage(submitMessageSchema, body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueueMessageError);
    const text = `${(error as Error).message} ${(error as Error).stack}`;
    expect(text).toMatch(reason);
    expect(text).not.toMatch(/Jane|0412|jane@example\.com|Citizen/);
  });
});
