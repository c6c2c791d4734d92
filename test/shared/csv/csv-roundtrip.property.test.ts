/**
 * Writer and reader agree: any table written with `formatCsvRow` (no formula escaping) reads back as
 * the same table, whatever the delimiter, encoding, byte order mark and chunk boundaries, with the
 * right physical lines and a resume point that gives back the rest of the table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../shared/csv/csv-reader';
import { csvDelimiters, type CsvDelimiter } from '../../../shared/csv/csv-record';
import { formatCsvRow } from '../../../shared/csv/csv-writer';
import { cutAt, readCsv } from './csv-test-support';

const special = fc.constantFrom(',', ';', '\t', '|', '"', '""', '\r', '\n', '\r\n', ' ', "'", '=', 'é', '€', '’', '😀', '\u2028', 'ß');
/** Cells: any Unicode text (no lone surrogates, no NUL, which makes a file binary) mixed with CSV specials. */
const cell = fc
  .array(fc.oneof(special, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 4 })
  .map((parts) => parts.join('').replace(/\0/g, ''));
const headerCell = cell.map((c) => `h${c}`);

const table = fc.integer({ min: 1, max: 5 }).chain((cols) =>
  fc.record({
    header: fc.array(headerCell, { minLength: cols, maxLength: cols }),
    rows: fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 12 }),
  }),
);

const write = (rows: readonly (readonly string[])[], delimiter: CsvDelimiter): string =>
  rows.map((r) => formatCsvRow(r, { delimiter, escapeFormulas: false })).join('');

/** The physical line each row starts on, counting the line breaks inside cells. */
function expectedLines(header: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const breaks = (row: readonly string[]): number => row.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  let line = 1 + breaks(header) + 1;
  return rows.map((row) => {
    const start = line;
    line += breaks(row) + 1;
    return start;
  });
}

const cuts = fc.array(fc.nat(400), { maxLength: 10 });

describe('write then read', () => {
  it('gives back any table, for each delimiter, BOM or not, cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom(...csvDelimiters), fc.boolean(), cuts, async ({ header, rows }, delimiter, bom, cutPoints) => {
        const bytes = Buffer.from((bom ? '\ufeff' : '') + write([header, ...rows], delimiter), 'utf8');
        const { file, records } = await readCsv(cutAt(bytes, cutPoints), { delimiter });
        expect(file.encoding).toBe('utf-8');
        expect(file.header).toEqual(header);
        expect(records.map((r) => r.fields)).toEqual(rows);
        expect(records.every((r) => r.problem === undefined)).toBe(true);
        expect(records.map((r) => r.line)).toEqual(expectedLines(header, rows));
        expect(file.stats.records).toBe(rows.length);
        expect(file.stats.offset).toBe(bytes.length);
      }),
      { numRuns: 400 },
    );
  });

  it('detects the delimiter of tables with at least two columns whose cells hold no other candidate', async () => {
    const plain = cell.map((c) => c.replace(/[,;\t|]/g, ''));
    const wide = fc.integer({ min: 2, max: 5 }).chain((cols) =>
      fc.record({
        header: fc.array(plain.map((c) => `h${c}`), { minLength: cols, maxLength: cols }),
        rows: fc.array(fc.array(plain, { minLength: cols, maxLength: cols }), { maxLength: 8 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(wide, fc.constantFrom(...csvDelimiters), async ({ header, rows }, delimiter) => {
        const { file, records } = await readCsv(write([header, ...rows], delimiter));
        expect(file.delimiter).toBe(delimiter);
        expect(records.map((r) => r.fields)).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });

  it('gives back any table in UTF-16LE, UTF-16BE and Windows-1252', async () => {
    // Windows-1252 can only hold its own repertoire. "Café " in the header (0xE9 before ASCII) makes
    // the sample certainly not UTF-8; without the space, "é–”" (E9 96 94) would be a valid UTF-8
    // character, the ambiguity a real sample of 64 KiB makes all but impossible.
    const repertoire = fc.constantFrom(...'aZ 0,;\t|"\r\n€’“”–éèüßÿ'.split(''));
    const cp1252Cell = fc.array(repertoire, { maxLength: 6 }).map((c) => c.join(''));
    const cp1252Table = fc.integer({ min: 1, max: 4 }).chain((cols) =>
      fc.record({
        header: fc.array(cp1252Cell.map((c) => `Café ${c}`), { minLength: cols, maxLength: cols }),
        rows: fc.array(fc.array(cp1252Cell, { minLength: cols, maxLength: cols }), { maxLength: 8 }),
      }),
    );
    const encode1252 = (text: string): Buffer =>
      Buffer.from(Array.from(text, (ch) => ({ '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96 })[ch] ?? ch.charCodeAt(0)));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ encoding: fc.constantFrom('utf-16le' as const, 'utf-16be' as const), t: table }),
          fc.record({ encoding: fc.constant('windows-1252' as const), t: cp1252Table }),
        ),
        fc.constantFrom(...csvDelimiters),
        cuts,
        async ({ encoding, t: { header, rows } }, delimiter, cutPoints) => {
          const text = write([header, ...rows], delimiter);
          const bytes =
            encoding === 'windows-1252'
              ? encode1252(text)
              : encoding === 'utf-16le'
                ? Buffer.from(`\ufeff${text}`, 'utf16le')
                : Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
          const { file, records } = await readCsv(cutAt(bytes, cutPoints), { delimiter });
          expect(file.encoding).toBe(encoding);
          expect(file.header).toEqual(header);
          expect(records.map((r) => r.fields)).toEqual(rows);
          expect(records.map((r) => r.line)).toEqual(expectedLines(header, rows));
          expect(file.stats.offset).toBe(bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('resumes from the resume point after any record with the rest of the table', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom(...csvDelimiters),
        fc.constantFrom('utf-8' as const, 'utf-16le' as const),
        fc.nat(12),
        async ({ header, rows }, delimiter, encoding, k) => {
          const text = write([header, ...rows], delimiter);
          const bytes = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : Buffer.from(`\ufeff${text}`, 'utf16le');
          const file = await openCsv(cutAt(bytes, [3, 17, 40]), { delimiter });
          const iterator = file.records[Symbol.asyncIterator]();
          const taken = Math.min(k, rows.length);
          for (let i = 0; i < taken; i++) await iterator.next();
          const point = file.resumePoint();
          await iterator.return?.();
          const rest = await readCsv(cutAt(bytes.subarray(point.offset), [1, 5]), { resume: point });
          expect(rest.records.map((r) => r.fields)).toEqual(rows.slice(taken));
          expect(rest.records.map((r) => r.line)).toEqual(expectedLines(header, rows).slice(taken));
        },
      ),
      { numRuns: 300 },
    );
  });
});
