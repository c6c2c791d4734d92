/** {@link WorkQueue} on an SQS queue: JSON bodies, batches of ten, per-message delays. */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WorkQueue } from '../ingest/work-queue';

/** SQS's ceiling for a message delay. */
const MAX_DELAY_SECONDS = 900;

/** Creates a queue sender for `queueUrl`. */
export function createSqsWorkQueue<T>(client: SQSClient, queueUrl: string): WorkQueue<T> {
  return {
    async send(message, delaySeconds = 0) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds))),
        }),
      );
    },
    async sendAll(messages) {
      for (let i = 0; i < messages.length; i += 10) {
        const batch = messages.slice(i, i + 10);
        let entries = batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) }));
        // A batch can partly fail (throttling); resend the failed entries a few times before giving up.
        for (let attempt = 0; entries.length && attempt < 5; attempt++) {
          const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          entries = entries.filter((e) => failed.has(e.Id));
        }
        if (entries.length) throw new Error(`could not send ${entries.length} of ${batch.length} messages to the queue`);
      }
    },
  };
}
