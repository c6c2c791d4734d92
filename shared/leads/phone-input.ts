/**
 * Spreadsheet and URI artefacts around a phone cell, removed before the number is parsed.
 *
 * Decisions:
 * - `'0412345678` (Excel's "store as text" apostrophe) and `="0412345678"` (the formula quoting some
 *   exports use to keep the leading zero) are unwrapped.
 * - `tel:` (RFC 3966) is dropped; its parameters are left for the parser (`;ext=` is then an extension).
 * - `412345678.0` (a number column written as a float, e.g. by pandas) loses its zero fraction: no
 *   phone format ends in a lone `.0`, and the digits before it are intact.
 * - `4.12345678E+08` (Excel's scientific display of a number column) is rejected as `invalid`: Excel
 *   keeps 15 significant digits and displays fewer, and the leading zero is already gone, so the digits
 *   cannot be trusted even when they happen to look complete.
 * - More than {@link MAX_PHONE_INPUT_LENGTH} characters is not a phone cell (and is not worth a
 *   regular expression's time); neither is a cell without a digit, which is refused here because the
 *   library takes an exception's time (about 20 µs) to say so, and empty cells are common.
 */

/** Longest trimmed cell still treated as a phone number (a formatted international number with an extension fits easily). */
export const MAX_PHONE_INPUT_LENGTH = 64;

/** The text to parse, or why there is nothing to parse. */
export type PhoneInput = { readonly text: string } | { readonly reason: 'invalid' };

const EXCEL_FORMULA_TEXT = /^="(.*)"$/s;
const TEL_URI = /^tel:/i;
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
const FLOAT_ZERO_FRACTION = /^(\+?\d+)\.0+$/;
// The digits libphonenumber reads: ASCII, full width, Arabic-Indic and extended Arabic-Indic.
const ANY_DIGIT = /[0-9\uff10-\uff19\u0660-\u0669\u06f0-\u06f9]/;

/**
 * Removes the artefacts listed in the module comment.
 *
 * @example unwrapPhoneInput(" '0412 345 678 ") // { text: '0412 345 678' }
 * @example unwrapPhoneInput('4.12345678E+08') // { reason: 'invalid' }
 */
export function unwrapPhoneInput(raw: string): PhoneInput {
  let text = raw.trim();
  if (text.length > MAX_PHONE_INPUT_LENGTH || !ANY_DIGIT.test(text)) return { reason: 'invalid' };
  const formula = EXCEL_FORMULA_TEXT.exec(text);
  if (formula) text = (formula[1] ?? '').trim();
  if (text.startsWith("'")) text = text.slice(1).trim();
  if (TEL_URI.test(text)) text = text.slice(4).trim();
  if (SCIENTIFIC.test(text)) return { reason: 'invalid' };
  const float = FLOAT_ZERO_FRACTION.exec(text);
  if (float) text = float[1] ?? text;
  return { text };
}
