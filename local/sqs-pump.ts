/**
 * A local stand-in for Lambda's SQS event source mapping, calling the handler in-process.
 *
 * What it keeps from Lambda: batches of up to `batchSize` with real `SQSEvent` records; messages the
 * handler reports in `batchItemFailures` are not deleted and stay invisible until their visibility
 * timeout expires, exactly as Lambda leaves them (it never resets visibility), so retry timing and
 * redrive to the DLQ after `maxReceiveCount` are SQS's own, from the same queue settings as deployed.
 * Local runs get quick retries by provisioning with a `timeScale`, not by the pump cutting corners.
 * A handler that throws (including Powertools' `FullBatchFailureError`) fails the whole batch, and so
 * does a response naming a message that was not in the batch, as on Lambda.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

/** A Lambda-style SQS handler, as written for the deployed functions (middy-wrapped handlers fit). */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void | undefined>;

/** What happened to one batch, for logs and tests. */
export type PumpEvent =
  | { readonly type: 'batch'; readonly queue: string; readonly messageIds: readonly string[] }
  | { readonly type: 'succeeded'; readonly queue: string; readonly messageIds: readonly string[] }
  | { readonly type: 'partial-failure'; readonly queue: string; readonly failedIds: readonly string[]; readonly succeededIds: readonly string[] }
  | { readonly type: 'batch-failed'; readonly queue: string; readonly messageIds: readonly string[]; readonly error: Error }
  | { readonly type: 'poll-error'; readonly queue: string; readonly error: Error };

export interface SqsPumpOptions {
  sqs: SQSClient;
  queue: { readonly url: string; readonly arn: string; readonly name?: string };
  /** Up to 10, the queue's event source batch size. */
  batchSize: number;
  handler: SqsBatchHandler;
  /** For `awsRegion` in the records; defaults to the region in the queue ARN. */
  region?: string;
  /** Reported as the function name in the Lambda context. */
  functionName?: string;
  /**
   * The function timeout: `context.getRemainingTimeInMillis()` counts down from it, and a handler
   * still running when it expires fails its batch, as a Lambda timeout does (the promise is
   * abandoned, not cancelled). Default 60 s.
   */
  timeoutMs?: number;
  /** Reported as `memoryLimitInMB`. */
  memoryMb?: number;
  /** Long-poll wait per receive; small so `stop()` is quick. */
  waitTimeSeconds?: number;
  /** Batches handled at once (Lambda runs several; one keeps local runs easy to follow). */
  concurrency?: number;
  onEvent?: (event: PumpEvent) => void;
}

/** A running pump. */
export interface SqsPump {
  /** Stops polling; resolves once the batches in flight have finished and been settled. */
  stop(): Promise<void>;
  /** Counts so far, for tests and the dev console. */
  readonly stats: { readonly batches: number; readonly succeeded: number; readonly failed: number };
}

const POLL_ERROR_BACKOFF_MS = 1000;

/** Starts polling a queue and invoking `handler` with each batch until `stop()`. */
export function startSqsPump(options: SqsPumpOptions): SqsPump {
  const batchSize = Math.min(10, Math.max(1, options.batchSize));
  const queueName = options.queue.name ?? options.queue.arn.split(':').pop() ?? options.queue.url;
  const region = options.region ?? options.queue.arn.split(':')[3] ?? 'ap-southeast-2';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const stats = { batches: 0, succeeded: 0, failed: 0 };
  const emit = (event: PumpEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // an observer's bug must not stop the pump
    }
  };
  let stopping = false;
  const wakers = new Set<() => void>();

  const loop = async (): Promise<void> => {
    while (!stopping) {
      let messages: Message[];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queue.url,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (stopping) break;
        emit({ type: 'poll-error', queue: queueName, error: error as Error });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(wakeUp, POLL_ERROR_BACKOFF_MS);
          function wakeUp(): void {
            clearTimeout(timer);
            wakers.delete(wakeUp);
            resolve();
          }
          wakers.add(wakeUp);
        });
        continue;
      }
      // Messages received while stopping are still handled: dropping them would hide them for a
      // whole visibility timeout for no reason.
      if (messages.length > 0) await handleBatch(messages);
    }
  };

  const handleBatch = async (messages: Message[]): Promise<void> => {
    stats.batches++;
    const records = messages.map((m) => toRecord(m, options.queue.arn, region));
    const ids = records.map((r) => r.messageId);
    emit({ type: 'batch', queue: queueName, messageIds: ids });
    let failedIds: Set<string>;
    try {
      const response = await withTimeout(options.handler({ Records: records }, lambdaContext(options, queueName)), timeoutMs);
      failedIds = failuresOf(response, ids);
    } catch (error) {
      stats.failed += ids.length;
      emit({ type: 'batch-failed', queue: queueName, messageIds: ids, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    const succeeded = records.filter((r) => !failedIds.has(r.messageId));
    await deleteMessages(succeeded);
    stats.succeeded += succeeded.length;
    stats.failed += failedIds.size;
    if (failedIds.size === 0) emit({ type: 'succeeded', queue: queueName, messageIds: ids });
    else emit({ type: 'partial-failure', queue: queueName, failedIds: [...failedIds], succeededIds: succeeded.map((r) => r.messageId) });
  };

  const deleteMessages = async (records: SQSRecord[]): Promise<void> => {
    if (records.length === 0) return;
    try {
      const out = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queue.url,
          Entries: records.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
      for (const failure of out.Failed ?? []) {
        emit({ type: 'poll-error', queue: queueName, error: new Error(`delete failed (${failure.Code}): the message will be delivered again`) });
      }
    } catch (error) {
      // Lambda is at-least-once too: an undeleted message comes back after its visibility timeout.
      emit({ type: 'poll-error', queue: queueName, error: error as Error });
    }
  };

  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => loop());
  const done = Promise.all(loops).then(() => undefined);

  return {
    stats,
    stop() {
      stopping = true;
      for (const w of [...wakers]) w();
      return done;
    },
  };
}

/**
 * The message ids a handler's response marks as failed. A response naming a message that is not in the
 * batch (or an empty id) makes Lambda treat the whole batch as failed, so it does here.
 */
function failuresOf(response: SQSBatchResponse | void | undefined, ids: readonly string[]): Set<string> {
  const failures = response && Array.isArray(response.batchItemFailures) ? response.batchItemFailures : [];
  const known = new Set(ids);
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    if (typeof id !== 'string' || !known.has(id)) return new Set(ids);
    failed.add(id);
  }
  return failed;
}

/** Converts an SDK message into the record shape Lambda hands to SQS handlers. */
export function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const a = message.Attributes ?? {};
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
    SentTimestamp: a.SentTimestamp ?? String(Date.now()),
    SenderId: a.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(a.AWSTraceHeader ? { AWSTraceHeader: a.AWSTraceHeader } : {}),
    ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
    ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
    ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
    ...(a.DeadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: a.DeadLetterQueueSourceArn } : {}),
  };
  return {
    messageId: message.MessageId ?? randomUUID(),
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: toMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function toMessageAttributes(attributes: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    // Lambda passes binary values base64-encoded and always includes the (empty) list fields.
    out[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return out;
}

function lambdaContext(options: SqsPumpOptions, queueName: string): Context {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const functionName = options.functionName ?? `local-${queueName}`;
  const region = options.region ?? options.queue.arn.split(':')[3] ?? 'ap-southeast-2';
  const account = options.queue.arn.split(':')[4] ?? '123456789012';
  return localLambdaContext({ functionName, region, account, deadline, memoryMb: options.memoryMb ?? 256 });
}

/** Raised in place of a handler that outlived its timeout. */
export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(`handler timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Lambda `Context` for in-process invocations (Powertools' logger and batch utilities read it). */
export function localLambdaContext(input: { functionName: string; region: string; account: string; deadline: number; memoryMb: number }): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${input.region}:${input.account}:function:${input.functionName}`,
    memoryLimitInMB: String(input.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, input.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
