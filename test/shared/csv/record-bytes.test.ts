import { describe, expect, it } from 'vitest';
import { findQuoteFault, measureRecordLines } from '../../../shared/csv/record-bytes';

const COMMA = 0x2c;
const fault = (text: string, delimiter = COMMA) => findQuoteFault(Buffer.from(text), 0, delimiter);

describe('measureRecordLines', () => {
  it.each([
    ['a,b\n', 0, 0, 0],
    ['a,b', 0, 0, 0],
    ['\n\r\n\ra,b\r\n', 3, 4, 0],
    ['"x\r\ny",2\r\n', 0, 0, 1],
    ['"x\n\ny\r",2\n', 0, 0, 3],
    ['\n"x\ry"', 1, 1, 1],
  ])('%j: %i empty lines, starts at %i, %i breaks inside', (text, emptyLines, start, innerBreaks) => {
    expect(measureRecordLines(Buffer.from(text))).toEqual({ emptyLines, start, innerBreaks });
  });
});

describe('findQuoteFault', () => {
  it.each(['a,b,c\n', '"a","b,c",""\n', '"he said ""hi""",x\r\n', '"multi\nline",x', 'a,""""', '"a"'])('accepts %j', (text) => {
    expect(fault(text)).toBeUndefined();
  });

  it.each([
    ['1,ab"c,3\n', 1, 'stray-quote'],
    ['ab"', 0, 'stray-quote'],
    [' "a",b\n', 0, 'stray-quote'],
    ['1,"ab"c,3\n', 1, 'text-after-quote'],
    ['"a" ,b\n', 0, 'text-after-quote'],
    ['x,y,"a""b"z\n', 2, 'text-after-quote'],
  ])('finds the fault of %j in column %i', (text, column, detail) => {
    expect(fault(text)).toEqual({ column, detail });
  });

  it('uses the given delimiter', () => {
    expect(findQuoteFault(Buffer.from('a;"b;c";d"\n'), 0, 0x3b)).toEqual({ column: 2, detail: 'stray-quote' });
    expect(findQuoteFault(Buffer.from('a,"b";c\n'), 0, 0x3b)).toEqual({ column: 0, detail: 'stray-quote' });
  });

  it('stops at the end of the record', () => {
    expect(fault('a,b\nc"d\n')).toBeUndefined();
  });

  it('leaves an unclosed quote to the reader', () => {
    expect(fault('a,"b\n')).toBeUndefined();
  });
});
