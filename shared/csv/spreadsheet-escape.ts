/**
 * Formula-injection escaping for CSV files that people open in a spreadsheet (OWASP "CSV Injection").
 *
 * Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a formula,
 * and treat a leading tab or carriage return the same way once trimmed. A lead's name of
 * `=HYPERLINK("http://evil","Click")` written back into a rejection report would run on the desk of
 * whoever opens it. Such a cell gets a leading `'`, which spreadsheets take as "this is text".
 * A leading NUL is escaped too, as ASVS 1.2.10 asks.
 *
 * The price: values that only look like formulas change too. `-5` becomes `'-5` and an E.164 phone
 * `+61412345678` becomes `'+61412345678`. That is acceptable in a rejection report, which is read
 * by people and not re-imported; a file meant for re-import should be written without escaping.
 */

/**
 * The cell, with a leading `'` when its first character would make a spreadsheet evaluate it.
 * @example escapeForSpreadsheet('=1+1') // "'=1+1"
 * @example escapeForSpreadsheet('-5') // "'-5"
 * @example escapeForSpreadsheet('Ann') // 'Ann'
 */
export function escapeForSpreadsheet(cell: string): string {
  if (cell.length === 0) return cell;
  const c = cell.charCodeAt(0);
  // = + - @ TAB CR NUL
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x00 ? `'${cell}` : cell;
}
