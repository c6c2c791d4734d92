import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createMemoryObjectStore, type MemoryObjectStore } from '../../../shared/ingest/memory-object-store';
import type { ObjectStore } from '../../../shared/ingest/object-store';
import { reasonCodes } from '../../../shared/ingest/outcomes';
import { createRejectionReport, maskCell, REJECTION_COLUMNS } from '../../../shared/ingest/rejection-report';

const KEY = 'reports/u1/rejected.csv';
const HEADER = ['Customer Key', 'First Name', 'Mobile', 'Email', 'Notes'];

/** The report's bytes as written (readText would strip the BOM). */
function rawText(objects: MemoryObjectStore, key = KEY): string {
  const o = objects.objects.get(key);
  if (!o) throw new Error(`no object ${key}`);
  return Buffer.from(o.bytes).toString('utf8');
}

function records(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

describe('rejection report', () => {
  it('writes no file at all when no row was rejected', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, HEADER);
    expect(await report.close()).toBe(0);
    expect(objects.objects.has(KEY)).toBe(false);
  });

  it('starts with a UTF-8 BOM and the fixed columns, then the original header', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, HEADER);
    await report.add({ line: 2, reason: 'phone-invalid', field: 'phone1', cells: ['C-1', 'Ann', '12345', '', ''] });
    expect(await report.close()).toBe(1);
    const text = rawText(objects);
    expect(text.startsWith('\ufeffline,outcome,reason,field,message,Customer Key,First Name,Mobile,Email,Notes\r\n')).toBe(true);
    expect(text.indexOf('\ufeff', 1)).toBe(-1);
    expect(objects.objects.get(KEY)!.contentType).toBe('text/csv; charset=utf-8');
    expect(REJECTION_COLUMNS).toEqual(['line', 'outcome', 'reason', 'field', 'message']);
  });

  it('writes line, outcome, reason, field and message, then the cells, one record per row', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, HEADER);
    await report.add({ line: 5, reason: 'phone-not-dialable', field: 'phone1', cells: ['C-4', 'Dan', 'x', '', 'call after 5'] });
    await report.add({ line: 9, reason: 'duplicate-phone-in-file', field: 'phone1', cells: ['C-7', 'Gus', 'y', '', ''] });
    await report.add({ line: 12, reason: 'field-count', cells: ['C-9', 'Ivy'] });
    await report.add({ line: 14, reason: 'suppressed' });
    expect(await report.close()).toBe(4);
    const rows = records(rawText(objects));
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual(['5', 'rejected', 'phone-not-dialable', 'phone1', reasonCodes['phone-not-dialable'], 'C-4', 'Dan', 'x', '', 'call after 5']);
    expect(rows[2]!.slice(0, 5)).toEqual(['9', 'duplicate', 'duplicate-phone-in-file', 'phone1', reasonCodes['duplicate-phone-in-file']]);
    // No field: an empty column, not a shifted row.
    expect(rows[3]).toEqual(['12', 'rejected', 'field-count', '', reasonCodes['field-count'], 'C-9', 'Ivy']);
    expect(rows[4]).toEqual(['14', 'suppressed', 'suppressed', '', reasonCodes.suppressed]);
  });

  it('masks phone numbers and emails in the cells, and keeps other text for the operator', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, HEADER);
    await report.add({
      line: 3,
      reason: 'phone-too-short',
      field: 'phone1',
      cells: ['C-1', 'Ann', '0491 570 156', 'Ann.Lee@Example.com', 'call +61 491 570 157 or mail ann@example.com'],
    });
    await report.close();
    const text = rawText(objects);
    expect(text).not.toMatch(/0491|491 570|Ann\.Lee|ann@example/i);
    const [, row] = records(text);
    expect(row!.slice(5)).toEqual(['C-1', 'Ann', '[phone]', '[email]', 'call [phone] or mail [email]']);
    expect(maskCell('0491 570 156')).toBe('[phone]');
    expect(maskCell('Ann')).toBe('Ann');
  });

  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['=1+1', "'=1+1"],
    ['+SUM(1,2)', "'+SUM(1,2)"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'],
  ])('escapes the formula-like cell %j so a spreadsheet shows it as text', async (cell, shown) => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, ['Notes']);
    await report.add({ line: 2, reason: 'phone-missing', field: 'phone1', cells: [cell] });
    await report.close();
    const [, row] = records(rawText(objects));
    expect(row![5]).toBe(shown);
  });

  it('escapes a formula that masking leaves in front of a masked phone', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, ['Mobile']);
    await report.add({ line: 2, reason: 'phone-invalid', field: 'phone1', cells: ['=0491570156'] });
    await report.add({ line: 3, reason: 'phone-invalid', field: 'phone1', cells: ['-0491 570 156'] });
    await report.close();
    const rows = records(rawText(objects));
    expect(rows[1]![5]).toBe("'=[phone]");
    expect(rows[2]![5]).toBe("'-[phone]");
  });

  it('escapes formula-like header cells too', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, ['=1+1', 'Notes']);
    await report.add({ line: 2, reason: 'phone-missing', field: 'phone1', cells: ['a', 'b'] });
    await report.close();
    expect(records(rawText(objects))[0]).toEqual([...REJECTION_COLUMNS, "'=1+1", 'Notes']);
  });

  it('quotes cells with delimiters, quotes and line breaks so they read back as written', async () => {
    const cells = ['a,b', 'say "hi"', 'two\r\nlines', 'lone\rcr', 'ünïcødé 名前 🎉', '\ufeffbom', ''];
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, cells.map((_, i) => `c${i}`));
    await report.add({ line: 7, reason: 'malformed-row', field: 'column 2', cells });
    await report.close();
    const rows = records(rawText(objects));
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(5)).toEqual(cells);
  });

  it('streams many rows and counts them', async () => {
    const objects = createMemoryObjectStore();
    const report = createRejectionReport(objects, KEY, ['Notes']);
    for (let line = 2; line < 3002; line++) await report.add({ line, reason: 'phone-missing', field: 'phone1', cells: [`note ${line} `.repeat(5)] });
    expect(await report.close()).toBe(3000);
    const rows = records(rawText(objects));
    expect(rows).toHaveLength(3001);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(Array.from({ length: 3000 }, (_, i) => i + 2));
  });

  it('surfaces a failed write at close, not as an unhandled rejection', async () => {
    const failing: ObjectStore = {
      ...createMemoryObjectStore(),
      async write(_key, body) {
        if (typeof body !== 'string' && !(body instanceof Uint8Array)) for await (const _ of body) break;
        throw new Error('S3 is down');
      },
    };
    const report = createRejectionReport(failing, KEY, ['Notes']);
    await report.add({ line: 2, reason: 'phone-missing', field: 'phone1', cells: ['x'] });
    await expect(report.close()).rejects.toThrow('S3 is down');
  });

  // Regression, fixed (report write failure hangs ingest): createRejectionReport only swallows the rejection of
  // objects.write; it neither destroys the PassThrough nor remembers the error. When the store stops
  // reading the stream and fails (lib-storage Upload does so when CreateMultipartUpload or a part
  // upload fails, i.e. for a report over 5 MiB), the writer's buffer fills (16 KiB) and add() waits
  // for 'drain' forever: ingest hangs until the Lambda times out instead of throwing so the event
  // is retried. Fix: `upload.catch((e) => { failure = e; stream.destroy(e); })` and have add() throw
  // `failure` when set (events.once(sink, 'drain') already rejects on the stream's 'error').
  it('fails add (or close) promptly when the store fails without reading the stream, instead of hanging', async () => {
    const failing: ObjectStore = {
      ...createMemoryObjectStore(),
      async write() {
        throw new Error('S3 is down');
      },
    };
    const report = createRejectionReport(failing, KEY, ['Notes']);
    const work = (async () => {
      for (let line = 2; line < 2002; line++) await report.add({ line, reason: 'phone-missing', field: 'phone1', cells: ['x'.repeat(50)] });
      await report.close();
    })();
    const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 1_500).unref());
    const outcome = await Promise.race([work.then(() => 'resolved' as const, (error: Error) => error.message), hung]);
    expect(outcome).toBe('S3 is down');
  });
});
