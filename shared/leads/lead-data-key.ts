/**
 * Keys of `leadData` (ipSCAPE custom lead fields) derived from CSV headers.
 *
 * A header is text from an uploaded file, so it is hostile input: as an object key `__proto__` would
 * change a prototype, and a key shadowing `Object.prototype` (`constructor`, `hasOwnProperty`, ...)
 * breaks code that calls those methods. A null-prototype object alone is not enough: the first
 * downstream copy into `{}` (zod's record parse is one) silently drops a `__proto__` key, and an
 * object value under it would change the copy's prototype. So keys are rewritten as well.
 *
 * The sanitising rule, applied to headers no profile names:
 * 1. Unicode compatibility decomposition, accents dropped (`Prénom` → `Prenom`), then letters and
 *    digits outside ASCII dropped (`Straße` → `Strae`, `名前` → nothing).
 * 2. Words are the runs of ASCII letters and digits; a lower-case letter or digit followed by a
 *    capital also starts a word (`postCode` → `post`, `Code`). Everything else separates words.
 * 3. Lower camel case: first word lower case, the others capitalised (`Date of Birth` → `dateOfBirth`,
 *    `POSTCODE` → `postcode`).
 * 4. No word at all (an empty or all-symbol header) → `column<N>`, N the 1-based column number.
 * 5. A leading digit gets the prefix `field` (`2nd Contact` → `field2ndContact`).
 * 6. A reserved name (see {@link isReservedLeadDataKey}) gets the prefix `field` (`constructor` →
 *    `fieldConstructor`).
 * 7. At most {@link MAX_LEAD_DATA_KEY_LENGTH} characters.
 * Uniqueness within a file (`notes`, `notes2`, ...) is the header mapping's job.
 */

/** The longest key this module produces or accepts. */
export const MAX_LEAD_DATA_KEY_LENGTH = 64;

/** Keys a profile may name explicitly: a letter, then letters, digits or underscores. */
export const EXPLICIT_LEAD_DATA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

// Compared lower-cased, so a downstream system that folds case cannot bring a reserved name back.
const RESERVED_KEYS = new Set(
  [
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'isPrototypeOf',
    'propertyIsEnumerable',
    'toLocaleString',
    'toString',
    'valueOf',
    'toJSON',
    '__defineGetter__',
    '__defineSetter__',
    '__lookupGetter__',
    '__lookupSetter__',
  ].map((k) => k.toLowerCase()),
);

// A header is at most this long for sanitising: the key is cut to 64 characters anyway, and a
// megabyte-long header cell must not cost more than a short one.
const MAX_SANITISED_INPUT = 1024;

/**
 * Whether a key is a property name with a special meaning to JavaScript objects (case-insensitive).
 *
 * @example isReservedLeadDataKey('Constructor') // true
 * @example isReservedLeadDataKey('notes') // false
 */
export function isReservedLeadDataKey(key: string): boolean {
  return RESERVED_KEYS.has(key.toLowerCase());
}

/**
 * The `leadData` key for a header no profile names, by the rule in this module's documentation.
 *
 * @param columnNumber - 1-based, used when the header has no letter or digit at all.
 * @example sanitiseLeadDataKey('Date of Birth', 4) // 'dateOfBirth'
 * @example sanitiseLeadDataKey('__proto__', 2) // 'proto'
 * @example sanitiseLeadDataKey('', 7) // 'column7'
 */
export function sanitiseLeadDataKey(header: string, columnNumber: number): string {
  const ascii = header
    .slice(0, MAX_SANITISED_INPUT)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/(?![A-Za-z0-9])[\p{L}\p{N}]/gu, '');
  const words = ascii
    .split(/[^A-Za-z0-9]+/)
    .flatMap((run) => run.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter((word) => word.length > 0);
  if (words.length === 0) return `column${columnNumber}`;
  let key = words.map((word, i) => (i === 0 ? word.toLowerCase() : capitalise(word))).join('');
  if (/^[0-9]/.test(key) || isReservedLeadDataKey(key)) key = `field${key.charAt(0).toUpperCase()}${key.slice(1)}`;
  return key.slice(0, MAX_LEAD_DATA_KEY_LENGTH);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}
