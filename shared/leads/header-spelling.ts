/**
 * The spelling of a CSV header that mapping profiles match on.
 *
 * People write the same column as `Phone 1`, `phone_1`, `PHONE-1` or `Phone1`; a profile names it once.
 * The spelling is computed once per header per file, never per row.
 */

// Whitespace (including the BOM and NBSP, which `\s` covers), underscores and the dash family.
const IGNORED_IN_SPELLING = /[\s_\-\u2010-\u2015\u2212\u200b-\u200d]+/gu;

/**
 * Normalises a header for matching: NFKC, lower case, without whitespace, underscores or dashes.
 *
 * @example headerSpelling(' E-Mail Address ') // 'emailaddress'
 * @example headerSpelling('Phone_1') // 'phone1'
 */
export function headerSpelling(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(IGNORED_IN_SPELLING, '');
}
