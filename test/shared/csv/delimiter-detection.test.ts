import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvDelimiters } from '../../../shared/csv/csv-record';
import { formatCsvRow } from '../../../shared/csv/csv-writer';
import { detectDelimiter } from '../../../shared/csv/delimiter-detection';

describe('detectDelimiter', () => {
  it.each([
    [',', 'phone,first,last\n0412,Ann,Lee\n'],
    [';', 'phone;first;last\n0412;Ann;Lee\n'],
    ['\t', 'phone\tfirst\tlast\n0412\tAnn\tLee\n'],
    ['|', 'phone|first|last\n0412|Ann|Lee\n'],
  ])('finds %j', (delimiter, text) => {
    expect(detectDelimiter(text, true)).toBe(delimiter);
  });

  it('ignores candidates inside quoted fields, line breaks included', () => {
    expect(detectDelimiter('"a,b,c";"d,e"\n"1,2\n3";x\n', true)).toBe(';');
  });

  it('does not let a quote inside an unquoted field hide the rest of the line', () => {
    expect(detectDelimiter('height;name;x\n5\'10";Ann;1\n6\';Bob;2\n', true)).toBe(';');
  });

  it('prefers the candidate whose header count the rows repeat', () => {
    // A semicolon file whose header and data hold unquoted commas.
    const text = 'name;phone;city, state\nAnn;0412;Sydney, NSW\nBob;0413;Perth WA\nCy;0414;Hobart\n';
    expect(detectDelimiter(text, true)).toBe(';');
    // European decimals do not make a comma file.
    expect(detectDelimiter('name;score\nAnn;1,5\nBob;2,25\n', true)).toBe(';');
  });

  it('breaks ties by the header count, then by the order , ; tab |', () => {
    expect(detectDelimiter('a;b;c,d\n', true)).toBe(';'); // header only: ; appears twice
    expect(detectDelimiter('a;b,c\n', true)).toBe(',');
    expect(detectDelimiter('a|b\tc\n', true)).toBe('\t');
  });

  it('reads a one-column file as comma-separated', () => {
    expect(detectDelimiter('phone\n0412\n0413\n', true)).toBe(',');
    expect(detectDelimiter('', true)).toBe(',');
  });

  it('ignores a last line the sample cut', () => {
    // Cut after "Ann;0412" the semicolon count 1 would not match the header's 2.
    expect(detectDelimiter('name;phone;email,x\nAnn;0412;a,b\nBob;0413', false)).toBe(';');
  });

  it('finds the delimiter of any table whose cells hold no candidate', () => {
    const cell = fc.string({ maxLength: 8 }).filter((s) => !/[,;\t|]/.test(s));
    fc.assert(
      fc.property(
        fc.constantFrom(...csvDelimiters),
        fc.integer({ min: 2, max: 6 }).chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 })),
        (delimiter, rows) => {
          const text = rows.map((r) => formatCsvRow(r, { delimiter, escapeFormulas: false })).join('');
          expect(detectDelimiter(text, true)).toBe(delimiter);
        },
      ),
      { numRuns: 500 },
    );
  });
});
