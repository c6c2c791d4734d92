import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ingestRecord } from '../../functions/ingest/handler';
import type { Ingestion } from '../../shared/ingest/ingestion';
import { silentTelemetry } from '../../shared/observability/telemetry';

function fakeIngestion(calls: string[]): Ingestion {
  return {
    ingest: async (ref) => (calls.push(`ingest ${ref.key}`), { kind: 'ingested', uploadId: 'u1' }),
    continueIngest: async (m) => (calls.push(`continue ${m.uploadId} ${m.segment}`), { kind: 'continued', uploadId: m.uploadId }),
    submit: async () => 'submitted',
    poll: async () => 'polled' as never,
    sweep: async () => ({ abandoned: [] }),
  };
}
const record = (body: string) => ({ body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSRecord;

describe('ingestRecord', () => {
  it('dispatches a hand-over (whatever the key order) and an S3 notification (key decoded)', async () => {
    const calls: string[] = [];
    await ingestRecord(record('{"uploadId":"u9","segment":2,"kind":"ingest-continue"}'), fakeIngestion(calls), silentTelemetry);
    await ingestRecord(record(JSON.stringify({ Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'incoming%2F1%2Fa+b.csv' } } }] })), fakeIngestion(calls), silentTelemetry);
    expect(calls).toEqual(['continue u9 2', 'ingest incoming/1/a b.csv']);
  });

  it('refuses a hand-over with a bad field without quoting the body', async () => {
    const error = await ingestRecord(record('{"kind":"ingest-continue","uploadId":"+61491570156","segment":0}'), fakeIngestion([]), silentTelemetry).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/segment/);
    expect((error as Error).message).not.toContain('+61491570156');
  });
});
