import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { LocalWorkQueue } from '../../local/provision';
import { startSqsPump, type PumpEvent, type SqsBatchHandler } from '../../local/sqs-pump';
import { provisionTestStack, startTestMoto } from '../support/moto';
import { waitFor } from '../support/wait';

const moto = startTestMoto();
// 0.005 makes the poll queue's visibility 1 s and submit's 2 s: retries take seconds.
const TIME_SCALE = 0.005;

async function send(queue: LocalWorkQueue, bodies: string[]): Promise<void> {
  await moto.clients.sqs.send(
    new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
  );
}

async function queueDepth(url: string): Promise<number> {
  const attributes = (
    await moto.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    )
  ).Attributes;
  return Number(attributes?.ApproximateNumberOfMessages ?? 0) + Number(attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

function pump(queue: LocalWorkQueue, handler: SqsBatchHandler, events: PumpEvent[] = []) {
  return startSqsPump({ sqs: moto.clients.sqs, queue, batchSize: queue.batchSize, handler, onEvent: (e) => events.push(e) });
}

describe('startSqsPump', () => {
  it('hands the handler Lambda-shaped records', async () => {
    const resources = await provisionTestStack('shape', { timeScale: TIME_SCALE });
    const queue = resources.queues.submit;
    await moto.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: '{"uploadId":"u1","chunk":0}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'chunk' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } },
      }),
    );
    const seen: SQSEvent[] = [];
    const p = pump(queue, async (event) => {
      seen.push(event);
    });
    await waitFor(() => seen.length > 0, { what: 'a batch' });
    await p.stop();
    const record = seen[0]?.Records[0] as SQSRecord;
    expect(record).toMatchObject({
      body: '{"uploadId":"u1","chunk":0}',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'ap-southeast-2',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {
        kind: { dataType: 'String', stringValue: 'chunk', stringListValues: [], binaryListValues: [] },
        raw: { dataType: 'Binary', binaryValue: Buffer.from('hi').toString('base64') },
      },
    });
    expect(record.messageId).toMatch(/\S/);
    expect(record.receiptHandle).toMatch(/\S/);
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(record.attributes.SentTimestamp).toMatch(/^\d+$/);
    await waitFor(async () => (await queueDepth(queue.url)) === 0, { what: 'the message to be deleted' });
  });

  it('deletes what succeeded and delivers batchItemFailures again', async () => {
    const resources = await provisionTestStack('partial', { timeScale: TIME_SCALE });
    const queue = resources.queues.submit;
    await send(queue, ['a', 'b', 'c']);
    const deliveries: { body: string; receiveCount: string }[] = [];
    const p = pump(queue, async (event) => {
      for (const r of event.Records) deliveries.push({ body: r.body, receiveCount: r.attributes.ApproximateReceiveCount });
      const failFirstB = event.Records.filter((r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1');
      return { batchItemFailures: failFirstB.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    try {
      await waitFor(() => deliveries.some((d) => d.body === 'b' && d.receiveCount === '2'), { what: 'b to come back' });
      await waitFor(async () => (await queueDepth(queue.url)) === 0, { what: 'the queue to drain' });
    } finally {
      await p.stop();
    }
    expect(deliveries.filter((d) => d.body === 'a')).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 'c')).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 'b').map((d) => d.receiveCount)).toEqual(['1', '2']);
    expect(p.stats).toMatchObject({ succeeded: 3, failed: 1 });
  });

  it('parks a message that always fails in the DLQ after maxReceiveCount', async () => {
    const resources = await provisionTestStack('poison', { timeScale: TIME_SCALE });
    const queue = resources.queues.poll;
    await send(queue, ['poison']);
    const attempts: string[] = [];
    const events: PumpEvent[] = [];
    const p = pump(
      queue,
      async (event) => {
        attempts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
        throw new Error('always fails');
      },
      events,
    );
    let parked: string | undefined;
    try {
      parked = await waitFor(
        async () => {
          const out = await moto.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlq.url, WaitTimeSeconds: 1 }));
          return out.Messages?.[0]?.Body;
        },
        { timeoutMs: 25_000, what: 'the message in the DLQ' },
      );
    } finally {
      await p.stop();
    }
    expect(parked).toBe('poison');
    expect(attempts).toEqual(['1', '2', '3', '4', '5']);
    expect(events.filter((e) => e.type === 'batch-failed')).toHaveLength(5);
    expect(await queueDepth(queue.url)).toBe(0);
  });

  it("treats a whole-batch failure from Powertools' batch processor as the batch failing", async () => {
    const resources = await provisionTestStack('powertools', { timeScale: TIME_SCALE });
    const queue = resources.queues.submit;
    await send(queue, ['x', 'y']);
    const processor = new BatchProcessor(EventType.SQS);
    let calls = 0;
    const events: PumpEvent[] = [];
    const handler: SqsBatchHandler = async (event, context) => {
      calls++;
      return processPartialResponse(
        event,
        async (record: SQSRecord) => {
          // Everything fails the first time, which makes Powertools throw FullBatchFailureError.
          if (record.attributes.ApproximateReceiveCount === '1') throw new Error(`first attempt fails`);
        },
        processor,
        { context },
      );
    };
    const p = pump(queue, handler, events);
    try {
      await waitFor(async () => calls >= 2 && (await queueDepth(queue.url)) === 0, { what: 'the retry to succeed' });
    } finally {
      await p.stop();
    }
    const failure = events.find((e) => e.type === 'batch-failed');
    expect(failure && failure.type === 'batch-failed' ? failure.error.name : undefined).toBe('FullBatchFailureError');
  });

  it('fails the whole batch when batchItemFailures names an unknown message', async () => {
    const resources = await provisionTestStack('unknown', { timeScale: TIME_SCALE });
    const queue = resources.queues.submit;
    await send(queue, ['only']);
    const counts: string[] = [];
    const p = pump(queue, async (event) => {
      counts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      return counts.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : { batchItemFailures: [] };
    });
    try {
      await waitFor(async () => counts.length >= 2 && (await queueDepth(queue.url)) === 0, { what: 'the redelivery' });
    } finally {
      await p.stop();
    }
    expect(counts).toEqual(['1', '2']);
  });

  it('stop() waits for the batch in flight and settles it', async () => {
    const resources = await provisionTestStack('stopping', { timeScale: TIME_SCALE });
    const queue = resources.queues.submit;
    await send(queue, ['slow']);
    let started = false;
    let finished = false;
    const p = pump(queue, async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
    });
    await waitFor(() => started, { what: 'the handler to start' });
    await p.stop();
    expect(finished).toBe(true);
    expect(await queueDepth(queue.url)).toBe(0);
  });
});
