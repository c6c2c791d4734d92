/**
 * Moving a dead-letter queue's messages back to their queue after a fix: receive a batch, send it to
 * the queue (body and message attributes as they were), and delete from the DLQ only what was sent.
 * A message is never lost: one that could not be sent stays in the DLQ and shows again after the
 * visibility timeout. Bodies are never printed (they are ids, but the rule is simpler without exceptions).
 */
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface RedriveOptions {
  /** Stop after this many messages; default: until the DLQ answers empty. */
  readonly max?: number;
  /** How long a received message stays hidden while it is moved; default 60 s. */
  readonly visibilityTimeoutSeconds?: number;
  /** Called after each batch with the count so far. */
  readonly progress?: (moved: number) => void;
}

export interface RedriveResult {
  readonly moved: number;
  /** Messages that could not be sent back (they stay in the DLQ). */
  readonly failed: number;
  /** The DLQ's approximate depth afterwards (messages in flight are not counted). */
  readonly remaining: number;
}

/**
 * Moves up to `options.max` messages from `dlqUrl` to `queueUrl`.
 *
 * @example await redriveDlq(sqs, queues.submit.dlq.url, queues.submit.url) // { moved: 3, failed: 0, remaining: 0 }
 */
export async function redriveDlq(sqs: SQSClient, dlqUrl: string, queueUrl: string, options: RedriveOptions = {}): Promise<RedriveResult> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  let failed = 0;
  while (moved + failed < max) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - moved - failed),
        // Long polling asks every SQS server: an empty answer means the DLQ is (about) empty.
        WaitTimeSeconds: 1,
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (!messages.length) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length && { MessageAttributes: m.MessageAttributes }),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = messages.filter((_, i) => ok.has(String(i)));
    if (done.length) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlqUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    moved += done.length;
    failed += messages.length - done.length;
    options.progress?.(moved);
    // A batch that could not be sent would come back after its visibility timeout: stop rather than spin.
    if (done.length < messages.length) break;
  }
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return { moved, failed, remaining: Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0) };
}
