import { describe, expect, it } from 'vitest';
import { escapeForSpreadsheet } from '../../../shared/csv/spreadsheet-escape';

describe('escapeForSpreadsheet', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['\0x', "'\0x"],
  ])('prefixes %j', (cell, escaped) => {
    expect(escapeForSpreadsheet(cell)).toBe(escaped);
  });

  it('also prefixes values that only look like formulas: negative numbers, E.164 phones (documented price)', () => {
    expect(escapeForSpreadsheet('-5')).toBe("'-5");
    expect(escapeForSpreadsheet('+61412345678')).toBe("'+61412345678");
  });

  it.each(['', 'Ann', ' =1', "'=1", '0412 345 678', 'a=b', '5-3'])('leaves %j alone', (cell) => {
    expect(escapeForSpreadsheet(cell)).toBe(cell);
  });
});
