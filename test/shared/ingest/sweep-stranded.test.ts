/**
 * The sweep ends uploads whose parse stopped for good, and only those, with a summary that says what
 * happened and what to do; a hand-over that turns up afterwards sends nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ABANDONED_MESSAGE } from '../../../shared/ingest/sweep-stranded';
import { createHarness } from '../../support/ingestion-harness';
import { startSimulatorFixture, type SimulatorFixture } from '../../support/simulator';

let fixture: SimulatorFixture;
beforeAll(async () => {
  fixture = await startSimulatorFixture({ apiKey: 'k-sweep', simulator: { freezeClock: true, bulkJobDurationMs: 5_000 } });
});
afterAll(() => fixture.sim.close());
beforeEach(() => fixture.reset());

function file(rows: number): string {
  const lines = ['Customer Key,First Name,Phone,State'];
  for (let i = 0; i < rows; i++) lines.push(`S-${i},Name${i},02 5550 ${String(1000 + i).padStart(4, '0')},NSW`);
  return lines.join('\r\n') + '\r\n';
}

describe('sweepStrandedUploads', () => {
  it('fails an upload stuck parsing past strandedAfterSeconds, leaves a recent one alone, and a late hand-over sends nothing', async () => {
    let clock = Date.now();
    const h = createHarness(fixture, { settings: { chunkSize: 250, rowsPerInvocation: 300, strandedAfterSeconds: 3600 }, now: () => new Date(clock) });
    h.objects.put('incoming/1/stuck.csv', file(2500));
    h.objects.put('incoming/1/recent.csv', file(10).replace(/S-/g, 'R-'));
    expect((await h.ingestion.ingest({ bucket: 'uploads', key: 'incoming/1/stuck.csv' })).kind).toBe('continued');
    // Its hand-over message dies (parked in the DLQ).
    const lost = h.ingestQueue.messages.shift()!.message;
    const stuck = (await h.store.getUpload(lost.uploadId))!;
    expect([...h.objects.objects.keys()].filter((k) => k.startsWith("chunks/")).length).toBeGreaterThan(2);

    clock += 3600_000 + 1000;
    // A recent upload whose parse is under way is not touched.
    const recent = await h.store.createUpload({ ...stuck, uploadId: 'u-recent', key: 'incoming/1/recent.csv', receivedAt: new Date(clock).toISOString(), updatedAt: new Date(clock).toISOString(), status: 'parsing', checkpoint: undefined } as never);
    expect(recent.created).toBe(true);

    const result = await h.ingestion.sweep();
    expect(result.abandoned).toEqual([stuck.uploadId]);
    const after = (await h.store.getUpload(stuck.uploadId))!;
    expect(after).toMatchObject({ status: 'failed', failure: { reason: 'ingest-abandoned', message: ABANDONED_MESSAGE }, rows: 0, chunksTotal: 0 });
    expect((await h.store.getUpload('u-recent'))!.status).toBe('parsing');
    expect(h.finished.map((s) => s.uploadId)).toEqual([stuck.uploadId]);
    expect(h.finished[0]!.conservation.holds).toBe(true);
    // Its chunk bodies (never announced) and checkpoints, which held leads, are gone.
    expect([...h.objects.objects.keys()].filter((k) => k.startsWith('chunks/'))).toEqual([]);
    expect(h.telemetry.metrics).toContainEqual({ name: 'UploadsAbandoned', value: 1, unit: 'Count' });

    // The parked message redriven later finds the upload ended: nothing is parsed or sent.
    expect((await h.ingestion.continueIngest(lost)).kind).toBe('already-done');
    await h.drain();
    const { leads } = await fixture.admin<{ leads: { customerKey?: string }[] }>('/leads');
    expect(leads.filter((l) => l.customerKey?.startsWith('S-'))).toEqual([]);

    // A second sweep finds nothing more.
    expect((await h.ingestion.sweep()).abandoned).toEqual([]);
  });
});
