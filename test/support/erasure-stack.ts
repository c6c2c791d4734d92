/**
 * The ingestion stack plus erasure: the erasure worker pumped from its queue, and the erasure HTTP API
 * on loopback, as the dev stack runs them. Every queue message a handler receives is kept, so a test can
 * check what went through the queues.
 */
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { startLocalErasureApi } from '../../local/erasure-runtime';
import type { RunningErasureApi } from '../../local/erasure-http-server';
import { localQueueHandlersTo } from '../../local/function-handlers';
import type { SqsBatchHandler } from '../../local/sqs-pump';
import type { RequestView } from '../../shared/erasure/http-api';
import { startIngestionStack, type IngestionStack, type IngestionStackOptions } from './ingestion-stack';
import { waitFor } from './wait';

export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

export interface ErasureStack {
  readonly ingestion: IngestionStack;
  readonly apiUrl: string;
  /** Every queue message body delivered to a handler, by queue. */
  readonly messages: { readonly queue: string; readonly body: string }[];
  api<T = RequestView>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** Waits until the request reaches one of `statuses`. */
  until(requestId: string, statuses: readonly string[], timeoutMs?: number): Promise<RequestView>;
}

function capturing(queue: string, handler: SqsBatchHandler, messages: { queue: string; body: string }[]): SqsBatchHandler {
  return (async (event: SQSEvent, context: unknown) => {
    for (const record of event.Records) messages.push({ queue, body: record.body });
    return (handler as unknown as (e: SQSEvent, c: unknown) => Promise<unknown>)(event, context);
  }) as unknown as SqsBatchHandler;
}

/** Starts the stack for the current test file (beforeAll) and stops it (afterAll). */
export function useErasureStack(options: IngestionStackOptions = {}, hookTimeoutMs = 60_000): ErasureStack {
  const messages: { queue: string; body: string }[] = [];
  let ingestion: IngestionStack | undefined;
  let api: RunningErasureApi | undefined;
  let stop: (() => Promise<void>) | undefined;
  let logStream: import('node:stream').Writable | undefined;
  beforeAll(async () => {
    const started = await startIngestionStack({
      ...options,
      handlers: async (context, io) => {
        // The API logs where the functions log, so a test reads both in logs().
        logStream = io.stream;
        const all = await localQueueHandlersTo(io)(context);
        return Object.fromEntries(Object.entries(all).map(([queue, handler]) => [queue, capturing(queue, handler as SqsBatchHandler, messages)]));
      },
    });
    ingestion = started.stack;
    stop = started.stop;
    api = await startLocalErasureApi(ingestion.stack, { env: options.env ?? {}, ...(logStream && { stream: logStream }) });
  }, hookTimeoutMs);
  afterAll(async () => {
    await api?.close();
    await stop?.();
  }, hookTimeoutMs);

  const self: ErasureStack = {
    get ingestion() {
      if (!ingestion) throw new Error('the erasure stack is not running');
      return ingestion;
    },
    get apiUrl() {
      return api!.url;
    },
    messages,
    async api<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
      const res = await fetch(`${api!.url}${path}`, {
        method,
        ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // CSV exports stay text.
      }
      return { status: res.status, body: parsed as T, text };
    },
    async until(requestId, statuses, timeoutMs = 60_000) {
      return waitFor(
        async () => {
          const { body } = await self.api<RequestView>('GET', `/erasure-requests/${requestId}`);
          return statuses.includes(body.status) ? body : undefined;
        },
        { timeoutMs, intervalMs: 200, what: `erasure request ${requestId} to reach ${statuses.join(' or ')}` },
      );
    },
  };
  return self;
}
