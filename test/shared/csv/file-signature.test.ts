import { describe, expect, it } from 'vitest';
import { isPermanentCsvError } from '../../../shared/csv/errors';
import { fileSignatureError } from '../../../shared/csv/file-signature';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('fileSignatureError', () => {
  it.each([
    ['an xlsx (zip) workbook', bytes('PK', [3, 4], '\x14\x00\x06\x00'), 'xlsx', 'zip'],
    ['an empty zip', bytes('PK', [5, 6], '\x00\x00'), 'xlsx', 'zip'],
    ['an old .xls workbook', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), 'xls', 'ole2'],
    ['a PDF', bytes('%PDF-1.7\n'), 'binary', 'pdf'],
    ['a PNG', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0]), 'binary', 'png'],
    ['a GIF', bytes('GIF89a'), 'binary', 'gif'],
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'binary', 'jpeg'],
    ['a gzip archive', bytes([0x1f, 0x8b, 8]), 'binary', 'gzip'],
  ])('recognises %s', (_, first, reason, format) => {
    const error = fileSignatureError(first);
    expect(error?.reason).toBe(reason);
    expect(error?.format).toBe(format);
    expect(isPermanentCsvError(error)).toBe(true);
  });

  it('tells the operator to save a workbook as CSV', () => {
    expect(fileSignatureError(bytes('PK', [3, 4]))?.message).toMatch(/save it as "CSV UTF-8/);
  });

  it.each([['a CSV', bytes('phone,name\n')], ['a UTF-8 BOM', bytes([0xef, 0xbb, 0xbf], 'a')], ['a UTF-16LE BOM', bytes([0xff, 0xfe, 0x61, 0])], ['a short file', bytes('P')], ['nothing', bytes()]])(
    'lets %s through',
    (_, first) => {
      expect(fileSignatureError(first)).toBeUndefined();
    },
  );
});
