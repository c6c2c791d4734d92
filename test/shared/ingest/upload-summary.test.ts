import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowOutcomes, type RowOutcome } from '../../../shared/ingest/outcomes';
import type { ChunkRecord, Tally, UploadRecord } from '../../../shared/ingest/upload-state';
import { buildSummary, finalStatus, outcomeCounts, uploadSummarySchema } from '../../../shared/ingest/upload-summary';

const REPORTS = { summary: 'reports/u1/summary.json', rejected: null };

function upload(over: Partial<UploadRecord> = {}): UploadRecord {
  return {
    uploadId: 'u1',
    bucket: 'uploads',
    key: 'incoming/100/leads.csv',
    fileName: 'leads.csv',
    rerun: false,
    dedupe: 'list',
    status: 'polling',
    receivedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    chunksDone: 0,
    tally: { outcomes: {}, reasons: {} },
    ...over,
  };
}

function tally(outcomes: Partial<Record<RowOutcome, number>>, reasons: Tally['reasons'] = {}): Tally {
  return { outcomes, reasons };
}

function chunk(n: number, over: Partial<ChunkRecord> = {}): ChunkRecord {
  return { uploadId: 'u1', chunk: n, key: `chunks/u1/${n}.json`, rows: 2, state: 'succeeded', polls: 1, tally: tally({}), ...over };
}

describe('finalStatus', () => {
  it('is completed when every row is a lead', () => {
    expect(finalStatus(upload({ rows: 3, tally: tally({ accepted: 3 }) }))).toBe('completed');
  });

  it('is completed for a file with a header and no rows', () => {
    expect(finalStatus(upload({ rows: 0 }))).toBe('completed');
  });

  it.each(['rejected', 'duplicate', 'suppressed'] as const)('is completed-with-rejections when some rows are %s', (outcome) => {
    expect(finalStatus(upload({ rows: 3, tally: tally({ accepted: 2, [outcome]: 1 }) }))).toBe('completed-with-rejections');
    expect(finalStatus(upload({ rows: 1, tally: tally({ [outcome]: 1 }) }))).toBe('completed-with-rejections');
  });

  it.each(['failed', 'inDoubt'] as const)('is failed when some rows are %s, whatever else happened', (outcome) => {
    expect(finalStatus(upload({ rows: 4, tally: tally({ accepted: 2, rejected: 1, [outcome]: 1 }) }))).toBe('failed');
  });

  it('is failed when the file was refused as a whole, even with no rows counted', () => {
    expect(finalStatus(upload({ rows: 0, failure: { reason: 'binary', message: 'not text' } }))).toBe('failed');
  });

  it('ignores outcome names it does not know and zero counts', () => {
    const odd = { outcomes: { accepted: 2, failed: 0, inDoubt: 0 }, reasons: {} } as Tally;
    expect(finalStatus(upload({ rows: 2, tally: odd }))).toBe('completed');
  });
});

describe('buildSummary', () => {
  it('states that conservation holds when the outcomes add up to the rows', () => {
    const u = upload({ rows: 10, tally: tally({ accepted: 3, rejected: 5, duplicate: 2 }, { 'phone-invalid': 5, 'duplicate-phone-in-file': 2 }) });
    const summary = buildSummary(u, [], REPORTS);
    expect(summary.conservation).toEqual({ rows: 10, outcomes: 10, holds: true });
    expect(summary.outcomes).toEqual({ accepted: 3, rejected: 5, duplicate: 2, suppressed: 0, failed: 0, inDoubt: 0 });
    expect(summary.reasons).toEqual({ 'phone-invalid': 5, 'duplicate-phone-in-file': 2 });
    expect(uploadSummarySchema.parse(summary)).toEqual(summary);
  });

  it('states that conservation is violated when rows are missing from the outcomes', () => {
    const summary = buildSummary(upload({ rows: 10, tally: tally({ accepted: 3, rejected: 5 }) }), [], REPORTS);
    expect(summary.conservation).toEqual({ rows: 10, outcomes: 8, holds: false });
  });

  it('states that conservation is violated when a row is counted twice', () => {
    const summary = buildSummary(upload({ rows: 2, tally: tally({ accepted: 2, failed: 1 }) }), [], REPORTS);
    expect(summary.conservation).toEqual({ rows: 2, outcomes: 3, holds: false });
  });

  it('counts rows as 0 before parsing ended, so an untouched upload conserves trivially', () => {
    const summary = buildSummary(upload(), [], REPORTS);
    expect(summary.rows).toBe(0);
    expect(summary.conservation).toEqual({ rows: 0, outcomes: 0, holds: true });
  });

  it('holds exactly when the outcome counts sum to the rows (property)', () => {
    const counts = fc.record(Object.fromEntries(rowOutcomes.map((o) => [o, fc.nat(1000)])) as Record<RowOutcome, fc.Arbitrary<number>>);
    fc.assert(
      fc.property(counts, fc.nat(6000), (outcomes, rows) => {
        const summary = buildSummary(upload({ rows, tally: tally(outcomes) }), [], REPORTS);
        const total = rowOutcomes.reduce((n, o) => n + outcomes[o], 0);
        expect(summary.conservation).toEqual({ rows, outcomes: total, holds: rows === total });
        expect(outcomeCounts(upload({ tally: tally(outcomes) }))).toEqual(outcomes);
      }),
      { numRuns: 200 },
    );
  });

  it('fills absent facts with null and lists chunks in order', () => {
    const chunks = [
      chunk(2, { state: 'failed', jobUuid: 'j2', jobStatus: 'failed', submittedAt: '2026-01-01T00:00:03.000Z', endedAt: '2026-01-01T00:01:00.000Z' }),
      chunk(0, { jobUuid: 'j0', jobStatus: 'completed', submittedAt: '2026-01-01T00:00:02.000Z', endedAt: '2026-01-01T00:00:30.000Z' }),
      chunk(1, { state: 'reconciled' }),
    ];
    const summary = buildSummary(upload({ rows: 6, tally: tally({ accepted: 4, failed: 2 }) }), chunks, REPORTS);
    expect(summary.chunks.map((c) => c.chunk)).toEqual([0, 1, 2]);
    expect(summary.chunks[1]).toEqual({ chunk: 1, rows: 2, state: 'reconciled', jobUuid: null, jobStatus: null, submittedAt: null, endedAt: null });
    expect(summary.chunks[2]).toMatchObject({ state: 'failed', jobUuid: 'j2', jobStatus: 'failed' });
    expect(summary).toMatchObject({
      schemaVersion: 1,
      listId: null,
      profile: null,
      sha256: null,
      encoding: null,
      delimiter: null,
      parsedAt: null,
      endedAt: null,
      failure: null,
      duplicateOf: null,
      reports: REPORTS,
    });
    expect(uploadSummarySchema.parse(summary)).toEqual(summary);
  });

  it('copies the upload facts, the refusal reason and the duplicate owner', () => {
    const u = upload({
      listId: 100,
      profile: 'crm',
      status: 'failed',
      sha256: 'ab'.repeat(32),
      encoding: 'utf-8',
      delimiter: ';',
      rows: 0,
      parsedAt: '2026-01-01T00:00:02.000Z',
      endedAt: '2026-01-01T00:00:03.000Z',
      failure: { reason: 'bad-header', message: 'the header cannot be mapped' },
      duplicateOf: 'u0',
    });
    const summary = buildSummary(u, [], { summary: 's', rejected: 'r' });
    expect(summary).toMatchObject({
      uploadId: 'u1',
      bucket: 'uploads',
      key: 'incoming/100/leads.csv',
      fileName: 'leads.csv',
      listId: 100,
      profile: 'crm',
      status: 'failed',
      encoding: 'utf-8',
      delimiter: ';',
      failure: { reason: 'bad-header', message: 'the header cannot be mapped' },
      duplicateOf: 'u0',
      reports: { summary: 's', rejected: 'r' },
    });
  });

  it('does not share the tally objects of the record', () => {
    const u = upload({ rows: 1, tally: tally({ rejected: 1 }, { 'phone-invalid': 1 }) });
    const summary = buildSummary(u, [], REPORTS);
    summary.reasons['phone-invalid'] = 99;
    expect(u.tally.reasons['phone-invalid']).toBe(1);
  });
});
