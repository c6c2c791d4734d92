import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadSummarySchema } from '../../../shared/ingest/upload-summary';
import { createHarness, type Harness } from '../../support/ingestion-harness';
import { startSimulatorFixture, type SimulatorFixture } from '../../support/simulator';

let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture({ apiKey: 'k-ingestion', simulator: { freezeClock: true, bulkJobDurationMs: 10_000 } });
});
afterAll(() => fixture.sim.close());
beforeEach(() => fixture.reset());

const HEADER = 'Customer Key,First Name,Mobile,Email,State,Next Attempt';
const GOOD = [
  'C-001,Ann,0491 570 156,ann@example.com,NSW,',
  'C-002,Bob,+61 491 570 157,,QLD,31/12/2026 9:00',
  'C-003,Cat,(04) 9157 0158,,VIC,',
];

async function ingestText(h: Harness, key: string, lines: readonly string[]) {
  h.objects.put(key, [HEADER, ...lines].join('\r\n') + '\r\n');
  const outcome = await h.ingestion.ingest({ bucket: 'uploads', key });
  await h.drain();
  return outcome;
}

/** Leads in a list that these tests created (the seeded tenant has leads of its own). */
async function leadsInList(listId: number) {
  const { leads } = await fixture.admin<{ leads: { listId: number; customerKey?: string; phones: { phone: string }[] }[] }>('/leads');
  return leads.filter((l) => l.listId === listId && l.customerKey?.startsWith('C-'));
}

describe('ingestion end to end (memory stores, real simulator)', () => {
  it('turns a clean file into leads, with a summary whose rows are conserved', async () => {
    const h = createHarness(fixture);
    const outcome = await ingestText(h, 'incoming/1/clean.csv', GOOD);
    expect(outcome.kind).toBe('ingested');
    expect(h.finished).toHaveLength(1);
    const summary = uploadSummarySchema.parse(h.finished[0]);
    expect(summary.status).toBe('completed');
    expect(summary.outcomes).toMatchObject({ accepted: 3, rejected: 0, duplicate: 0, failed: 0, inDoubt: 0 });
    expect(summary.conservation).toEqual({ rows: 3, outcomes: 3, holds: true });
    expect(summary.reports.rejected).toBeNull();
    const leads = await leadsInList(1);
    expect(leads.map((l) => l.customerKey).sort()).toEqual(['C-001', 'C-002', 'C-003']);
    expect(leads.flatMap((l) => l.phones.map((p) => p.phone)).sort()).toEqual(['+61491570156', '+61491570157', '+61491570158']);
    // The report is in the bucket too.
    expect(JSON.parse((await h.objects.readText(summary.reports.summary))!)).toEqual(summary);
  });

  it('explains every bad row and sends only the first of duplicates', async () => {
    const h = createHarness(fixture);
    await ingestText(h, 'incoming/1/mixed.csv', [
      ...GOOD,
      'C-004,Dan,1300 123 456,,NSW,', // not dialable
      'C-005,Eve,12345,,NSW,', // invalid
      'C-006,Fay,,,NSW,', // no phone
      'C-001,Ann again,0491 570 159,,NSW,', // duplicate customer key
      'C-007,Gus,0491 570 156,,NSW,', // duplicate phone
      'C-008,Hal,0491 570 160,,XX,not a date', // bad timestamp
      'C-009,Ivy,0491 570 161', // field count
    ]);
    const summary = h.finished[0]!;
    expect(summary.status).toBe('completed-with-rejections');
    expect(summary.conservation.holds).toBe(true);
    expect(summary.rows).toBe(10);
    expect(summary.outcomes).toMatchObject({ accepted: 3, rejected: 5, duplicate: 2 });
    expect(summary.reasons).toMatchObject({
      'phone-not-dialable': 1,
      'phone-invalid': 1,
      'phone-missing': 1,
      'duplicate-customer-key-in-file': 1,
      'duplicate-phone-in-file': 1,
      'timestamp-invalid': 1,
      'field-count': 1,
    });
    const rejected = (await h.objects.readText(summary.reports.rejected!))!;
    const lines = rejected.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('line,outcome,reason,field,message,Customer Key,First Name,Mobile,Email,State,Next Attempt');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^5,rejected,phone-not-dialable,phone1,/);
    // Phone numbers and emails never appear in the report.
    expect(rejected).not.toMatch(/0491 570 15\d|1300 123 456|ann@example\.com/);
    expect(await leadsInList(1)).toHaveLength(3);
  });

  it('skips leads an earlier upload put in the list, and the same content uploaded again', async () => {
    const h = createHarness(fixture);
    await ingestText(h, 'incoming/1/first.csv', GOOD);
    // Overlapping content: two leads are already there, one is new.
    await ingestText(h, 'incoming/1/second.csv', [GOOD[0]!, GOOD[1]!, 'C-010,Jo,0491 570 162,,SA,']);
    const second = h.finished[1]!;
    expect(second.outcomes).toMatchObject({ accepted: 1, duplicate: 2 });
    expect(second.reasons['duplicate-in-list']).toBe(2);
    expect(second.conservation.holds).toBe(true);
    // Rows taken out at submit carry their original cells too, read again from the upload and masked.
    const report = (await h.objects.readText(second.reports.rejected!))!.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(report).toEqual([
      `line,outcome,reason,field,message,${HEADER}`,
      '2,duplicate,duplicate-in-list,,an earlier upload already put this lead in the list,C-001,[redacted],[phone],[email],NSW,',
      '3,duplicate,duplicate-in-list,,an earlier upload already put this lead in the list,C-002,[redacted],[phone],,QLD,31/12/2026 9:00',
    ]);
    expect(report.join('\n')).not.toMatch(/0491|ann@example/);
    // The very same bytes again, under another name: nothing is sent.
    const again = await ingestText(h, 'incoming/1/first-copy.csv', GOOD);
    expect(again.kind).toBe('duplicate-upload');
    const third = h.finished[2]!;
    expect(third.outcomes.duplicate).toBe(3);
    expect(third.duplicateOf).toBe(h.finished[0]!.uploadId);
    expect(await leadsInList(1)).toHaveLength(4);
  });

  it('does nothing for a redelivered event', async () => {
    const h = createHarness(fixture);
    await ingestText(h, 'incoming/1/once.csv', GOOD);
    const again = await h.ingestion.ingest({ bucket: 'uploads', key: 'incoming/1/once.csv' });
    expect(again.kind).toBe('already-done');
    await h.drain();
    expect(await leadsInList(1)).toHaveLength(3);
  });

  it('refuses a file that is not CSV as a whole, with its reason in the summary', async () => {
    const h = createHarness(fixture);
    h.objects.put('incoming/1/photo.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const outcome = await h.ingestion.ingest({ bucket: 'uploads', key: 'incoming/1/photo.csv' });
    expect(outcome.kind).toBe('refused');
    const summary = h.finished[0]!;
    expect(summary.status).toBe('failed');
    expect(summary.failure?.reason).toBe('binary');
    expect(summary.conservation.holds).toBe(true);
  });

  it('chunks by the configured size and fails a chunk whose job never ends, by its deadline', async () => {
    const h = createHarness(fixture, { settings: { chunkSize: 2, jobDeadlineSeconds: 60 } });
    await fixture.faults({ bulkJobs: 'never-finish' });
    await ingestText(h, 'incoming/1/stuck.csv', GOOD);
    const summary = h.finished[0]!;
    expect(summary.chunks).toHaveLength(2);
    expect(summary.status).toBe('failed');
    expect(summary.outcomes).toMatchObject({ failed: 3, accepted: 0 });
    expect(summary.reasons['job-deadline']).toBe(3);
    expect(h.telemetry.metrics.some((m) => m.name === 'BulkJobsPastDeadline')).toBe(true);
  });

  it('puts a bulk create answered 500 in doubt, then reconciles it without sending it again', async () => {
    const h = createHarness(fixture, { settings: { jobDeadlineSeconds: 30 } });
    await fixture.faults({ errorRate: 1, errorsAfterProcessing: true });
    h.objects.put('incoming/1/doubt.csv', [HEADER, ...GOOD].join('\n'));
    await h.ingestion.ingest({ bucket: 'uploads', key: 'incoming/1/doubt.csv' });
    const submit = h.submitQueue.messages.shift()!;
    expect(await h.ingestion.submit(submit.message)).toBe('in-doubt');
    await fixture.faults({ errorRate: 0 });
    await h.drain();
    const summary = h.finished[0]!;
    expect(summary.chunks[0]!.state).toBe('reconciled');
    expect(summary.outcomes.accepted).toBe(3);
    expect(summary.conservation.holds).toBe(true);
    const bulkCreates = (await fixture.requests()).filter((r) => r.operationId === 'bulkCreateLeads');
    expect(bulkCreates).toHaveLength(1);
    expect(await leadsInList(1)).toHaveLength(3);
  });

  it('masks whole the cells of phone and email columns in rejected.csv, whatever their form', async () => {
    const h = createHarness(fixture);
    await ingestText(h, 'incoming/1/forms.csv', [
      'C-020,Kim,0491/570/163,kim@example.com,NSW,not a date',
      'C-021,Lee,０４９１５７０１６４,lee@example.com,NSW,not a date',
    ]);
    const rejected = (await h.objects.readText(h.finished[0]!.reports.rejected!))!;
    expect(rejected).not.toMatch(/0491|570|163|０４９１|kim@|lee@|Kim|Lee/);
    expect(rejected).toMatch(/\[phone\],\[email\]/);
  });

  it('accepts a row with trailing empty cells past the header (a trailing comma loses nothing)', async () => {
    const h = createHarness(fixture);
    await ingestText(h, 'incoming/1/trailing.csv', ['C-030,Max,0491 570 165,,NSW,,,']);
    expect(h.finished[0]!.outcomes).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('logs no phone number, email or name', async () => {
    const h = createHarness(fixture);
    await ingestText(h, 'incoming/1/quiet.csv', GOOD);
    const said = JSON.stringify([h.telemetry.lines, h.telemetry.metrics]);
    expect(said).not.toMatch(/0491|\+6149157|ann@example|Ann|Bob|Cat/);
  });
});
