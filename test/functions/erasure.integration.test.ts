/**
 * Privacy erasure end to end on the local stack: requests through the HTTP API (the same handler as
 * deployed), the worker pumped from the erasure queue, ipSCAPE's erasure on the simulator, ingestion
 * through S3 and its queues. One stack for the file; each test uses its own person.
 */
import { describe, expect, it } from 'vitest';
import type { RequestView } from '../../shared/erasure/http-api';
import type { ErasureReceipt } from '../../shared/erasure/receipt';
import { useErasureStack } from '../support/erasure-stack';
import { expectRowsConserved } from '../support/ingestion-stack';

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
