/**
 * Erasure request files end to end on the local stack: a CSV dropped under `requests/` in the privacy
 * bucket, moto's S3 notification on the requests queue, the erasure-file handler (as deployed) creating
 * requests through the intake, the worker completing them against the simulator, and the report.
 */
import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useErasureStack } from '../support/erasure-stack';
import { waitFor } from '../support/wait';

const s = useErasureStack({ env: { ERASURE_SETTINGS: JSON.stringify({ maxAttempts: 2, retryDelaySeconds: 0, inFlightRecheckSeconds: 1 }) } });
const TIMEOUT = 120_000;

const PHONE = { written: '0491 570 201', e164: '+61491570201' };
const EMAIL = 'File.Person@Example.com';
/** Every way the file's identifiers could appear in clear. */
const FORMS = [PHONE.written, PHONE.e164, '491570201', '0491570201', EMAIL, EMAIL.toLowerCase(), '0491 570 999'];
const FILE = [
  'phone,email,jurisdiction,external id',
  `${PHONE.written},,AU,`, // 2: created
  `,${EMAIL},gdpr,TICKET-F2`, // 3: created
  `${PHONE.written},,,`, // 4: the same person as line 2 while it is open: existing
  ',,AU,TICKET-F4', // 5: no identifier
  '0491 570 999 12,,,', // 6: not a phone number
].join('\r\n');

const parseCsvText = (text: string): Record<string, string>[] => parse(text, { columns: true });

function expectNoneIn(where: string, text: string) {
  for (const form of FORMS) expect(text.includes(form), `${where} holds an identifier in clear`).toBe(false);
}

async function text(key: string, versionId?: string): Promise<string | undefined> {
  try {
    const out = await s.ingestion.clients.s3.send(new GetObjectCommand({ Bucket: s.ingestion.stack.resources.privacyBucket, Key: key, ...(versionId && { VersionId: versionId }) }));
    return await out.Body!.transformToString('utf-8');
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function drop(key: string, body: string): Promise<string> {
  const out = await s.ingestion.clients.s3.send(new PutObjectCommand({ Bucket: s.ingestion.stack.resources.privacyBucket, Key: key, Body: body, ContentType: 'text/csv' }));
  expect(out.VersionId).toBeTruthy();
  return out.VersionId!;
}

async function reportVersions(key: string): Promise<string[]> {
  const out = await s.ingestion.clients.s3.send(new ListObjectVersionsCommand({ Bucket: s.ingestion.stack.resources.privacyBucket, Prefix: key }));
  return (out.Versions ?? []).filter((v) => v.Key === key).map((v) => v.VersionId!);
}

async function requestItems(): Promise<string[]> {
  const items = await s.ingestion.clients.dynamodb.send(new ScanCommand({ TableName: s.ingestion.stack.resources.tables.state }));
  return (items.Items ?? []).filter((i) => i.pk?.S?.startsWith('ERASURE#') && i.sk?.S === 'META').map((i) => i.pk!.S!);
}

describe('erasure request files (privacy bucket → requests queue → intake → worker)', () => {
  it('creates one request per good row, reports every row without an identifier, and never creates a request twice', { timeout: TIMEOUT }, async () => {
    const key = 'requests/2026-11/batch-1.csv';
    const v1 = await drop(key, FILE);
    const reportKey = `reports/2026-11/batch-1.${v1}.csv`;
    const report = await waitFor(() => text(reportKey), { timeoutMs: 30_000, intervalMs: 200, what: 'the request file report' });
    expect(report.startsWith('\ufeffline,outcome,requestId,reason\r\n')).toBe(true);
    const rows = parseCsvText(report.slice(1));
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      ['2', 'created'],
      ['3', 'created'],
      ['4', 'existing'],
      ['5', 'rejected'],
      ['6', 'rejected'],
    ]);
    const [phoneRow, emailRow, duplicate, noIdentifier, badPhone] = rows as [Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>];
    expect(phoneRow.requestId).toMatch(/^er[0-9a-f]{20}$/);
    expect(emailRow.requestId).toMatch(/^er[0-9a-f]{20}$/);
    expect(duplicate.requestId).toBe(phoneRow.requestId);
    expect(noIdentifier.requestId).toBe('');
    expect(noIdentifier.reason).toBe('line 5: phone give a phone or an email (or both)');
    expect(badPhone.reason).toMatch(/^line 6: phone is not a phone number that can be normalised/);
    expectNoneIn('the report', report);

    // The requests are real: the same model as the API's, completed by the worker.
    const email = await s.api('GET', `/erasure-requests/${emailRow.requestId}`);
    expect(email.body).toMatchObject({ kinds: ['email'], jurisdiction: 'GDPR', externalId: 'TICKET-F2' });
    const done = await Promise.all([phoneRow.requestId, emailRow.requestId].map((id) => s.until(id!, ['completed', 'failed'])));
    expect(done.map((r) => r.status)).toEqual(['completed', 'completed']);
    const requests = await requestItems();
    // Who asked, in the audit trail: the file (by its content's ETag, never its name) and the line.
    const record = await s.ingestion.clients.dynamodb.send(new ScanCommand({ TableName: s.ingestion.stack.resources.tables.state }));
    expect(record.Items!.find((i) => i.pk?.S === `ERASURE#${phoneRow.requestId}`)!.requestedBy!.S).toMatch(/^request file [0-9a-f]{32} line 2$/);
    expect(requests).toHaveLength(2);

    // The notification delivered again (its open locks are gone by now): the same report, no new request.
    const event = s.messages.find((m) => m.queue === 'requests' && m.body.includes('batch-1.csv'))!;
    await s.ingestion.clients.sqs.send(new SendMessageCommand({ QueueUrl: s.ingestion.stack.resources.queues.requests.url, MessageBody: event.body }));
    await waitFor(async () => (await reportVersions(reportKey)).length === 2, { timeoutMs: 30_000, intervalMs: 200, what: 'the redelivered event to rewrite the report' });
    expect(await text(reportKey)).toBe(report);

    // The same file dropped again: a new version, its own report, every good row existing with its request.
    const v2 = await drop(key, FILE);
    const again = parseCsvText((await waitFor(() => text(`reports/2026-11/batch-1.${v2}.csv`), { timeoutMs: 30_000, intervalMs: 200, what: 'the second report' })).slice(1));
    expect(again.map((r) => [r.line, r.outcome, r.requestId])).toEqual([
      ['2', 'existing', phoneRow.requestId],
      ['3', 'existing', emailRow.requestId],
      ['4', 'existing', phoneRow.requestId],
      ['5', 'rejected', ''],
      ['6', 'rejected', ''],
    ]);
    expect(await requestItems()).toEqual(requests);

    // Nothing written holds the identifiers in clear: logs and metrics, queue messages, table items.
    expect(s.ingestion.logs()).toContain('"service":"erasure-file"');
    expectNoneIn('the function logs and metrics', s.ingestion.logs());
    expectNoneIn('the queue messages', JSON.stringify(s.messages));
    const items = await s.ingestion.clients.dynamodb.send(new ScanCommand({ TableName: s.ingestion.stack.resources.tables.state }));
    expectNoneIn('the state table', JSON.stringify(items.Items));
  });

  it('refuses a file whose header is not a request header, in its report, naming the column and never a value', { timeout: TIMEOUT }, async () => {
    const v = await drop('requests/wrong.csv', `phone,name\r\n${PHONE.written},Pat Doe\r\n`);
    const report = await waitFor(() => text(`reports/wrong.${v}.csv`), { timeoutMs: 30_000, intervalMs: 200, what: 'the report of a refused file' });
    expect(parseCsvText(report.slice(1))).toEqual([{ line: '1', outcome: 'rejected', requestId: '', reason: 'line 1 (header): column 2 of the header is not a request field (phone, email, jurisdiction, external id)' }]);
    expectNoneIn('the report', report);
    expect(report).not.toContain('Pat Doe');
  });
});
