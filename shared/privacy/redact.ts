/**
 * PII redaction for anything that may reach a log line, an error message or a stored diagnostic:
 * response bodies, free text, JSON documents, and the API key.
 *
 * Every scanner here is a single left-to-right pass over the text (no backtracking regular
 * expressions), so a hostile or huge body cannot stall a Lambda (ReDoS). Redaction errs on the side
 * of masking too much: a masked order number costs a little diagnosis, a leaked phone number costs a
 * privacy incident.
 */

/** What a masked phone-like digit run becomes. */
export const PHONE_MASK = '[phone]';
/** What a masked email address becomes. */
export const EMAIL_MASK = '[email]';
/** What a value under a personal-data key becomes. */
export const VALUE_MASK = '[redacted]';
/** What a removed secret becomes. */
export const SECRET_MASK = '[secret]';

/** Phone-like runs with at least this many digits are masked (the shortest national numbers have 7). */
const MIN_PHONE_DIGITS = 7;
/** Longer bodies are cut before redaction so redacting stays cheap; the excerpt is far shorter anyway. */
const MAX_REDACTION_INPUT = 64 * 1024;
/** Deeper JSON is masked whole rather than walked, so a crafted body cannot overflow the stack. */
const MAX_JSON_DEPTH = 64;

const CH_0 = 48;
const CH_9 = 57;
const CH_PLUS = 43;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_DASH = 45;
const CH_DOT = 46;
const CH_SPACE = 32;
const CH_NBSP = 0xa0;
const CH_AT = 64;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** Characters a written phone number is made of: digits and the separators people put between groups. */
function isPhoneRunChar(c: number): boolean {
  return (
    isDigit(c) ||
    c === CH_SPACE ||
    c === CH_NBSP ||
    c === CH_DASH ||
    c === CH_DOT ||
    c === CH_PLUS ||
    c === CH_LPAREN ||
    c === CH_RPAREN
  );
}

function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;

/** Non-ASCII letters count as word characters so internationalised addresses are caught too. */
function isNonAsciiWordChar(c: number): boolean {
  return c > 127 && NON_ASCII_WORD.test(String.fromCharCode(c));
}

// RFC 5322 "atext" plus the dot: everything a local part may hold unquoted.
const LOCAL_PART_SYMBOLS = new Set("!#$%&'*+-/=?^_`{|}~.".split('').map((ch) => ch.charCodeAt(0)));

function isLocalPartChar(c: number): boolean {
  return isAsciiAlnum(c) || LOCAL_PART_SYMBOLS.has(c) || isNonAsciiWordChar(c);
}

function isDomainChar(c: number): boolean {
  return isAsciiAlnum(c) || c === CH_DASH || c === CH_DOT || isNonAsciiWordChar(c);
}

/** A stretch of text to mask, `[start, end)`. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly mask: string;
}

function emailSpans(text: string): Span[] {
  const spans: Span[] = [];
  let floor = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    // `floor` bounds the walk back, so each character is looked at a bounded number of times.
    while (start > floor && isLocalPartChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    // A sentence-ending dot is not part of the domain.
    while (end > at + 1 && text.charCodeAt(end - 1) === CH_DOT) end--;
    if (start < at && end > at + 1) {
      spans.push({ start, end, mask: EMAIL_MASK });
      floor = end;
      at = text.indexOf('@', end);
    } else {
      floor = at + 1;
      at = text.indexOf('@', at + 1);
    }
  }
  return spans;
}

/**
 * Length of an ISO calendar date (`2020-07-06`) starting at `i`, or 0. Dates are the one common
 * digit run that is not a phone number; skipping them keeps timestamps in excerpts readable.
 */
function isoDateLength(text: string, i: number): number {
  if (i + 10 > text.length) return 0;
  const d = (k: number) => isDigit(text.charCodeAt(i + k));
  if (!(d(0) && d(1) && d(2) && d(3) && text.charCodeAt(i + 4) === CH_DASH && d(5) && d(6))) return 0;
  if (!(text.charCodeAt(i + 7) === CH_DASH && d(8) && d(9))) return 0;
  const year = text.slice(i, i + 2);
  const month = Number(text.slice(i + 5, i + 7));
  const day = Number(text.slice(i + 8, i + 10));
  if ((year !== '19' && year !== '20') || month < 1 || month > 12 || day < 1 || day > 31) return 0;
  // `2020-07-061234567` is not a date followed by text: the date must end at a non-digit.
  return i + 10 < text.length && isDigit(text.charCodeAt(i + 10)) ? 0 : 10;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Length of a UUID (`3fa85f64-5717-4562-b3fc-2c963f66afa6`) starting at `i`, or 0. Bulk job ids are
 * UUIDs and their digit groups would otherwise look like phone numbers.
 */
function uuidLength(text: string, i: number): number {
  if (i + 36 > text.length) return 0;
  if (i > 0 && isAsciiAlnum(text.charCodeAt(i - 1))) return 0;
  for (let k = 0; k < 36; k++) {
    const c = text.charCodeAt(i + k);
    const ok = k === 8 || k === 13 || k === 18 || k === 23 ? c === CH_DASH : isHexDigit(c);
    if (!ok) return 0;
  }
  return i + 36 < text.length && isAsciiAlnum(text.charCodeAt(i + 36)) ? 0 : 36;
}

function phoneSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const skip = isHexDigit(c) ? uuidLength(text, i) || (isDigit(c) ? isoDateLength(text, i) : 0) : 0;
    if (skip) {
      i += skip;
      continue;
    }
    if (!isDigit(c) && c !== CH_PLUS && c !== CH_LPAREN) {
      i++;
      continue;
    }
    // Walk the maximal run of phone characters; the masked span ends at its last digit or `)`.
    let j = i;
    let digits = 0;
    let end = i;
    while (j < n) {
      const cj = text.charCodeAt(j);
      if (!isPhoneRunChar(cj)) break;
      if (isDigit(cj)) {
        digits++;
        end = j + 1;
      } else if (cj === CH_RPAREN && digits > 0) {
        end = j + 1;
      }
      j++;
    }
    if (digits >= MIN_PHONE_DIGITS) {
      spans.push({ start: i, end, mask: PHONE_MASK });
      i = end;
    } else {
      i = Math.max(j, i + 1);
    }
  }
  return spans;
}

/**
 * Masks the union of the spans. Both scanners read the original text, so an address whose domain
 * starts with a phone number (`x@0412 345 678`) is masked as a whole, not half by each.
 */
function applySpans(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let copied = 0;
  let current: { start: number; end: number; mask: string } | undefined;
  for (const span of spans) {
    if (current && span.start <= current.end) {
      current.end = Math.max(current.end, span.end);
      continue;
    }
    if (current) {
      out += text.slice(copied, current.start) + current.mask;
      copied = current.end;
    }
    current = { ...span };
  }
  out += text.slice(copied, current!.start) + current!.mask;
  return out + text.slice(current!.end);
}

/**
 * Masks email addresses and phone-like digit runs (7 or more digits, with optional `+`, spaces,
 * dashes, dots and parentheses) in free text. ISO dates (`2020-07-06`) and UUIDs are left alone.
 *
 * @example redactText('call +61 412 345 678 or mail jo@example.com') // 'call [phone] or mail [email]'
 */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  return applySpans(text, [...emailSpans(text), ...phoneSpans(phoneProbe(text))]);
}

// Digits other than ASCII (full-width, Arabic-Indic...) and separators people also use between digit
// groups (`_`, thin and figure spaces): the phone normaliser reads numbers written with them, so the
// masker must see them as a number too. Not `/`: it would take every day-first date for a phone;
// cells of phone columns are masked whole by the report instead.
const UNUSUAL_PHONE_CHARS = /[_\u2007\u2009\u202f]|\p{Nd}/u;
const UNUSUAL_PHONE_CHARS_ALL = /[_\u2007\u2009\u202f]|\p{Nd}/gu;

/** The text with every decimal digit as `0` and unusual separators as spaces, index for index. */
function phoneProbe(text: string): string {
  if (!UNUSUAL_PHONE_CHARS.test(text)) return text;
  return text.replace(UNUSUAL_PHONE_CHARS_ALL, (ch) => {
    if (ch.length !== 1) return ch; // an astral digit: keep the indexes aligned, leave it as it is
    const c = ch.charCodeAt(0);
    if (c >= CH_0 && c <= CH_9) return ch;
    return /\p{Nd}/u.test(ch) ? '0' : ' ';
  });
}

// Key fragments that mark personal data wherever they appear in a key (`phone1`, `mobilePhone`,
// `emailAddress`, `agentFullName`, ...). Matching is on the lower-cased key.
const PERSONAL_KEY_FRAGMENTS = ['phone', 'email', 'mobile', 'address', 'firstname', 'lastname', 'fullname', 'surname', 'username', 'customername', 'contactname'];
// Keys that are personal only as a whole word: `campaignName` or `listName` are not.
const PERSONAL_KEYS = new Set([
  'name',
  'givenname',
  'familyname',
  'middlename',
  'source',
  'destination',
  'dob',
  'dateofbirth',
  'birthdate',
  'cli',
  'ani',
  'callerid',
  // Custom lead fields are free-form (`name`, `notes`, anything a tenant defines): mask them whole.
  'leaddata',
  'datafields',
]);

/**
 * Whether a JSON key holds personal data (case-insensitive).
 *
 * @example isPersonalDataKey('phoneNumber') // true
 * @example isPersonalDataKey('campaignName') // false
 */
export function isPersonalDataKey(key: string): boolean {
  const k = key.toLowerCase();
  return PERSONAL_KEYS.has(k) || PERSONAL_KEY_FRAGMENTS.some((fragment) => k.includes(fragment));
}

function redactJsonAt(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactString(value, depth);
  // A phone stored as a JSON number has lost its formatting; 9+ digits is longer than ids tend to be.
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 1e8 ? PHONE_MASK : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) return VALUE_MASK;
  if (Array.isArray(value)) return value.map((v) => redactJsonAt(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isPersonalDataKey(key) ? (v === null || v === undefined ? v : VALUE_MASK) : redactJsonAt(v, depth + 1);
  }
  return out;
}

/**
 * Servers echo request bodies as JSON inside a JSON string (`"sent": "{\"leadData\":...}"`): such a
 * string is redacted by key too, or a name under `leadData` would survive as plain text.
 */
function redactString(text: string, depth: number): string {
  const first = text.trimStart().charAt(0);
  if ((first === '{' || first === '[') && depth < MAX_JSON_DEPTH) {
    try {
      return JSON.stringify(redactJsonAt(JSON.parse(text), depth + 1));
    } catch {
      // Not JSON after all: fall through to the text scanners.
    }
  }
  return redactText(text);
}

/**
 * Returns a copy of a JSON value with personal data masked: values under personal-data keys
 * (phone*, email*, names, address, source/destination, custom lead data, ...) become `[redacted]`,
 * other strings go through {@link redactText} (or, when they hold JSON, are redacted as JSON),
 * integers of 9+ digits become `[phone]`.
 * `null` under a personal key stays `null` so "absent" remains visible.
 *
 * @example redactJson({ leadId: 7, phone1: '+61412345678' }) // { leadId: 7, phone1: '[redacted]' }
 */
export function redactJson(value: unknown): unknown {
  return redactJsonAt(value, 0);
}

/**
 * A PII-free excerpt of an HTTP body for errors and logs: parsed and masked as JSON when it is JSON,
 * masked as text otherwise, then cut to `max` characters (an ellipsis marks the cut).
 *
 * @example redactBodyExcerpt('{"error":"bad phone","phone1":"0412345678"}') // '{"error":"bad phone","phone1":"[redacted]"}'
 */
export function redactBodyExcerpt(body: string, max = 500): string {
  const head = body.length > MAX_REDACTION_INPUT ? body.slice(0, MAX_REDACTION_INPUT) : body;
  let text: string;
  try {
    text = JSON.stringify(redactJson(JSON.parse(head)));
  } catch {
    text = redactText(head);
  }
  if (text.length <= max) return text;
  return max <= 1 ? text.slice(0, Math.max(0, max)) : `${text.slice(0, max - 1)}…`;
}

/**
 * Removes every occurrence of a secret (the API key), raw and URL-encoded, from a text.
 * An empty secret leaves the text unchanged.
 *
 * @example removeSecret('echo: Bearer k3y', 'k3y') // 'echo: Bearer [secret]'
 */
export function removeSecret(text: string, secret: string): string {
  if (!secret) return text;
  let out = text.split(secret).join(SECRET_MASK);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join(SECRET_MASK);
  return out;
}
