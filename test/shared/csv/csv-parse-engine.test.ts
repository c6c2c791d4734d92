import { describe, expect, it } from 'vitest';
import { createPushParser } from '../../../shared/csv/csv-parse-engine';

describe('createPushParser', () => {
  it('reaches csv-parse push interface: records arrive while info describes them', () => {
    const parser = createPushParser({ delimiter: ',', encoding: 'utf8', maxRecordSize: 1000 });
    const seen: [string[], number, number][] = [];
    const push = (record: string[]) => seen.push([record, parser.info.bytes, parser.info.lines]);
    expect(parser.write(Buffer.from('a,b\r\n1,2\n3,'), push)).toBeUndefined();
    expect(parser.end(push)).toBeUndefined();
    expect(seen).toEqual([
      [['a', 'b'], 5, 1],
      [['1', '2'], 9, 2],
      [['3', ''], 11, 3],
    ]);
  });

  it('returns csv-parse errors rather than throwing them', () => {
    const parser = createPushParser({ delimiter: ',', encoding: 'utf8', maxRecordSize: 1000 });
    expect(parser.write(Buffer.from('a,"b\n'), () => {})).toBeUndefined();
    expect(parser.end(() => {})).toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED' });
  });
});
