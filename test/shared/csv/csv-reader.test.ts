import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../shared/csv/csv-reader';
import type { CsvEncoding, CsvRecord } from '../../../shared/csv/csv-record';
import { CsvFormatError, NotCsvError, isPermanentCsvError } from '../../../shared/csv/errors';
import { chunksOf, readCsv, readRows, sourceOf } from './csv-test-support';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const utf16le = (text: string): Buffer => Buffer.from(`\ufeff${text}`, 'utf16le');
const utf16be = (text: string): Buffer => Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
/** Windows-1252 bytes of text made of ASCII and Latin-1 letters (no 0x80–0x9F characters). */
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

const lines = (records: CsvRecord[]): number[] => records.map((r) => r.line);

describe('openCsv: encodings', () => {
  const text = 'name,city\r\nZoë,Zürich\r\nRené,Genève 😀\r\n';

  it.each([
    ['UTF-8', utf8(text), 'utf-8'],
    ['UTF-8 with BOM', utf8(`\ufeff${text}`), 'utf-8'],
    ['UTF-16LE with BOM', utf16le(text), 'utf-16le'],
    ['UTF-16BE with BOM', utf16be(text), 'utf-16be'],
  ] as const)('reads %s, one byte at a time', async (_, bytes, encoding) => {
    const { file, records } = await readCsv(chunksOf(bytes, 1));
    expect(file.encoding).toBe(encoding);
    expect(file.header).toEqual(['name', 'city']);
    expect(records.map((r) => r.fields)).toEqual([
      ['Zoë', 'Zürich'],
      ['René', 'Genève 😀'],
    ]);
    expect(lines(records)).toEqual([2, 3]);
    expect(file.stats.bytesRead).toBe(bytes.length);
    expect(file.stats.offset).toBe(bytes.length);
  });

  it('reads what Excel saves as "CSV (Comma delimited)": Windows-1252', async () => {
    const bytes = Buffer.concat([
      latin1('name;note\r\n'),
      Buffer.from([0x43, 0x61, 0x66, 0xe9]), // Café
      latin1(';'),
      Buffer.from([0x93, 0x4f, 0x4b, 0x94, 0x20, 0x80, 0x35, 0x20, 0x96, 0x20, 0x92]), // “OK” €5 – ’
      latin1('\r\n'),
    ]);
    const { file, records } = await readCsv(chunksOf(bytes, 1));
    expect(file.encoding).toBe('windows-1252');
    expect(file.delimiter).toBe(';');
    expect(records[0]?.fields).toEqual(['Café', '“OK” €5 – ’']);
  });

  it('reads the header in Windows-1252 too', async () => {
    const { file } = await readCsv(latin1('prénom,téléphone\nAnn,0412\n'));
    expect(file.encoding).toBe('windows-1252');
    expect(file.header).toEqual(['prénom', 'téléphone']);
  });

  it('reads bytes that are not UTF-8 past the sample as Windows-1252, and counts them', async () => {
    const bytes = Buffer.concat([utf8(`name,city\n${'Ann,Sydney\n'.repeat(20)}`), latin1('René,Genève\n'), utf8('Zoë,Zürich\n')]);
    const { file, records } = await readCsv(chunksOf(bytes, 7), { sampleBytes: 64 });
    expect(file.encoding).toBe('utf-8');
    expect(records.at(-2)?.fields).toEqual(['René', 'Genève']);
    expect(records.at(-1)?.fields).toEqual(['Zoë', 'Zürich']);
    expect(file.stats.fallbackBytes).toBe(2);
    expect(file.stats.offset).toBe(bytes.length);
  });

  it('keeps UTF-8 for a UTF-8 file with one damaged byte in its sample', async () => {
    const bytes = Buffer.concat([utf8('name,city\nZoë,Zürich\nRené,Genève\n'), Buffer.from([0xff]), utf8(',x\n')]);
    const { file, records } = await readCsv(bytes);
    expect(file.encoding).toBe('utf-8');
    expect(records.map((r) => r.fields)).toEqual([
      ['Zoë', 'Zürich'],
      ['René', 'Genève'],
      ['ÿ', 'x'],
    ]);
  });
});

describe('openCsv: records and lines', () => {
  it('reads LF, CRLF, CR and a mix of them, with or without a final line break', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      expect(await readRows(`a,b${eol}1,2${eol}3,4${eol}`)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
      expect(await readRows(`a,b${eol}1,2${eol}3,4`)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    }
    const { records } = await readCsv('a,b\n1,2\r\n3,4\r5,6\n');
    expect(records.map((r) => r.fields)).toEqual([['1', '2'], ['3', '4'], ['5', '6']]);
    expect(lines(records)).toEqual([2, 3, 4]);
  });

  it('keeps quoted delimiters, quotes and line breaks, and counts the physical lines they take', async () => {
    const text = 'a,b\r\n"x, ""y""\r\nz",2\r\n"p\nq\rr",3\r\n4,5\r\n';
    for (const size of [1, 2, 3, 1000]) {
      const { records } = await readCsv(chunksOf(utf8(text), size));
      expect(records.map((r) => r.fields)).toEqual([
        ['x, "y"\r\nz', '2'],
        ['p\nq\rr', '3'],
        ['4', '5'],
      ]);
      expect(lines(records)).toEqual([2, 4, 7]);
    }
  });

  it('skips empty lines but counts them', async () => {
    const { file, records } = await readCsv('\r\n\na,b\n\n1,2\r\n\r\n\r\n3,4\n\n');
    expect(file.headerLine).toBe(3);
    expect(lines(records)).toEqual([5, 8]);
  });

  it('yields a row of empty fields and a quoted empty one-column row', async () => {
    expect(await readRows('a,b\n,\n"",""\n')).toEqual([['a', 'b'], ['', ''], ['', '']]);
    expect(await readRows('a\n""\nx\n')).toEqual([['a'], [''], ['x']]);
  });

  it('never trims fields', async () => {
    expect(await readRows(' a , b \n 1 ,\t2\t\n')).toEqual([[' a ', ' b '], [' 1 ', '\t2\t']]);
  });

  it('uses a given delimiter instead of detecting one', async () => {
    const { file, records } = await readCsv('a,b;c\n1,2;3\n', { delimiter: ';' });
    expect(file.delimiter).toBe(';');
    expect(records[0]?.fields).toEqual(['1,2', '3']);
  });

  it('reads a Node Readable', async () => {
    const file = await openCsv(Readable.from([utf8('a,b\n1,'), utf8('2\n')]));
    const rows: string[][] = [];
    for await (const r of file.records) rows.push(r.fields);
    expect(rows).toEqual([['1', '2']]);
  });
});

describe('openCsv: row problems', () => {
  it('flags a row with more or fewer fields than the header, naming the line only', async () => {
    const { records } = await readCsv('phone,name\n0412345678,Ann\n0412999999\n0413000000,Bob,extra\n');
    expect(records.map((r) => r.problem?.code)).toEqual([undefined, 'field-count', 'field-count']);
    expect(records[1]?.problem?.message).toBe('line 3: 1 field where the header has 2');
    expect(records[2]?.problem?.message).toBe('line 4: 3 fields where the header has 2');
    expect(records[2]?.fields).toEqual(['0413000000', 'Bob', 'extra']);
  });

  it('flags a quote inside an unquoted field and text after a closing quote, and goes on', async () => {
    const { records } = await readCsv('a,b,c\n1,ab"c,3\n1,"ab"c,3\n"ok ""quoted""",2,3\n"x" ,y,z\n4,5,6\n');
    expect(records.map((r) => [r.line, r.problem?.detail, r.problem?.column])).toEqual([
      [2, 'stray-quote', 2],
      [3, 'text-after-quote', 2],
      [4, undefined, undefined],
      [5, 'text-after-quote', 1],
      [6, undefined, undefined],
    ]);
    expect(records[0]?.problem).toMatchObject({ code: 'malformed-row', message: 'line 2, column 2: a quote inside a field that does not start with one' });
    expect(records[0]?.fields).toEqual(['1', 'ab"c', '3']);
    expect(records[2]?.fields).toEqual(['ok "quoted"', '2', '3']);
  });

  it('turns a quote never closed into one flagged row covering the rest of the file', async () => {
    const { records, file } = await readCsv('a,b\n1,2\n3,"x\n4,5\n6,7\n');
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({
      line: 3,
      fields: [],
      problem: { code: 'malformed-row', detail: 'unclosed-quote', lastLine: 5 },
    });
    expect(records[1]?.problem?.message).toBe('line 3: a quote is opened and never closed, so lines 3 to 5, the end of the file, could not be read as rows');
    expect(file.stats.records).toBe(2);
  });

  it('stops with a CsvFormatError naming the line when a row outgrows the limit, after yielding the rows before it', async () => {
    const file = await openCsv(sourceOf(utf8(`a,b\n1,2\n3,"${'x'.repeat(5000)}`)), { maxRecordBytes: 1000 });
    const seen: number[] = [];
    const error = await (async () => {
      try {
        for await (const r of file.records) seen.push(r.line);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(seen).toEqual([2]);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect(error).toMatchObject({ reason: 'record-too-large', line: 3, permanent: true });
  });

  it('never puts a cell value in a problem message', async () => {
    const secret = '0412345678';
    const { records } = await readCsv(`phone,name\n${secret}\n"${secret}"x,Ann\n${secret}"y,Bob\n"${secret}`);
    for (const r of records) {
      expect(r.problem).toBeDefined();
      expect(r.problem?.message).not.toContain(secret);
    }
  });
});

describe('openCsv: files that are not CSV', () => {
  const refusal = async (bytes: Buffer | string): Promise<NotCsvError> => {
    try {
      await readCsv(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(NotCsvError);
      expect(isPermanentCsvError(e)).toBe(true);
      return e as NotCsvError;
    }
    throw new Error('not refused');
  };

  it.each([
    ['an empty file', '', 'empty'],
    ['a BOM alone', '\ufeff', 'empty'],
    ['blank lines', '\r\n\n  \n', 'empty'],
    ['a UTF-16 BOM alone', Buffer.from([0xff, 0xfe]), 'empty'],
    ['NUL bytes', 'a,b\n1,\0\n', 'binary'],
    ['UTF-16 without BOM', Buffer.from('phone,name\n', 'utf16le'), 'binary'],
    ['an xlsx workbook', Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), 'xlsx'],
    ['an xls workbook', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'xls'],
    ['a PDF', '%PDF-1.4\n', 'binary'],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'binary'],
    ['a blank first row', ',,\n1,2,3\n', 'no-header'],
    ['a header of spaces', '  ; \n1;2\n', 'no-header'],
    ['a header whose quote never closes', 'a,"b\n1,2\n', 'malformed-header'],
    ['a header with a stray quote', 'a,b"c\n1,2\n', 'malformed-header'],
  ])('refuses %s', async (_, bytes, reason) => {
    const error = await refusal(bytes);
    expect(error.reason).toBe(reason);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('names the line of a missing header', async () => {
    const error = await refusal('\n\n,\n1,2\n');
    expect(error).toMatchObject({ reason: 'no-header', line: 3 });
  });

  it('releases the source when it refuses the file', async () => {
    const stream = Readable.from([Buffer.from('PK\x03\x04rest', 'latin1'), Buffer.from('more')]);
    await expect(openCsv(stream)).rejects.toThrow(NotCsvError);
    expect(stream.destroyed).toBe(true);
  });

  it('passes an error of the source through as it is: not permanent, the caller may retry', async () => {
    const failing = (async function* () {
      yield utf8('a,b\n1,2\n3,4\n5,6\n7,8\n');
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    })();
    const file = await openCsv(failing, { sampleBytes: 16 });
    const error = await (async () => {
      try {
        for await (const _ of file.records);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(isPermanentCsvError(error)).toBe(false);
  });

  it('refuses a delimiter it does not support', async () => {
    await expect(openCsv(sourceOf(utf8('a:b\n')), { delimiter: ':' as ',' })).rejects.toThrow(TypeError);
  });

  it('refuses a source of strings with a TypeError', async () => {
    const strings = (async function* () {
      yield 'a,b\n';
    })() as unknown as AsyncIterable<Uint8Array>;
    await expect(openCsv(strings)).rejects.toThrow(TypeError);
  });
});

describe('openCsv: progress and resumption', () => {
  it('counts bytes received, records yielded and the offset of the last record', async () => {
    const bytes = utf8('\ufeffa,b\n1,2\n3,4\n');
    const file = await openCsv(chunksOf(bytes, 1000));
    expect(file.stats).toMatchObject({ bytesRead: 15, records: 0, offset: 7 });
    const offsets: number[] = [];
    for await (const _ of file.records) offsets.push(file.stats.offset);
    expect(offsets).toEqual([11, 15]);
    expect(file.stats.records).toBe(2);
  });

  const text = 'phone,name\r\n0412,"Zoë\r\nMüller"\r\n\r\n0413,René 😀\r\n0414,"a,b"\r\n0415,last';
  const encodings: [CsvEncoding, Buffer][] = [
    ['utf-8', utf8(`\ufeff${text}`)],
    ['windows-1252', Buffer.from(text.replace(' 😀', ''), 'latin1')],
    ['utf-16le', utf16le(text)],
    ['utf-16be', utf16be(text)],
  ];

  it.each(encodings)('resumes %s from any record boundary with the same records and lines', async (encoding, bytes) => {
    const { file, records } = await readCsv(chunksOf(bytes, 5));
    expect(file.encoding).toBe(encoding);
    for (let k = 0; k <= records.length; k++) {
      const first = await openCsv(chunksOf(bytes, 3));
      const it = first.records[Symbol.asyncIterator]();
      for (let i = 0; i < k; i++) await it.next();
      const point = first.resumePoint();
      await it.return?.();
      const resumed = await readCsv(chunksOf(bytes.subarray(point.offset), 2), { resume: JSON.parse(JSON.stringify(point)) });
      expect(resumed.records).toEqual(records.slice(k));
      expect(resumed.file.header).toEqual(['phone', 'name']);
      expect(resumed.file.stats.bytesRead).toBe(bytes.length);
      expect(resumed.file.stats.offset).toBe(bytes.length);
    }
  });

  it('resumes a utf-8 file past Windows-1252 bytes at the right source offset', async () => {
    const head = utf8('a,b\nx,0\nx,0\nx,0\n');
    const tail = Buffer.concat([latin1('é,1\nè,2\n'), utf8('ü,3\n')]);
    const bytes = Buffer.concat([head, tail]);
    const first = await openCsv(sourceOf(head, tail), { sampleBytes: 16 });
    expect(first.encoding).toBe('utf-8');
    const it = first.records[Symbol.asyncIterator]();
    for (let i = 0; i < 4; i++) await it.next();
    const point = first.resumePoint();
    await it.return?.();
    expect(point).toMatchObject({ offset: head.length + 4, line: 6 });
    const rest = await readCsv(sourceOf(bytes.subarray(point.offset)), { resume: point });
    expect(rest.records.map((r) => [r.line, ...r.fields])).toEqual([
      [6, 'è', '2'],
      [7, 'ü', '3'],
    ]);
    expect(rest.file.stats.fallbackBytes).toBe(1);
  });

  it('refuses a resume point that cannot be one', async () => {
    const point = { offset: 0, line: 1, encoding: 'utf-8', delimiter: ',', header: ['a'] } as const;
    await expect(openCsv(sourceOf(), { resume: { ...point, offset: -1 } })).rejects.toThrow(TypeError);
    await expect(openCsv(sourceOf(), { resume: { ...point, header: [] } })).rejects.toThrow(TypeError);
    await expect(openCsv(sourceOf(), { resume: { ...point, encoding: 'latin9' as CsvEncoding } })).rejects.toThrow(TypeError);
  });
});

describe('openCsv: the records iterable', () => {
  it('can be iterated once', async () => {
    const file = await openCsv(sourceOf(utf8('a\n1\n')));
    for await (const _ of file.records) break;
    expect(() => file.records[Symbol.asyncIterator]()).toThrow(/once/);
  });

  it('releases the source when the loop breaks', async () => {
    const stream = Readable.from([utf8('a\n1\n'), utf8('2\n'), utf8('3\n')], { objectMode: false });
    const file = await openCsv(stream, { sampleBytes: 16 });
    for await (const _ of file.records) break;
    expect(stream.destroyed).toBe(true);
  });

  it('close() releases a source whose records are never read', async () => {
    const stream = Readable.from([utf8('a\n1\n'.repeat(10))]);
    const file = await openCsv(stream, { sampleBytes: 16 });
    await file.close();
    expect(stream.destroyed).toBe(true);
  });
});

describe('openCsv: record batches', () => {
  // 3,000 rows of about 60 bytes, with two-byte and three-byte characters that slices cut through.
  const rows = Array.from({ length: 3000 }, (_, i) => [`${i}`, `Zoë-${'é'.repeat(i % 7)}`, `€${i * 3}`, `"q, ${i}"`]);
  const text = `id,name,price,note\n${rows.map((r) => r.join(',')).join('\n')}\n`;
  const bytes = utf8(text);

  it('yields the same records as records, however large the source chunks, in batches of at most 16 KiB of source', async () => {
    const one = await openCsv(sourceOf(bytes), { sampleBytes: 16 });
    const expected: CsvRecord[] = [];
    for await (const record of one.records) expected.push(record);
    expect(expected).toHaveLength(3000);

    const file = await openCsv(sourceOf(bytes), { sampleBytes: 16 }); // one chunk of the whole file
    const got: CsvRecord[] = [];
    let offset = file.stats.offset;
    for await (const batch of file.recordBatches) {
      expect(batch.length).toBeGreaterThan(0);
      // A batch comes from one slice: its rows span at most the slice plus the row it cut.
      expect(file.stats.offset - offset).toBeLessThanOrEqual(16 * 1024 + 200);
      offset = file.stats.offset;
      got.push(...batch);
    }
    expect(got).toEqual(expected);
    expect(file.stats.offset).toBe(bytes.length);
    expect(file.stats.bytesRead).toBe(bytes.length);
  });

  it('resumes from the point after any batch to the same rows', async () => {
    const file = await openCsv(sourceOf(bytes), { sampleBytes: 16 });
    const all: CsvRecord[] = [];
    let point;
    for await (const batch of file.recordBatches) {
      all.push(...batch);
      if (all.length > 1000 && point === undefined) {
        point = file.resumePoint();
        break;
      }
    }
    const seen = all.length;
    const rest = await openCsv(sourceOf(bytes.subarray(point!.offset)), { resume: point! });
    const after: CsvRecord[] = [];
    for await (const record of rest.records) after.push(record);
    expect(seen + after.length).toBe(3000);
    expect(after[0]!.fields[0]).toBe(String(seen));
    expect(after[0]!.line).toBe(seen + 2);
  });
});

