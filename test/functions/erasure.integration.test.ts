/**
 * Privacy erasure end to end on the local stack: requests through the HTTP API (the same handler as
 * deployed), the worker pumped from the erasure queue, ipSCAPE's erasure on the simulator, ingestion
 * through S3 and its queues. One stack for the file; each test uses its own person.
 */
import { ListObjectVersionsCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { RequestView } from '../../shared/erasure/http-api';
import type { ErasureReceipt } from '../../shared/erasure/receipt';
import { useErasureStack } from '../support/erasure-stack';
import { localClients } from '../../local/aws-clients';
import { localConfig } from '../../local/function-handlers';
import { createErasurePorts } from '../../shared/aws/erasure-ports';
import { executeErasure } from '../../shared/erasure/execute-erasure';
import { submitErasureRequest } from '../../shared/erasure/intake';
import { silentTelemetry } from '../../shared/observability/telemetry';
import { expectRowsConserved } from '../support/ingestion-stack';
import { waitFor } from '../support/wait';

const env = {
  INGEST_SETTINGS: JSON.stringify({ chunkSize: 5, pollMinDelaySeconds: 1, jobDeadlineSeconds: 120 }),
  ERASURE_SETTINGS: JSON.stringify({ maxAttempts: 2, retryDelaySeconds: 0, inFlightRecheckSeconds: 1 }),
};
const s = useErasureStack({ env, simulator: { seed: 5, bulkJobDurationMs: 1_000 } });

const TIMEOUT = 120_000;
let nextPhone = 100;
/** A fresh fictional mobile (ACMA 0491 57x xxx), as written in Australia, and its E.164 form. */
function person() {
  const n = String(nextPhone++).padStart(4, '0');
  const national = `0491 57${n[0]} ${n.slice(1)}`;
  return { national, e164: `+61${national.replace(/\D/g, '').slice(1)}`, email: `person${n}@example.com` };
}

async function erasureCalls() {
  return (await s.ingestion.requests()).filter((r) => r.operationId === 'privacyErasure');
}

describe('erasure requests (HTTP API, worker, simulator)', () => {
  it('erases a phone held by three leads across two lists, with a receipt of the counts', { timeout: TIMEOUT }, async () => {
    const p = person();
    const other = person();
    const listA = await s.ingestion.newList('erase-a');
    const listB = await s.ingestion.newList('erase-b');
    await s.ingestion.admin('/seed', {
      leads: [
        { listId: listA, phones: [p.e164], dataFields: { firstName: 'Pat' } },
        { listId: listB, phones: [other.e164, p.e164] },
        { listId: listB, phones: [p.e164], completed: true },
        { listId: listA, phones: [other.e164] },
      ],
    });
    const created = await s.api('POST', '/erasure-requests', { phone: p.national, jurisdiction: 'GDPR', externalId: 'TICKET-3LEADS' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'received', jurisdiction: 'GDPR', kinds: ['phone'], externalId: 'TICKET-3LEADS' });
    const done = await s.until(created.body.requestId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const receipt = done.receipt!;
    expect(receipt.identifiers).toHaveLength(1);
    expect(receipt.identifiers[0]!.counts.leadData.leadsDeleted).toBe(3);
    expect(receipt.identifiers[0]!.nothingHeld).toBe(false);
    expect(receipt.identifiers[0]!.calls).toHaveLength(1);
    const remaining = [...(await s.ingestion.leadsIn(listA)), ...(await s.ingestion.leadsIn(listB))];
    expect(remaining.flatMap((l) => l.phones.map((ph) => ph.phone))).not.toContain(p.e164);
    expect(remaining).toHaveLength(1);
    // The receipt endpoint answers the same receipt; the request no longer holds the identifiers.
    const alone = await s.api<ErasureReceipt>('GET', `/erasure-requests/${done.requestId}/receipt`);
    expect(alone.status).toBe(200);
    expect(alone.body.identifiers[0]!.counts).toEqual(receipt.identifiers[0]!.counts);
    expect(JSON.stringify(alone.body)).not.toContain(p.e164.slice(3));
    expect(new Date(done.dueAt).getTime() - new Date(done.receivedAt).getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
  });

  it('completes an unknown email with all-zero counts', { timeout: TIMEOUT }, async () => {
    const created = await s.api('POST', '/erasure-requests', { email: '  Nobody.Here@Example.COM ' });
    expect(created.status).toBe(201);
    const done = await s.until(created.body.requestId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const id = done.receipt!.identifiers[0]!;
    expect(id.kind).toBe('email');
    expect(id.nothingHeld).toBe(true);
    expect(Object.values(id.counts.leadData).every((v) => v === 0)).toBe(true);
    // AU by default: 30 days.
    expect(new Date(done.dueAt).getTime() - new Date(done.receivedAt).getTime()).toBe(30 * 86_400_000);
  });

  it('returns the existing request for the same identifiers while open, or the same external id; executes once', { timeout: TIMEOUT }, async () => {
    const p = person();
    const before = (await erasureCalls()).length;
    const [first, second] = await Promise.all([
      s.api('POST', '/erasure-requests', { phone: p.national, email: p.email }),
      s.api('POST', '/erasure-requests', { phone: p.e164, email: p.email.toUpperCase() }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(second.body.requestId).toBe(first.body.requestId);
    await s.until(first.body.requestId, ['completed']);
    // One call per identifier: phone and email.
    expect((await erasureCalls()).length - before).toBe(2);

    const byRef = await s.api('POST', '/erasure-requests', { email: person().email, externalId: 'TICKET-ONCE' });
    const again = await s.api('POST', '/erasure-requests', { email: person().email, externalId: 'TICKET-ONCE' });
    expect(again.status).toBe(200);
    expect(again.body.requestId).toBe(byRef.body.requestId);
    await s.until(byRef.body.requestId, ['completed']);
  });

  it('fails while ipSCAPE fails, and a retry completes with one successful call per identifier', { timeout: TIMEOUT }, async () => {
    const p = person();
    await s.ingestion.faults({ errorRate: 1, errorsAfterProcessing: false });
    try {
      const created = await s.api('POST', '/erasure-requests', { phone: p.national, email: p.email });
      const failed = await s.until(created.body.requestId, ['failed', 'completed']);
      expect(failed.status).toBe('failed');
      expect(failed.lastError?.kind).toMatch(/^ipscape-/);
      expect(JSON.stringify(failed)).not.toContain(p.email);
      await s.ingestion.resetFaults();
      const retried = await s.api('POST', `/erasure-requests/${created.body.requestId}/retry`);
      expect(retried.status).toBe(200);
      const done = await s.until(created.body.requestId, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      const ok = (await s.ingestion.requests()).filter((r) => r.operationId === 'privacyErasure' && r.status === 200);
      const mine = done.receipt!.identifiers.flatMap((i) => i.calls);
      expect(mine).toHaveLength(2);
      // Every successful call in the log since the faults were reset is one of this request's two.
      expect(ok.filter((r) => Date.parse(r.time) >= Date.parse(failed.updatedAt))).toHaveLength(2);
      // A completed request cannot be retried or cancelled.
      expect((await s.api('POST', `/erasure-requests/${done.requestId}/retry`)).status).toBe(409);
      expect((await s.api('POST', `/erasure-requests/${done.requestId}/cancel`, { reason: 'too late' })).status).toBe(409);
    } finally {
      await s.ingestion.resetFaults();
    }
  });

  it('after a call whose outcome was unknown (5xx after processing), the receipt says its counts may be incomplete', { timeout: TIMEOUT }, async () => {
    const p = person();
    const listId = await s.ingestion.newList('unknown-outcome');
    await s.ingestion.admin('/seed', { leads: [{ listId, phones: [p.e164] }] });
    await s.ingestion.faults({ errorRate: 1, errorsAfterProcessing: true });
    let requestId = '';
    try {
      const created = await s.api('POST', '/erasure-requests', { phone: p.national });
      requestId = created.body.requestId;
      const failed = await s.until(requestId, ['failed', 'completed']);
      expect(failed.status).toBe('failed');
      expect(failed.lastError?.kind).toBe('ipscape-outcome-unknown');
    } finally {
      await s.ingestion.resetFaults();
    }
    // ipSCAPE did erase (the answer was lost): the lead is gone already.
    expect(await s.ingestion.leadsIn(listId)).toEqual([]);
    await s.api('POST', `/erasure-requests/${requestId}/retry`);
    const done = await s.until(requestId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const phone = done.receipt!.identifiers[0]!;
    expect(phone.calls).toEqual([expect.objectContaining({ round: 1, afterUnknownOutcome: true })]);
    expect(phone.counts.leadData.leadsDeleted).toBe(0);
    expect(phone.nothingHeld).toBe(false);
  });

  it('two deliveries of the same message executing at once make one ipSCAPE call per identifier (the lease)', { timeout: TIMEOUT }, async () => {
    const context = s.ingestion.stack;
    const config = localConfig(context, { ...env, ERASURE_QUEUE_URL: context.resources.queues.erasure.url });
    const clients = localClients(context.endpoints.aws, context.resources.region);
    try {
      const ports = await createErasurePorts(config, clients, silentTelemetry, { settings: config.erasure });
      // Intake without the queue, so only this test's two executions run.
      const quiet = { ...ports, queue: { send: async () => undefined, sendAll: async () => undefined } };
      const { request } = await submitErasureRequest({ phone: person().national }, 'tester', quiet);
      const before = (await erasureCalls()).length;
      await s.ingestion.faults({ latencyMs: 400 });
      const outcomes = await Promise.allSettled([executeErasure({ kind: 'erasure', requestId: request.requestId }, quiet), executeErasure({ kind: 'erasure', requestId: request.requestId }, quiet)]);
      await s.ingestion.resetFaults();
      expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'completed')).toHaveLength(1);
      const other = outcomes.find((o) => !(o.status === 'fulfilled' && o.value === 'completed'))!;
      expect(other.status === 'rejected' ? (other.reason as Error).name : other.value).toMatch(/ErasureBusyError|not-open/);
      expect((await erasureCalls()).length - before).toBe(1);
    } finally {
      await s.ingestion.resetFaults();
      clients.destroy();
    }
  });

  it('refuses bad requests with the fields named and the values never echoed', { timeout: TIMEOUT }, async () => {
    const none = await s.api<{ error: string; problems: { field: string }[] }>('POST', '/erasure-requests', {});
    expect(none.status).toBe(400);
    expect(none.body.problems[0]!.field).toBe('phone');
    const bad = await s.api<{ problems: { field: string; message: string }[] }>('POST', '/erasure-requests', { phone: '0412 34', email: 'jo.at.example.com', name: 'Jo' });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p) => p.field).sort()).toEqual(['name']);
    const badValues = await s.api<{ problems: { field: string }[] }>('POST', '/erasure-requests', { phone: '0412 34', email: 'jo.at.example.com' });
    expect(badValues.body.problems.map((p) => p.field).sort()).toEqual(['email', 'phone']);
    expect(badValues.text).not.toContain('0412 34');
    expect(badValues.text).not.toContain('jo.at.example.com');
    expect((await s.api('POST', '/erasure-requests', '{not json')).status).toBe(400);
    expect((await s.api('GET', '/erasure-requests/er0000000000000000000000')).status).toBe(404);
    expect((await s.api('DELETE', '/erasure-requests')).status).toBe(405);
  });

  it('suppresses an erased phone: a later CSV with it written 0491 57x xxx counts the row suppressed and never sends it', { timeout: TIMEOUT }, async () => {
    const p = person();
    const created = await s.api('POST', '/erasure-requests', { phone: p.e164 });
    await s.until(created.body.requestId, ['completed']);
    const listId = await s.ingestion.newList('after-erasure');
    const keep = person();
    const csv = `Customer Key,First Name,Mobile,State\r\nK1,Pat,${p.national},NSW\r\nK2,Sam,${keep.national},VIC\r\n`;
    const key = `incoming/${listId}/after-erasure.csv`;
    await s.ingestion.put(key, csv);
    const { summary } = await s.ingestion.finished(key);
    expect(summary.outcomes.suppressed).toBe(1);
    expect(summary.outcomes.accepted).toBe(1);
    expectRowsConserved(summary);
    const leads = await s.ingestion.leadsIn(listId);
    expect(leads.map((l) => l.customerKey)).toEqual(['K2']);
  });

  it('lists requests by status and due date, cancels an open one, exports receipts and lifts a suppression with a reason', { timeout: TIMEOUT }, async () => {
    const listed = await s.api<{ requests: RequestView[] }>('GET', '/erasure-requests?status=completed');
    expect(listed.status).toBe(200);
    expect(listed.body.requests.length).toBeGreaterThan(0);
    expect(listed.body.requests.every((r) => r.status === 'completed')).toBe(true);
    const dues = listed.body.requests.map((r) => r.dueAt);
    expect([...dues].sort()).toEqual(dues);

    const csv = await s.api<string>('GET', '/erasure-receipts?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toContain('requestId,externalId,jurisdiction');
    const json = await s.api<{ receipts: ErasureReceipt[] }>('GET', '/erasure-receipts');
    expect(json.body.receipts.length).toBe(listed.body.requests.length);

    // Cancelling an open (here failed) request deletes its identifiers; it cannot be retried afterwards.
    await s.ingestion.faults({ errorRate: 1 });
    const doomed = await s.api('POST', '/erasure-requests', { email: person().email });
    await s.until(doomed.body.requestId, ['failed']);
    await s.ingestion.resetFaults();
    expect((await s.api('POST', `/erasure-requests/${doomed.body.requestId}/cancel`, {})).status).toBe(400);
    const cancelled = await s.api('POST', `/erasure-requests/${doomed.body.requestId}/cancel`, { reason: 'duplicate of another ticket' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await s.api('POST', `/erasure-requests/${doomed.body.requestId}/retry`)).status).toBe(409);

    const p = person();
    const lift = await s.api<{ problems: { field: string }[] }>('POST', '/suppressions/lift', { phone: p.national, reason: 'short' });
    expect(lift.status).toBe(400);
    const created = await s.api('POST', '/erasure-requests', { phone: p.national });
    await s.until(created.body.requestId, ['completed']);
    const lifted = await s.api<{ lifted: number }>('POST', '/suppressions/lift', { phone: p.national, reason: 'request was not from the person (identity check failed)' });
    expect(lifted.body.lifted).toBe(1);
    const listId = await s.ingestion.newList('after-lift');
    const key = `incoming/${listId}/after-lift.csv`;
    await s.ingestion.put(key, `Customer Key,Mobile,State\r\nL1,${p.national},NSW\r\n`);
    expect((await s.ingestion.finished(key)).summary.outcomes.accepted).toBe(1);
  });
});

/** Every way the person could be written in clear: E.164, the 9-digit subscriber number, the spaced national form, the email. */
function clearForms(p: { national: string; e164: string; email: string }): string[] {
  return [p.e164, p.e164.slice(3), p.national, p.email, p.email.toUpperCase()];
}

function expectNoneIn(what: string, text: string, forms: readonly string[]): void {
  for (const form of forms) expect(text.includes(form), `${what} holds the person in clear`).toBe(false);
}

/** Every version (and its text) of every object under `prefix`. */
async function allVersions(prefix: string): Promise<{ key: string; versionId: string; text: string }[]> {
  const { s3 } = s.ingestion.clients;
  const out: { key: string; versionId: string; text: string }[] = [];
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: s.ingestion.bucket, Prefix: prefix }));
  for (const v of page.Versions ?? []) {
    const body = await s3.send(new GetObjectCommand({ Bucket: s.ingestion.bucket, Key: v.Key!, VersionId: v.VersionId! }));
    out.push({ key: v.Key!, versionId: v.VersionId!, text: await body.Body!.transformToString('utf-8') });
  }
  return out;
}

const HEADER = 'Customer Key,First Name,Mobile,Email,State';

describe('erasure of our own data and of work in flight', () => {
  it('purges the person from uploads, chunks and reports with every version, and leaves no trace in logs, metrics, messages or items', { timeout: TIMEOUT }, async () => {
    const p = person();
    const others = [person(), person(), person()];
    const listA = await s.ingestion.newList('ours-a');
    const listB = await s.ingestion.newList('ours-b');
    await s.ingestion.admin('/seed', { leads: [{ listId: listA, phones: [p.e164], dataFields: { email: p.email } }] });
    const keyA = `incoming/${listA}/ours-a.csv`;
    const keyB = `incoming/${listB}/ours-b.csv`;
    // A: the person on line 3 among others. B: the person's phone on line 2, and a row refused at parse
    // time (bad phone) that still carries the person's email and name, so the rejection report holds them.
    await s.ingestion.put(keyA, [HEADER, `A1,Ann,${others[0]!.national},${others[0]!.email},NSW`, `A2,Pat,${p.national},${p.email},NSW`, `A3,Sam,${others[1]!.national},,VIC`].join('\r\n') + '\r\n');
    await s.ingestion.put(keyB, [HEADER, `B1,Pat,${p.national},,QLD`, `B2,Patricia,0491 57,${p.email},QLD`, `B3,Max,${others[2]!.national},,SA`].join('\r\n') + '\r\n');
    const a = await s.ingestion.finished(keyA);
    const b = await s.ingestion.finished(keyB);
    expect(a.summary.outcomes.accepted).toBe(3);
    expect(b.summary.outcomes.rejected).toBe(1);
    const rejectedBefore = await s.ingestion.readText(`reports/${b.upload.uploadId}/rejected.csv`);
    // Names, phones and emails are masked there, but the row (its customer key, state...) is the person's.
    expect(rejectedBefore).toMatch(/\r\n3,rejected,[^\r]*B2/);

    const ingestEventsBefore = s.messages.filter((m) => m.queue === 'ingest').length;
    const created = await s.api('POST', '/erasure-requests', { phone: p.national, email: p.email, externalId: 'TICKET-OURS' });
    const done = await s.until(created.body.requestId, ['completed', 'failed']);
    expect(done.status).toBe('completed');

    // ipSCAPE: three leads across two lists (one seeded, one from each upload).
    const phoneReceipt = done.receipt!.identifiers.find((i) => i.kind === 'phone')!;
    expect(phoneReceipt.counts.leadData.leadsDeleted).toBe(3);
    const left = [...(await s.ingestion.leadsIn(listA)), ...(await s.ingestion.leadsIn(listB))];
    expect(left.map((l) => l.customerKey).sort()).toEqual(['A1', 'A3', 'B3']);

    // Our objects: both raw uploads rewritten, the chunks holding the person rewritten, the report too.
    const touched = done.receipt!.ourData!.objects;
    expect(touched.filter((o) => o.kind === 'upload').map((o) => [o.key, o.action, o.rowsRemoved])).toEqual(
      expect.arrayContaining([
        [keyA, 'rewritten', 1],
        [keyB, 'rewritten', 2],
      ]),
    );
    expect(touched.some((o) => o.kind === 'chunk' && o.rowsRemoved > 0)).toBe(true);
    expect(touched.some((o) => o.kind === 'rejected-report' && o.rowsRemoved === 1)).toBe(true);
    expect(done.receipt!.ourData!.notYetPurged.join(' ')).toMatch(/point-in-time recovery/);
    const forms = clearForms(p);
    for (const prefix of [keyA, keyB, `chunks/${a.upload.uploadId}/`, `chunks/${b.upload.uploadId}/`, `reports/${a.upload.uploadId}/`, `reports/${b.upload.uploadId}/`]) {
      const versions = await allVersions(prefix);
      for (const v of versions) expectNoneIn(`${v.key} version ${v.versionId}`, v.text, forms);
      expect(versions.map((v) => v.text).join('\n')).not.toContain('Patricia');
      expect(versions.map((v) => v.text).join('\n')).not.toMatch(/\r\n3,rejected,[^\r]*B2/);
    }
    // Everyone else is still there.
    const currentA = await s.ingestion.readText(keyA);
    expect(currentA).toContain('A1,Ann');
    expect(currentA).toContain('A3,Sam');
    expect(await s.ingestion.readText(keyB)).toContain('B3,Max');
    // The rewrite is not ingested again: the key still names the original upload.
    await waitFor(() => s.messages.filter((m) => m.queue === 'ingest').length >= ingestEventsBefore + 2, { what: 'the rewrites to reach the ingest queue' });
    await waitFor(async () => {
      const latest = await s.ingestion.store.findUploadByKey(s.ingestion.bucket, keyA);
      return latest?.uploadId === a.upload.uploadId;
    });

    // Nothing written during the run holds the person in clear: logs and EMF metrics, queue messages,
    // every item of the state table, dead-letter queues, receipts.
    // The API's own lines are there too (it logs to the same stream).
    expect(s.ingestion.logs()).toContain('"service":"erasure-api"');
    expectNoneIn('the function and API logs and metrics', s.ingestion.logs(), forms);
    expectNoneIn('the queue messages', JSON.stringify(s.messages), forms);
    const items = await s.ingestion.clients.dynamodb.send(new ScanCommand({ TableName: s.ingestion.stack.resources.tables.state }));
    expectNoneIn('the state table', JSON.stringify(items.Items), forms);
    const mine = (items.Items ?? []).find((i) => i.pk?.S === `ERASURE#${done.requestId}`)!;
    expect(mine.sealed).toBeUndefined();
    expect(mine.openKey).toBeUndefined();
    for (const queue of Object.values(s.ingestion.stack.resources.queues)) {
      const parked = await s.ingestion.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlq.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      expectNoneIn(`${queue.dlq.name}`, JSON.stringify(parked.Messages ?? []), forms);
    }
    expectNoneIn('the receipts export', (await s.api<string>('GET', '/erasure-receipts?format=csv')).text, forms);
    expectNoneIn('the receipt', JSON.stringify(done), forms);
  });

  it('erases again after a bulk job holding the person ends, so its lead does not survive', { timeout: TIMEOUT }, async () => {
    const p = person();
    const other = person();
    const listId = await s.ingestion.newList('in-flight');
    const key = `incoming/${listId}/in-flight.csv`;
    let requestId = '';
    await s.ingestion.admin('/clock', { frozen: true });
    try {
      await s.ingestion.put(key, [HEADER, `F1,Pat,${p.national},,NSW`, `F2,Sam,${other.national},,NSW`].join('\r\n') + '\r\n');
      // The chunk is sent and its job is running (the simulator's clock stands still).
      const upload = await waitFor(() => s.ingestion.store.findUploadByKey(s.ingestion.bucket, key), { what: 'the upload' });
      await waitFor(async () => (await s.ingestion.store.listChunks(upload.uploadId)).some((c) => c.state === 'submitted'), { what: 'the chunk to be submitted' });
      const created = await s.api('POST', '/erasure-requests', { phone: p.e164 });
      requestId = created.body.requestId;
      const waiting = await waitFor(async () => {
        const { body } = await s.api('GET', `/erasure-requests/${created.body.requestId}`);
        return body.waiting ? body : undefined;
      }, { what: 'the request to wait for the job' });
      expect(waiting.waiting!.chunks).toBe(1);
    } finally {
      await s.ingestion.admin('/clock', { frozen: false });
    }
    const { summary } = await s.ingestion.finished(key);
    expect(summary.outcomes.accepted).toBe(2);
    const done = await s.until(requestId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const calls = done.receipt!.identifiers[0]!.calls;
    expect(calls.map((c) => c.round)).toEqual([1, 2]);
    expect(done.receipt!.identifiers[0]!.counts.leadData.leadsDeleted).toBe(1);
    expect((await s.ingestion.leadsIn(listId)).map((l) => l.customerKey)).toEqual(['F2']);
  });
});
