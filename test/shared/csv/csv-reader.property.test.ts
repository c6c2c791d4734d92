/**
 * The reader on input nobody designed: arbitrary bytes never crash it (it yields rows or throws only
 * its own typed errors), CSV-like text yields exactly the records csv-parse sees (good and flagged
 * alike: rows are conserved), and where the chunk boundaries fall changes nothing.
 */
import { Parser } from 'csv-parse';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvDelimiter, CsvRecord } from '../../../shared/csv/csv-record';
import { CsvFormatError, NotCsvError } from '../../../shared/csv/errors';
import { cutAt, readCsv, type ReadResult } from './csv-test-support';

type Outcome = { ok: true; result: ReadResult } | { ok: false; error: unknown };

async function attempt(run: () => Promise<ReadResult>): Promise<Outcome> {
  try {
    return { ok: true, result: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectTyped(error: unknown): void {
  if (!(error instanceof NotCsvError) && !(error instanceof CsvFormatError)) throw error;
}

function expectWellFormed({ file, records }: ReadResult, length: number): void {
  let previous = file.headerLine;
  for (const r of records) {
    expect(r.line).toBeGreaterThan(previous);
    previous = r.line;
  }
  expect(file.stats.records).toBe(records.length);
  expect(file.stats.offset).toBeLessThanOrEqual(length);
  expect(file.stats.bytesRead).toBe(length);
}

/** What csv-parse itself makes of the text with the reader's options: records, and its error if any. */
async function csvParseRecords(text: string, delimiter: CsvDelimiter): Promise<{ records: string[][]; error?: { code?: string } }> {
  const parser = new Parser({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const records: string[][] = [];
  parser.on('data', (r: string[]) => records.push(r));
  const error = await new Promise<{ code?: string } | undefined>((resolve) => {
    parser.on('error', resolve);
    parser.on('end', () => resolve(undefined));
    parser.end(Buffer.from(text, 'utf8'));
  });
  return error === undefined ? { records } : { records, error };
}

const csvLike = fc
  .array(fc.constantFrom('a', 'b', 'é', '😀', ' ', ',', ';', '"', '""', '\r', '\n', '\r\n', '\t'), { maxLength: 60 })
  .map((parts) => parts.join(''));
const cuts = fc.array(fc.nat(300), { maxLength: 10 });
const comparable = (records: CsvRecord[]) => records.map((r) => ({ line: r.line, fields: r.fields, problem: r.problem }));

describe('the reader on arbitrary input', () => {
  it('never crashes on arbitrary bytes, cut anywhere: rows or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), cuts, async (bytes, cutPoints) => {
        const outcome = await attempt(() => readCsv(cutAt(bytes, cutPoints), { sampleBytes: 16 }));
        if (outcome.ok) expectWellFormed(outcome.result, bytes.length);
        else expectTyped(outcome.error);
      }),
      { numRuns: 1500 },
    );
  });

  it('never crashes on CSV-like text in any encoding', async () => {
    const encoded = fc.tuple(csvLike, fc.constantFrom('utf8', 'utf16le', 'latin1' as const)).map(([text, enc]) =>
      Buffer.from(enc === 'utf16le' ? `\ufeff${text}` : text, enc),
    );
    await fc.assert(
      fc.asyncProperty(encoded, cuts, async (bytes, cutPoints) => {
        const outcome = await attempt(() => readCsv(cutAt(bytes, cutPoints)));
        if (outcome.ok) expectWellFormed(outcome.result, bytes.length);
        else expectTyped(outcome.error);
      }),
      { numRuns: 1000 },
    );
  });

  it('conserves rows: yields exactly the records csv-parse sees, flagging the ones of the wrong width', async () => {
    await fc.assert(
      fc.asyncProperty(csvLike, fc.constantFrom<CsvDelimiter>(',', ';'), async (text, delimiter) => {
        const outcome = await attempt(() => readCsv(text, { delimiter }));
        const theirs = await csvParseRecords(text, delimiter);
        if (!outcome.ok) {
          expectTyped(outcome.error);
          // Refused files: nothing, a blank first row, or a malformed header.
          if (!(outcome.error instanceof NotCsvError)) throw outcome.error;
          return;
        }
        const { file, records } = outcome.result;
        expect(file.header).toEqual(theirs.records[0]);
        const unclosed = records.at(-1)?.problem?.detail === 'unclosed-quote';
        expect(unclosed).toBe(theirs.error?.code === 'CSV_QUOTE_NOT_CLOSED');
        const read = unclosed ? records.slice(0, -1) : records;
        expect(read.map((r) => r.fields)).toEqual(theirs.records.slice(1));
        for (const r of read) {
          if (r.fields.length !== file.header.length) expect(r.problem?.code).toMatch(/field-count|malformed-row/);
          if (r.problem === undefined) expect(r.fields).toHaveLength(file.header.length);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same records, lines, problems and offsets wherever the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(csvLike, cuts, async (text, cutPoints) => {
        const bytes = Buffer.from(text, 'utf8');
        const whole = await attempt(() => readCsv(bytes));
        const cut = await attempt(() => readCsv(cutAt(bytes, cutPoints)));
        expect(cut.ok).toBe(whole.ok);
        if (whole.ok && cut.ok) {
          expect(comparable(cut.result.records)).toEqual(comparable(whole.result.records));
          expect(cut.result.file.resumePoint()).toEqual(whole.result.file.resumePoint());
        } else if (!whole.ok && !cut.ok) {
          expect((cut.error as Error).message).toBe((whole.error as Error).message);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
