/**
 * A file too large for one ingest invocation, on the local stack: the parse hands over through the
 * real ingest queue (checkpoint in S3, pointer in DynamoDB), and the upload ends as if it had been
 * parsed at once: every row in one outcome, exactly the accepted leads in the list, with the
 * rejections from every segment in one report, and no checkpoint or report part left behind.
 */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PassThrough } from 'node:stream';
import type { ScheduledEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localSweepHandlerTo } from '../../local/function-handlers';
import { localLambdaContext } from '../../local/sqs-pump';
import { uploadSummarySchema } from '../../shared/ingest/upload-summary';
import { expectExactlyLeads, expectRowsConserved, useIngestionStack } from '../support/ingestion-stack';

/**
 * A hand-over is checked between the reader's batches (its 64 KiB sample first, then what S3 hands it
 * at a time). Rows here carry a long note, so a few hundred rows make several batches: the leads (each
 * one a list claim, one DynamoDB write on moto) stay few, the bytes many.
 */
const env = { INGEST_SETTINGS: JSON.stringify({ chunkSize: 250, rowsPerInvocation: 100, pollMinDelaySeconds: 1, jobDeadlineSeconds: 120 }) };
const ingestion = useIngestionStack({ env, simulator: { seed: 12, bulkJobDurationMs: 1_000 } });

const ROWS = 700;
const NOTE = 'Called about the renewal offer; prefers a call after 5 pm on weekdays. '.repeat(4).trim();

describe('a large file parsed across invocations (local stack)', () => {
  it('hands over through the ingest queue and ends exactly as one parse would', { timeout: 180_000 }, async () => {
    const listId = await ingestion.newList('continued');
    const lines = ['Customer Key,First Name,Phone,Email,State,Notes'];
    const accepted: string[] = [];
    const rejectedLines: number[] = [];
    for (let i = 0; i < ROWS; i++) {
      const key = `BIG-${i}`;
      // Fictional Melbourne numbers (03 5550 xxxx); every 250th row has a number that cannot be one.
      if (i % 100 === 99) {
        lines.push(`${key},Bad ${i},555,,VIC,${NOTE}`);
        rejectedLines.push(i + 2);
      } else {
        lines.push(`${key},Person ${i},03 5550 ${String(i).padStart(4, '0')},p${i}@example.com,VIC,${NOTE}`);
        accepted.push(key);
      }
    }
    const key = `incoming/${listId}/big.csv`;
    await ingestion.put(key, lines.join('\r\n') + '\r\n');

    const { upload, summary } = await ingestion.finished(key, { timeoutMs: 150_000 });
    expectRowsConserved(summary);
    expect(summary).toMatchObject({ status: 'completed-with-rejections', rows: ROWS });
    expect(summary.outcomes).toMatchObject({ accepted: accepted.length, rejected: rejectedLines.length });
    expect(upload.checkpoint?.segment).toBeGreaterThanOrEqual(3);
    const handOvers = ingestion.logs().split('\n').filter((l) => l.includes('parse handed over') && l.includes(upload.uploadId));
    expect(handOvers.length).toBe(upload.checkpoint!.segment);

    expectExactlyLeads(await ingestion.leadsIn(listId), accepted);

    // One report with the rejections of every segment, in line order, under one header.
    const report = (await ingestion.readText(summary.reports.rejected!))!;
    const rows = report.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^line,outcome,reason,field,message,/);
    expect(rows.slice(1).map((r) => Number(r.split(',')[0]))).toEqual(rejectedLines);

    // The checkpoints (which held leads) and the report parts are gone.
    const left = await ingestion.clients.s3.send(new ListObjectsV2Command({ Bucket: ingestion.bucket, Prefix: `chunks/${upload.uploadId}/checkpoints/` }));
    expect(left.KeyCount ?? 0).toBe(0);
    const parts = await ingestion.clients.s3.send(new ListObjectsV2Command({ Bucket: ingestion.bucket, Prefix: `reports/${upload.uploadId}/parse-rejected/` }));
    expect(parts.KeyCount ?? 0).toBe(0);
    expect(ingestion.logs()).not.toMatch(/03 5550|\+6135550|@example\.com|Person \d/);
  });

  it('the sweep ends an upload whose parse stopped for good, and only that one (DynamoDB index, S3 report)', { timeout: 60_000 }, async () => {
    const old = new Date(Date.now() - 7 * 3600_000).toISOString();
    const base = { bucket: ingestion.bucket, fileName: 'x.csv', rerun: false, dedupe: 'list' as const, chunksDone: 0, tally: { outcomes: {}, reasons: {} } };
    const stuckId = `u-stuck-${Date.now()}`;
    await ingestion.store.createUpload({ ...base, uploadId: stuckId, key: `incoming/1/${stuckId}.csv`, status: 'parsing', receivedAt: old, updatedAt: old });
    const checkpoint = `chunks/${stuckId}/checkpoints/1-abcd1234.json`;
    await ingestion.clients.s3.send(new PutObjectCommand({ Bucket: ingestion.bucket, Key: checkpoint, Body: '{}' }));
    const now = new Date().toISOString();
    const liveId = `u-live-${Date.now()}`;
    await ingestion.store.createUpload({ ...base, uploadId: liveId, key: `incoming/1/${liveId}.csv`, status: 'parsing', receivedAt: now, updatedAt: now });

    const stream = new PassThrough();
    const sweep = localSweepHandlerTo({ stream })(ingestion.stack);
    const context = localLambdaContext({ functionName: 'sweep', region: ingestion.stack.resources.region, account: '000000000000', deadline: Date.now() + 60_000, memoryMb: 512 });
    const result = (await sweep({ source: 'aws.events' } as ScheduledEvent, context)) as { abandoned: string[] };

    expect(result.abandoned).toEqual([stuckId]);
    expect(await ingestion.store.getUpload(stuckId)).toMatchObject({ status: 'failed', failure: { reason: 'ingest-abandoned' } });
    expect((await ingestion.store.getUpload(liveId))?.status).toBe('parsing');
    const summary = uploadSummarySchema.parse(JSON.parse((await ingestion.readText(`reports/${stuckId}/summary.json`))!));
    expect(summary).toMatchObject({ status: 'failed', rows: 0, failure: { reason: 'ingest-abandoned' } });
    expect(await ingestion.readText(checkpoint)).toBeUndefined();
  });
});
