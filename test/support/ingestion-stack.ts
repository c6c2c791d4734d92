/**
 * The whole ingestion pipeline on a local stack for integration tests: moto (S3, SQS, DynamoDB) with
 * the real S3 → SQS notification, the ipSCAPE simulator, and the deployed handlers pumped from their
 * queues. Tests drive it only from the outside (objects put in the bucket, messages sent to a queue)
 * and read what it left: upload state in DynamoDB, reports in S3, leads and requests in the simulator.
 *
 * One stack per test FILE: `useIngestionStack()` at the top of a file registers beforeAll/afterAll.
 * Tests inside a file share the simulator (its faults are global), so they run one after another and
 * each uses a fresh lead list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect } from 'vitest';
import { localClients, type LocalClients } from '../../local/aws-clients';
import { startDevStack, type DevStack, type DevStackOptions, type LocalStackContext, type QueueHandlers } from '../../local/dev-stack';
import { localQueueHandlersTo } from '../../local/function-handlers';
import type { FaultSettings, RequestLogEntry, SimulatorFaults } from '../../local/simulator/index';
import { createDynamoUploadStore } from '../../shared/aws/dynamo-upload-store';
import { reportKeys } from '../../shared/ingest/ingest-upload';
import { rowOutcomes } from '../../shared/ingest/outcomes';
import { finalUploadStatuses, type UploadRecord, type UploadStore } from '../../shared/ingest/upload-state';
import { uploadSummarySchema, type UploadSummary } from '../../shared/ingest/upload-summary';
import { resources as resourceSpec } from '../../shared/resources/resources';
import { simulatorAdmin } from './simulator';
import { waitFor } from './wait';

/** What a custom handler factory gets besides the stack context. */
export interface HandlerIo {
  /** The log stream the test keeps (see {@link IngestionStack.logs}). */
  readonly stream: Writable;
  /** The configuration overrides of this stack (e.g. `INGEST_SETTINGS`). */
  readonly env: Record<string, string>;
}

export interface IngestionStackOptions {
  /** Configuration overrides for the functions, e.g. `{ INGEST_SETTINGS: '{"jobDeadlineSeconds":5}' }`. */
  readonly env?: Record<string, string>;
  readonly simulator?: DevStackOptions['simulator'];
  /** Visibility timeout scale; default 0.01 (a failed submit comes back after ~4 s). */
  readonly timeScale?: number;
  /** Handlers other than the deployed ones as the local stack builds them (e.g. with an injected crash). */
  readonly handlers?: (context: LocalStackContext, io: HandlerIo) => QueueHandlers | Promise<QueueHandlers>;
}

/** A lead as the simulator's admin API returns it (the fields the tests read). */
export interface SimulatorLead {
  readonly leadId: number;
  readonly listId: number;
  readonly customerKey: string | null;
  readonly timezone: string;
  readonly dataFields: Record<string, string>;
  readonly phones: readonly { readonly phone: string; readonly phoneIndex: number }[];
}

export interface PutResult {
  readonly key: string;
  readonly versionId: string | undefined;
  readonly eTag: string | undefined;
}

export interface IngestionStack {
  readonly stack: DevStack;
  readonly clients: LocalClients;
  readonly store: UploadStore;
  readonly bucket: string;
  /** Everything the functions logged so far (JSON lines). */
  logs(): string;
  /** A fresh lead list in campaign 1; its id. */
  newList(name: string): Promise<number>;
  /** Puts an upload in the bucket; S3 notifies the ingest queue. */
  put(key: string, body: string | Uint8Array, metadata?: Record<string, string>): Promise<PutResult>;
  /** Sends a raw message body to one of the stack's queues. */
  sendTo(queue: 'ingest' | 'submit' | 'poll', body: string): Promise<void>;
  /** Waits until the upload of `key` reaches a final status, then returns its state and summary. */
  finished(key: string, options?: { timeoutMs?: number }): Promise<{ upload: UploadRecord; summary: UploadSummary }>;
  /** An object's text, or undefined when there is none. */
  readText(key: string): Promise<string | undefined>;
  /** Leads of one list in the simulator. */
  leadsIn(listId: number): Promise<SimulatorLead[]>;
  /** The simulator's request log. */
  requests(): Promise<RequestLogEntry[]>;
  faults(changes: SimulatorFaults): Promise<FaultSettings>;
  resetFaults(): Promise<FaultSettings>;
  admin<T = unknown>(path: string, body?: unknown, method?: string): Promise<T>;
}

/**
 * Starts an ingestion stack for the current test file (beforeAll) and stops it (afterAll). Its fields
 * are readable inside tests.
 */
export function useIngestionStack(options: IngestionStackOptions = {}, hookTimeoutMs = 60_000): IngestionStack {
  let running: IngestionStack | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startIngestionStack(options);
    running = started.stack;
    cleanup = started.stop;
  }, hookTimeoutMs);
  afterAll(async () => {
    await cleanup?.();
  }, hookTimeoutMs);
  const get = (): IngestionStack => {
    if (!running) throw new Error('the ingestion stack is not running: call useIngestionStack() at the top of the file and use it inside tests');
    return running;
  };
  return new Proxy({} as IngestionStack, {
    get: (_, property) => {
      const value = get()[property as keyof IngestionStack];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(running) : value;
    },
  });
}

/** Starts the stack; `stop` stops it and removes its state directory. */
export async function startIngestionStack(options: IngestionStackOptions = {}): Promise<{ stack: IngestionStack; stop: () => Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'leadflow-ingestion-'));
  const previousHome = process.env.LEADFLOW_HOME;
  process.env.LEADFLOW_HOME = home;
  const stream = new PassThrough();
  const logChunks: string[] = [];
  stream.on('data', (chunk: Buffer | string) => logChunks.push(chunk.toString()));
  const env = options.env ?? {};
  let stack: DevStack | undefined;
  let clients: LocalClients | undefined;
  const stop = async () => {
    clients?.destroy();
    try {
      await stack?.stop();
    } finally {
      stream.end();
      if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
      else process.env.LEADFLOW_HOME = previousHome;
      rmSync(home, { recursive: true, force: true });
    }
  };
  try {
    stack = await startDevStack({
      writeStateFile: false,
      stateDir: home,
      timeScale: options.timeScale ?? 0.01,
      handlers: (context) => (options.handlers ? options.handlers(context, { stream, env }) : localQueueHandlersTo({ stream, env })(context)),
      ...(options.simulator && { simulator: options.simulator }),
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const dev = stack;
  clients = localClients(dev.endpoints.aws, dev.resources.region);
  const local = clients;
  const store = createDynamoUploadStore({ client: local.dynamodb, tableName: dev.resources.tables.state });
  const bucket = dev.resources.bucket;

  const admin = simulatorAdmin(dev.endpoints.adminUrl);

  async function readText(key: string): Promise<string | undefined> {
    try {
      const out = await local.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body!.transformToString('utf-8');
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  const api: IngestionStack = {
    stack: dev,
    clients: local,
    store,
    bucket,
    logs: () => logChunks.join(''),
    async newList(name) {
      const seeded = await admin<{ listIds: number[] }>('/seed', { lists: [{ listName: name, campaignId: 1 }] });
      return seeded.listIds[0]!;
    },
    async put(key, body, metadata) {
      const out = await local.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv', ...(metadata && { Metadata: metadata }) }),
      );
      return { key, versionId: out.VersionId, eTag: out.ETag };
    },
    async sendTo(queue, body) {
      await local.sqs.send(new SendMessageCommand({ QueueUrl: dev.resources.queues[queue].url, MessageBody: body }));
    },
    async finished(key, { timeoutMs = 60_000 } = {}) {
      const upload = await waitFor(
        async () => {
          const found = await store.findUploadByKey(bucket, key);
          return found && finalUploadStatuses.includes(found.status) ? found : undefined;
        },
        { timeoutMs, intervalMs: 250, what: `the upload of ${key} to end` },
      );
      // The summary is written before the final transition, so it is there now.
      const text = await readText(reportKeys(resourceSpec.bucket.prefixes.reports, upload.uploadId).summary);
      if (text === undefined) throw new Error(`upload ${upload.uploadId} ended ${upload.status} without a summary`);
      return { upload, summary: uploadSummarySchema.parse(JSON.parse(text)) };
    },
    readText,
    async leadsIn(listId) {
      const { leads } = await admin<{ leads: SimulatorLead[] }>('/leads');
      return leads.filter((l) => l.listId === listId);
    },
    requests: async () => (await admin<{ requests: RequestLogEntry[] }>('/requests')).requests,
    faults: (changes) => admin<FaultSettings>('/faults', changes),
    resetFaults: () => admin<FaultSettings>('/faults', undefined, 'DELETE'),
    admin,
  };
  return { stack: api, stop };
}

/** Every row ended in exactly one outcome, and the summary says so. */
export function expectRowsConserved(summary: UploadSummary): void {
  const counted = rowOutcomes.reduce((sum, outcome) => sum + (summary.outcomes[outcome] ?? 0), 0);
  expect(summary.conservation.holds, `conservation of ${JSON.stringify(summary.outcomes)} over ${summary.rows} rows`).toBe(true);
  expect(counted).toBe(summary.rows);
  expect(summary.conservation).toEqual({ rows: summary.rows, outcomes: summary.rows, holds: true });
  // Reasons explain every row that is not accepted.
  const explained = Object.values(summary.reasons).reduce((sum, n) => sum + n, 0);
  expect(explained).toBe(summary.rows - (summary.outcomes.accepted ?? 0));
}

/**
 * The list holds exactly one lead per expected customer key, and no phone1 twice.
 *
 * @returns the leads, by customer key.
 */
export function expectExactlyLeads(leads: readonly SimulatorLead[], customerKeys: readonly string[]): Map<string, SimulatorLead> {
  const keys = leads.map((l) => l.customerKey ?? '(none)');
  expect(new Set(keys).size, `customer keys twice in the list: ${keys.join(', ')}`).toBe(keys.length);
  const phone1s = leads.map((l) => l.phones.find((p) => p.phoneIndex === 1)?.phone ?? '(none)');
  expect(new Set(phone1s).size, 'a phone1 twice in the list').toBe(phone1s.length);
  expect([...keys].sort()).toEqual([...customerKeys].sort());
  return new Map(leads.map((l) => [l.customerKey ?? '', l]));
}
