import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCsvWriter, encodeCsv, formatCsvRow } from '../../../shared/csv/csv-writer';

describe('formatCsvRow', () => {
  it('quotes only fields that need it and doubles quotes, with CRLF', () => {
    expect(formatCsvRow(['Ann', 'Main St, 2', 'said "hi"', 'two\nlines', 'cr\r', ''])).toBe(
      'Ann,"Main St, 2","said ""hi""","two\nlines","cr\r",\r\n',
    );
  });

  it('quotes for the delimiter in use only', () => {
    expect(formatCsvRow(['a,b', 'c;d', 'e\tf', 'g|h'], { delimiter: ';' })).toBe('a,b;"c;d";e\tf;g|h\r\n');
    expect(formatCsvRow(['a,b', 'e\tf'], { delimiter: '\t' })).toBe('a,b\t"e\tf"\r\n');
    expect(formatCsvRow(['a,b', 'g|h'], { delimiter: '|' })).toBe('a,b|"g|h"\r\n');
  });

  it('writes a row of one empty field as "" so that it is not an empty line', () => {
    expect(formatCsvRow([''])).toBe('""\r\n');
    expect(formatCsvRow([null])).toBe('""\r\n');
    expect(formatCsvRow(['', ''])).toBe(',\r\n');
  });

  it('writes null and undefined as empty fields and other values with String()', () => {
    expect(formatCsvRow([null, undefined, 12, 3.5, true, 10n], { escapeFormulas: false })).toBe(',,12,3.5,true,10\r\n');
  });

  it('escapes formulas by default, before quoting', () => {
    expect(formatCsvRow(['=1+1', '@x', '+61412345678', -5, 'ok'])).toBe("'=1+1,'@x,'+61412345678,'-5,ok\r\n");
    expect(formatCsvRow(['=A1,B1', '\r=1'])).toBe(`"'=A1,B1","'\r=1"\r\n`);
    expect(formatCsvRow(['=1+1', -5], { escapeFormulas: false })).toBe('=1+1,-5\r\n');
  });

  it('quotes a field holding U+FEFF, so that it is never taken for a byte order mark', () => {
    expect(formatCsvRow(['\ufeffa', 'b'])).toBe('"\ufeffa",b\r\n');
  });
});

/** A sink that collects what it is given, slowly, with a tiny buffer. */
function slowSink(): { sink: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 8,
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      setImmediate(callback);
    },
  });
  return { sink, bytes: () => Buffer.concat(parts) };
}

describe('createCsvWriter', () => {
  it('writes rows through backpressure, then ends the sink', async () => {
    const { sink, bytes } = slowSink();
    const writer = createCsvWriter(sink);
    for (let i = 0; i < 50; i++) await writer.writeRow([i, `row ${i}`]);
    await writer.end();
    expect(writer.rows).toBe(50);
    expect(sink.writableFinished).toBe(true);
    const text = bytes().toString('utf8');
    expect(text.startsWith('0,row 0\r\n1,row 1\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(51);
  });

  it('starts with a UTF-8 BOM when asked, even for an empty report', async () => {
    const full = slowSink();
    const writer = createCsvWriter(full.sink, { bom: true });
    await writer.writeRow(['é']);
    await writer.end();
    expect([...full.bytes()]).toEqual([0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0x0d, 0x0a]);

    const empty = slowSink();
    await createCsvWriter(empty.sink, { bom: true }).end();
    expect([...empty.bytes()]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('waits only for the writable side of a duplex sink', async () => {
    const sink = new PassThrough();
    const collected: Buffer[] = [];
    sink.on('data', (c: Buffer) => collected.push(c));
    const writer = createCsvWriter(sink, { delimiter: ';' });
    await writer.writeRow(['a', 'b;c']);
    await writer.end();
    expect(Buffer.concat(collected).toString()).toBe('a;"b;c"\r\n');
  });

  it('rejects when the sink fails', async () => {
    const sink = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    const writer = createCsvWriter(sink);
    await expect(
      (async () => {
        await writer.writeRow(['a']);
        await writer.end();
      })(),
    ).rejects.toThrow('disk full');
  });
});

describe('encodeCsv', () => {
  it('yields the same bytes as row-by-row formatting, in chunks of about the asked size', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => [`name ${i}`, 'x'.repeat(i % 7)]);
    const chunks: Buffer[] = [];
    for await (const chunk of encodeCsv(rows, { bom: true }, 100)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`\ufeff${rows.map((r) => formatCsvRow(r)).join('')}`);
  });

  it('takes async rows', async () => {
    async function* rows() {
      yield ['a'];
      yield ['b'];
    }
    const chunks: Buffer[] = [];
    for await (const chunk of encodeCsv(rows())) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('a\r\nb\r\n');
  });
});
