/**
 * Bulk creates whose outcome is unknown, end to end on the local stack: a submit function that
 * crashes after ipSCAPE created the job, and a bulk create answered 500 with or without having run.
 * The pipeline must never send a chunk twice: it puts the chunk in doubt, waits for the job deadline
 * (5 s here) and looks each lead up in its list. Every test checks row conservation and that the
 * list holds exactly the leads the summary accepted, none twice.
 */
import type { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { localClients, type LocalClients } from '../../local/aws-clients';
import { localConfig, localPowertools, localQueueHandlersTo } from '../../local/function-handlers';
import type { SqsBatchHandler } from '../../local/sqs-pump';
import { createSubmitHandler } from '../../functions/submit/handler';
import { createIngestionPorts } from '../../shared/aws/ingestion-ports';
import { createIngestion, type IngestionPorts } from '../../shared/ingest/ingestion';
import type { UploadStore } from '../../shared/ingest/upload-state';
import { expectExactlyLeads, expectRowsConserved, useIngestionStack } from '../support/ingestion-stack';
import { waitFor } from '../support/wait';

const JOB_DEADLINE_SECONDS = 5;
const env = { INGEST_SETTINGS: JSON.stringify({ jobDeadlineSeconds: JOB_DEADLINE_SECONDS, pollMinDelaySeconds: 1 }) };
const TEST_TIMEOUT_MS = 90_000;

/**
 * Crashes armed by a test, taken by the next submit that gets that far:
 * - `after-bulk-create`: the function dies right after ipSCAPE answered the bulk create, before the
 *   job is recorded (the record write never happens), as a Lambda timeout or OOM there would;
 * - `thrown-by-client`: the ipSCAPE client call itself throws a plain Error after the bulk create ran.
 */
type Crash = 'after-bulk-create' | 'thrown-by-client';
const armed = new Set<Crash>();
const clientsToClose: LocalClients[] = [];

/** Replaces one method of a port, keeping the others bound to the original. */
function withMethod<T extends object, K extends keyof T>(target: T, name: K, replacement: T[K]): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === name) return replacement;
      const value = Reflect.get(object, property, object) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

function crashing(ports: IngestionPorts): IngestionPorts {
  const store = ports.store;
  const transitionChunk: UploadStore['transitionChunk'] = async (uploadId, chunk, from, to, fields) => {
    if (to === 'submitted' && armed.delete('after-bulk-create')) throw new Error('injected crash: the function died before recording the job');
    return store.transitionChunk(uploadId, chunk, from, to, fields);
  };
  const ipscape = ports.ipscape;
  const bulkCreateLeads: IngestionPorts['ipscape']['bulkCreateLeads'] = async (...args) => {
    const job = await ipscape.bulkCreateLeads(...args);
    if (armed.delete('thrown-by-client')) throw new Error('injected failure after the bulk create ran');
    return job;
  };
  return { ...ports, store: withMethod(store, 'transitionChunk', transitionChunk), ipscape: withMethod(ipscape, 'bulkCreateLeads', bulkCreateLeads) };
}

// Registered before the stack's hooks so that it runs after the stack has stopped (hooks run as a stack).
afterAll(() => {
  for (const clients of clientsToClose) clients.destroy();
});

const ingestion = useIngestionStack({
  env,
  simulator: { seed: 5, bulkJobDurationMs: 1_000 },
  // The deployed ingest and poll functions; submit built the same way around ports with crashes to arm.
  handlers: async (context, io) => {
    const handlers = await localQueueHandlersTo(io)(context);
    const config = localConfig(context, io.env);
    const clients = localClients(context.endpoints.aws, context.resources.region);
    clientsToClose.push(clients);
    const runtime = async (telemetry: Parameters<typeof createIngestionPorts>[2]) =>
      createIngestion(crashing(await createIngestionPorts(config, clients, telemetry, { pollQueue: true })));
    return { ...handlers, submit: createSubmitHandler(runtime, localPowertools('submit', io.stream)) as unknown as SqsBatchHandler };
  },
});

let nextPhone = 5000;
function rows(prefix: string, count: number): { key: string; line: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(nextPhone++).padStart(4, '0');
    const key = `${prefix}-${i + 1}`;
    return { key, line: `${key},Person ${i + 1},0491 57${n[0]} ${n.slice(1)},NSW` };
  });
}
const csv = (lines: readonly { line: string }[]) => ['Customer Key,First Name,Mobile,State', ...lines.map((l) => l.line)].join('\n') + '\n';

async function bulkCreates() {
  return (await ingestion.requests()).filter((r) => r.operationId === 'bulkCreateLeads');
}

/** Log messages of one upload, in order. */
function messagesOf(uploadId: string): string[] {
  return ingestion
    .logs()
    .split('\n')
    .filter((l) => l.includes(uploadId))
    .map((l) => (JSON.parse(l) as { message: string }).message);
}

describe('bulk creates with an unknown outcome (local stack, ipSCAPE simulator)', () => {
  it('reconciles a chunk whose submit crashed after the bulk create, without sending it again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const listId = await ingestion.newList('crash');
    await ingestion.admin('/requests', undefined, 'DELETE');
    const file = rows('CRASH', 5);
    const key = `incoming/${listId}/crash.csv`;
    armed.add('after-bulk-create');
    await ingestion.put(key, csv(file));

    const { summary } = await ingestion.finished(key);
    expect(armed.size, 'the crash was injected').toBe(0);
    expectRowsConserved(summary);
    expect(summary.status).toBe('completed');
    expect(summary.outcomes).toMatchObject({ accepted: 5, failed: 0, inDoubt: 0 });
    expect(summary.chunks).toMatchObject([{ state: 'reconciled', jobUuid: null }]);
    // The redelivered message found the chunk in `sending` and did not send it.
    expect(messagesOf(summary.uploadId)).toEqual(
      expect.arrayContaining(['chunk found in sending: in doubt, will reconcile after the job deadline', 'in-doubt chunk reconciled']),
    );
    expect(await bulkCreates()).toHaveLength(1);
    expectExactlyLeads(await ingestion.leadsIn(listId), file.map((r) => r.key));
  });

  // BUG: submitChunk treats any error from bulkCreateLeads that is not one of the client's
  // "outcome unknown" kinds as "certainly not processed": the chunk goes back to `pending` and the
  // redelivered message sends it again. An error it does not recognise (here a plain Error thrown
  // after ipSCAPE created the job) is exactly the case where nobody knows, so the leads are created
  // twice. Fix (shared/ingest/submit-chunk.ts, last branch of the catch): go back to `pending` only
  // for IpscapeErrors that mean the request was refused before processing (rate-limited, network,
  // auth, not-found, aborted); treat anything else like OutcomeUnknownError (in doubt, reconcile).
  it('reconciles a chunk whose bulk create call threw an unknown error after it ran, without sending it again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const listId = await ingestion.newList('thrown');
    await ingestion.admin('/requests', undefined, 'DELETE');
    const file = rows('THROWN', 4);
    const key = `incoming/${listId}/thrown.csv`;
    armed.add('thrown-by-client');
    await ingestion.put(key, csv(file));

    const { summary } = await ingestion.finished(key);
    expect(armed.size, 'the failure was injected').toBe(0);
    expectRowsConserved(summary);
    const leads = await ingestion.leadsIn(listId);
    expect(await bulkCreates()).toHaveLength(1);
    expectExactlyLeads(leads, file.map((r) => r.key));
    expect(summary.outcomes.accepted).toBe(4);
  });

  it('reconciles a bulk create answered 500 after it ran: accepted once, never sent again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const listId = await ingestion.newList('500 after');
    await ingestion.admin('/requests', undefined, 'DELETE');
    const file = rows('AFTER', 6);
    const key = `incoming/${listId}/answered-500.csv`;
    await ingestion.faults({ errorRate: 1, errorsAfterProcessing: true });
    try {
      await ingestion.put(key, csv(file));
      await waitFor(async () => (await bulkCreates()).length > 0, { timeoutMs: 30_000, intervalMs: 50, what: 'the bulk create' });
    } finally {
      await ingestion.resetFaults();
    }
    const [create] = await bulkCreates();
    expect(create).toMatchObject({ status: expect.any(Number), faulted: true, fault: 'error' });
    expect(create!.status).toBeGreaterThanOrEqual(500);

    const { summary } = await ingestion.finished(key);
    expectRowsConserved(summary);
    expect(summary.status).toBe('completed');
    expect(summary.outcomes).toMatchObject({ accepted: 6, failed: 0, inDoubt: 0 });
    expect(summary.chunks).toMatchObject([{ state: 'reconciled' }]);
    expect(messagesOf(summary.uploadId)).toContain('bulk create outcome unknown: in doubt, will reconcile after the job deadline');
    expect(await bulkCreates()).toHaveLength(1);
    expectExactlyLeads(await ingestion.leadsIn(listId), file.map((r) => r.key));
  });

  it('fails the rows of a bulk create answered 500 before it ran (not found after reconcile), and a rerun brings them', { timeout: TEST_TIMEOUT_MS }, async () => {
    const listId = await ingestion.newList('500 before');
    await ingestion.admin('/requests', undefined, 'DELETE');
    const file = rows('BEFORE', 4);
    const key = `incoming/${listId}/refused-500.csv`;
    await ingestion.faults({ errorRate: 1, errorsAfterProcessing: false });
    try {
      await ingestion.put(key, csv(file));
      await waitFor(async () => (await bulkCreates()).length > 0, { timeoutMs: 30_000, intervalMs: 50, what: 'the bulk create' });
    } finally {
      await ingestion.resetFaults();
    }

    const { summary } = await ingestion.finished(key);
    expectRowsConserved(summary);
    expect(summary.status).toBe('failed');
    expect(summary.outcomes).toEqual({ accepted: 0, rejected: 0, duplicate: 0, suppressed: 0, failed: 4, inDoubt: 0 });
    expect(summary.reasons).toEqual({ 'not-found-after-reconcile': 4 });
    expect(summary.chunks).toMatchObject([{ state: 'reconciled' }]);
    const report = (await ingestion.readText(summary.reports.rejected!))!;
    expect(report.match(/,failed,not-found-after-reconcile,/g)).toHaveLength(4);
    expect(await bulkCreates()).toHaveLength(1);
    expect(await ingestion.leadsIn(listId)).toEqual([]);

    // The same file again, as a rerun: the failed leads' list claims were released, so they are sent.
    const rerunKey = `incoming/${listId}/refused-500-rerun.csv`;
    await ingestion.put(rerunKey, csv(file), { rerun: 'true' });
    const rerun = await ingestion.finished(rerunKey);
    expectRowsConserved(rerun.summary);
    expect(rerun.summary).toMatchObject({ status: 'completed', duplicateOf: null, outcomes: { accepted: 4 } });
    expect(await bulkCreates()).toHaveLength(2);
    expectExactlyLeads(await ingestion.leadsIn(listId), file.map((r) => r.key));
  });
});
