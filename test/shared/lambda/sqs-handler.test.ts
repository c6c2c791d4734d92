/**
 * The shape every SQS function shares: records succeed or fail on their own (partial batch
 * responses), even when one process handles several batches at once (the local pump does).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../local/sqs-pump';
import { sqsHandler } from '../../../shared/lambda/sqs-handler';

function record(id: string, body: string): SQSRecord {
  return {
    messageId: id,
    receiptHandle: id,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-southeast-2:000000000000:q',
    awsRegion: 'ap-southeast-2',
  };
}

const quiet = () => ({
  logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'Test', serviceName: 'test' }),
});
const context = (): Context =>
  localLambdaContext({ functionName: 'test', region: 'ap-southeast-2', account: '000000000000', deadline: Date.now() + 30_000, memoryMb: 128 });

describe('sqsHandler', () => {
  it('reports only the failed records, and passes the invocation context to each', async () => {
    let remaining: number | undefined;
    const handler = sqsHandler({
      service: 'test',
      runtime: async () => 'runtime',
      record: async (r, runtime, _telemetry, ctx) => {
        expect(runtime).toBe('runtime');
        remaining = ctx?.getRemainingTimeInMillis();
        if (r.body === 'fail') throw new Error('no');
      },
      ...quiet(),
    });
    const event: SQSEvent = { Records: [record('a', 'ok'), record('b', 'fail'), record('c', 'ok')] };
    expect(await handler(event, context())).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(remaining).toBeGreaterThan(0);
  });

  it('keeps batches handled at the same time apart', async () => {
    const handler = sqsHandler({
      service: 'test',
      runtime: async () => undefined,
      record: async (r) => {
        // Interleave the two batches' records.
        await new Promise((resolve) => setTimeout(resolve, r.body === 'fail' ? 5 : 15));
        if (r.body === 'fail') throw new Error('no');
      },
      ...quiet(),
    });
    const [first, second] = await Promise.all([
      handler({ Records: [record('a1', 'ok'), record('a2', 'fail')] }, context()),
      handler({ Records: [record('b1', 'ok'), record('b2', 'ok')] }, context()),
    ]);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'a2' }] });
    expect(second).toEqual({ batchItemFailures: [] });
  });
});
