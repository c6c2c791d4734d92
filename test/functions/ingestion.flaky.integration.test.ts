/**
 * Ingestion end to end against an ipSCAPE that misbehaves for a while: a share of 5xx answers with a
 * rate limit (429), and bulk jobs that never end. Whatever happens, every row ends in exactly one
 * outcome, no chunk is sent twice and no lead exists twice in its list.
 */
import { describe, expect, it } from 'vitest';
import { expectExactlyLeads, expectRowsConserved, useIngestionStack, type SimulatorLead } from '../support/ingestion-stack';

const JOB_DEADLINE_SECONDS = 5;
const env = { INGEST_SETTINGS: JSON.stringify({ chunkSize: 10, jobDeadlineSeconds: JOB_DEADLINE_SECONDS, pollMinDelaySeconds: 1 }) };
// A fixed seed: the simulator's fault decisions repeat from run to run, in request order. With this
// one the first request that gets past the rate limit (always a bulk create: nothing is polled before a
// chunk is submitted) is answered 503, so the in-doubt path is taken on every run.
const ingestion = useIngestionStack({ env, simulator: { seed: 20_260_127, bulkJobDurationMs: 1_000 } });
const TEST_TIMEOUT_MS = 90_000;

let nextPhone = 8000;
function rows(prefix: string, count: number): { key: string; line: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(nextPhone++).padStart(4, '0');
    const key = `${prefix}-${String(i + 1).padStart(3, '0')}`;
    return { key, line: `${key},Person ${i + 1},0491 57${n[0]} ${n.slice(1)},VIC` };
  });
}
const csv = (lines: readonly { line: string }[]) => ['Customer Key,First Name,Mobile,State', ...lines.map((l) => l.line)].join('\r\n') + '\r\n';

/** Reasons of the rows the rejection report lists, by customer key (the header is line 1, row i is line i + 2). */
async function reportedReasons(reportKey: string | null, file: readonly { key: string }[]): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (!reportKey) return reasons;
  const report = (await ingestion.readText(reportKey))!;
  for (const line of report.replace(/^\ufeff/, '').trimEnd().split('\r\n').slice(1)) {
    const [lineNo, , reason] = line.split(',');
    reasons.set(file[Number(lineNo) - 2]!.key, reason!);
  }
  return reasons;
}

describe('ingestion against a flaky ipSCAPE (local stack, simulator faults)', () => {
  it('conserves rows and never duplicates a lead at 20 % 5xx under a 429 rate limit', { timeout: TEST_TIMEOUT_MS }, async () => {
    const listId = await ingestion.newList('flaky');
    await ingestion.admin('/requests', undefined, 'DELETE');
    const file = rows('FLAKY', 60);
    const key = `incoming/${listId}/flaky.csv`;
    await ingestion.faults({ errorRate: 0.2, rateLimitPerSecond: 4, rateLimitBurst: 2 });
    let finished;
    try {
      await ingestion.put(key, csv(file));
      finished = await ingestion.finished(key, { timeoutMs: 75_000 });
    } finally {
      await ingestion.resetFaults();
    }
    const { summary } = finished;
    expectRowsConserved(summary);
    expect(summary.rows).toBe(60);
    expect(summary.chunks).toHaveLength(6);
    // Every row is valid and distinct: it is a lead, or ipSCAPE's trouble made it fail or stay in doubt.
    expect(summary.outcomes).toMatchObject({ rejected: 0, duplicate: 0, suppressed: 0 });
    expect(summary.status).toBe(summary.outcomes.accepted === 60 ? 'completed' : 'failed');

    // The faults did happen.
    const requests = await ingestion.requests();
    expect(requests.filter((r) => r.fault === 'error').length).toBeGreaterThan(0);
    // Each chunk reached ipSCAPE once: 429s are refused before processing and retried, nothing else is.
    const creates = requests.filter((r) => r.operationId === 'bulkCreateLeads');
    expect(creates.filter((r) => r.status !== 429)).toHaveLength(6);
    // A bulk create answered 5xx is in doubt by design: reconciled after the deadline, never sent again.
    expect(creates.filter((r) => r.fault === 'error').length).toBeGreaterThan(0);
    expect(summary.chunks.filter((c) => c.state === 'reconciled').length).toBe(creates.filter((r) => r.fault === 'error').length);

    const reasons = await reportedReasons(summary.reports.rejected, file);
    expect(reasons.size).toBe(60 - summary.outcomes.accepted!);
    for (const reason of reasons.values()) expect(['not-found-after-reconcile', 'job-deadline', 'job-failed', 'outcome-unknown']).toContain(reason);
    const accepted = file.map((r) => r.key).filter((k) => !reasons.has(k));
    const leads = await ingestion.leadsIn(listId);
    // A job past its deadline may still have created its leads (its rows are failed, its claims kept);
    // any other lead in the list is an accepted row, once.
    const lateButThere = (l: SimulatorLead) => reasons.get(l.customerKey ?? '') === 'job-deadline';
    expectExactlyLeads(
      leads.filter((l) => !lateButThere(l)),
      accepted,
    );
    expect(new Set(leads.map((l) => l.customerKey)).size).toBe(leads.length);
  });

  it('fails the rows of a bulk job that never finishes at its deadline', { timeout: TEST_TIMEOUT_MS }, async () => {
    const listId = await ingestion.newList('never ends');
    const file = rows('STUCK', 5);
    const key = `incoming/${listId}/stuck.csv`;
    await ingestion.faults({ bulkJobs: 'never-finish' });
    let finished;
    try {
      await ingestion.put(key, csv(file));
      finished = await ingestion.finished(key);
    } finally {
      await ingestion.resetFaults();
    }
    const { summary } = finished;
    expectRowsConserved(summary);
    expect(summary.status).toBe('failed');
    expect(summary.outcomes).toEqual({ accepted: 0, rejected: 0, duplicate: 0, suppressed: 0, failed: 5, inDoubt: 0 });
    expect(summary.reasons).toEqual({ 'job-deadline': 5 });
    expect(summary.chunks).toMatchObject([{ state: 'failed', jobUuid: expect.any(String) }]);
    const job = (await ingestion.admin<{ jobs: { uuid: string; status: string; mode: string }[] }>('/bulk-jobs')).jobs.find(
      (j) => j.uuid === summary.chunks[0]!.jobUuid,
    );
    expect(job).toMatchObject({ mode: 'never-finish' });
    expect(summary.chunks[0]!.jobStatus).toBe(job!.status);
    const reasons = await reportedReasons(summary.reports.rejected, file);
    expect([...reasons.values()]).toEqual(Array(5).fill('job-deadline'));
    expect(await ingestion.leadsIn(listId)).toEqual([]);
  });
});
