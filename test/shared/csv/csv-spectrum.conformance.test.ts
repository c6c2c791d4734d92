/**
 * Conformance with csv-spectrum: every CSV of the corpus read through the reader, record for record,
 * equals its JSON. `location_coordinates` is left out: its JSON contradicts its own CSV (other
 * values, and its row has a quote inside an unquoted field, which the reader flags, tested below).
 */
import { readdirSync, readFileSync, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../shared/csv/csv-reader';
import { chunksOf, readCsv } from './csv-test-support';

const root = dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'));
const names = readdirSync(join(root, 'csvs'))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => basename(f, '.csv'))
  .sort();
const contradicted = new Set(['location_coordinates']);

function toObjects(header: readonly string[], rows: readonly (readonly string[])[]): Record<string, string>[] {
  return rows.map((fields) => Object.fromEntries(header.map((h, i) => [h, fields[i] as string])));
}

describe('csv-spectrum', () => {
  it('has the files this test expects', () => {
    expect(names).toContain('empty');
    expect(names).toContain('newlines_crlf');
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(names.filter((n) => !contradicted.has(n)))('%s', (name) => {
    const csv = join(root, 'csvs', `${name}.csv`);
    const expected: unknown = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8'));

    it('reads as its JSON from a file stream', async () => {
      const file = await openCsv(createReadStream(csv));
      const rows: string[][] = [];
      for await (const record of file.records) {
        expect(record.problem).toBeUndefined();
        rows.push(record.fields);
      }
      expect(file.encoding).toBe('utf-8');
      expect(file.delimiter).toBe(',');
      expect(toObjects(file.header, rows)).toEqual(expected);
    });

    it('reads the same one byte at a time', async () => {
      const { file, records } = await readCsv(chunksOf(readFileSync(csv), 1));
      expect(toObjects(file.header, records.map((r) => r.fields))).toEqual(expected);
    });
  });

  it('flags the row of location_coordinates whose unquoted field holds a quote', async () => {
    const { file, records } = await readCsv(readFileSync(join(root, 'csvs', 'location_coordinates.csv')));
    expect(file.header).toEqual(['Contact Phone Number', 'Location Coordinates', 'Cities', 'Counties']);
    expect(records).toHaveLength(1);
    expect(records[0]?.line).toBe(2);
    expect(records[0]?.problem).toMatchObject({ code: 'malformed-row', detail: 'stray-quote', column: 2 });
    expect(records[0]?.problem?.message).not.toMatch(/\d{6}/);
  });
});
