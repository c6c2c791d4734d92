/**
 * A header mapping: where each column of one CSV file goes, compiled once per file from its header
 * row and a resolved profile, then applied to every row by `mapRecord` (see `raw-lead.ts`).
 *
 * Rules, in order:
 * 1. Each header is matched by its spelling (`header-spelling.ts`) against the profile's rules. A
 *    header no rule names goes to `leadData` under its sanitised key (`lead-data-key.ts`).
 * 2. Phone slots are a pool. A column gets the slot its rule names when that slot is free (leftmost
 *    column first); the columns that find their slot taken (`Phone` and `Mobile` both mean phone1) then
 *    take the free slots in order phone1, phone2, phone3. With all three taken, further phone columns
 *    go to `leadData` and the mapping reports `phone-slots-full` (a warning: kept, but not dialled).
 * 3. Any other lead field, and `state`, takes one column: the leftmost one. Every further column for
 *    the same field goes to `leadData` and the mapping reports `duplicate-target`, an error: which of
 *    two customer keys or list ids is meant cannot be guessed, and customerKey is what updates and
 *    dedupe key on. The operator fixes the file or names the column in a profile.
 * 4. `leadData` keys are unique within a file. `state` (kept as `leadData.state`) claims its key first,
 *    then keys named by profiles, then sanitised keys, each in column order. Columns whose key is
 *    taken then get the next free numeric suffix (`notes`, `notes2`, `notes3`), so two `Notes`
 *    columns both survive, and a column headed `Notes 2` keeps `notes2`.
 * So no cell is overwritten by another column's cell, and no column is dropped unless a profile
 * says `ignore`: every column is listed in the facts with where it went.
 *
 * Column names are reported, redacted: a header that holds a phone number or an email address
 * suggests a file without a header row. It is reported as `header-looks-like-data` (an error) with
 * the value masked, and its key is `column<N>` rather than one spelled from the value.
 */
import { redactText } from '../privacy/redact';
import { headerSpelling } from './header-spelling';
import { MAX_LEAD_DATA_KEY_LENGTH, sanitiseLeadDataKey } from './lead-data-key';
import type { ResolvedProfile } from './mapping-profile-registry';
import { LEAD_DATA_PREFIX, type LeadField, type MappingTarget, PHONE_FIELDS, type PhoneField } from './mapping-profile';

/** What `mapRecord` does with a column's cells. */
export const ColumnKind = {
  /** Dropped: the profile says `ignore`. */
  Ignore: 0,
  /** Into a create-lead field; the plan's name is the field. */
  Field: 1,
  /** Into `leadData`; the plan's name is the key. */
  LeadData: 2,
  /** Into `state` and into `leadData` under the plan's name. */
  State: 3,
} as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** The per-row plan: parallel arrays indexed by column, so mapping a row is one tight loop. */
export interface ColumnPlan {
  readonly kinds: Uint8Array;
  readonly names: readonly string[];
}

/** Where one column went, for the file's report. Names columns, never cell values. */
export interface ColumnFact {
  /** 0-based column index. */
  readonly index: number;
  /** The header as written, with phone numbers and email addresses masked, at most 200 characters. */
  readonly header: string;
  /** Where the cells go. */
  readonly target: MappingTarget;
  /** What the matching rule (or, with no rule, the sanitised key) asked for; differs when moved. */
  readonly requested: MappingTarget;
  /** The profile whose rule matched (`default` or a named profile), or null when none did. */
  readonly rule: string | null;
}

/** A target one column at most may fill. */
export type SingleField = Exclude<LeadField, PhoneField> | 'state';

/** A problem with a file's header; `error` means the file must not be ingested with this mapping. */
export type MappingProblem =
  | {
      readonly code: 'duplicate-target';
      readonly severity: 'error';
      readonly target: SingleField;
      /** Every column that asked for the target, the one that got it first. */
      readonly columns: readonly number[];
    }
  | { readonly code: 'phone-slots-full'; readonly severity: 'warning'; readonly columns: readonly number[] }
  | { readonly code: 'header-looks-like-data'; readonly severity: 'error'; readonly columns: readonly number[] };

/** A compiled header mapping. */
export interface HeaderMapping {
  /** The resolved profile's name. */
  readonly profile: string;
  /** The number of header columns. */
  readonly width: number;
  readonly columns: readonly ColumnFact[];
  readonly problems: readonly MappingProblem[];
  /** The profile's defaults (list id, time zone, phone region) for the normalising stage. */
  readonly defaults: ResolvedProfile['defaults'];
  readonly plan: ColumnPlan;
}

const MAX_REPORTED_HEADER = 200;
// As much of a header as sanitising reads (see lead-data-key.ts).
const MAX_EXAMINED_HEADER = 1024;
const PHONE_SET: ReadonlySet<string> = new Set<string>(PHONE_FIELDS);

/**
 * Compiles a file's header row against a resolved profile. Pure, and linear in the header width.
 *
 * @example
 * const mapping = compileHeaderMapping(['Mobile', 'Phone', 'Notes'], resolveProfile('default', registry));
 * mapping.columns.map((c) => c.target) // ['phone1', 'phone2', 'leadData.notes']
 */
export function compileHeaderMapping(header: readonly string[], profile: ResolvedProfile): HeaderMapping {
  const width = header.length;
  const requests: Request[] = [];
  const looksLikeData: number[] = [];
  const shownHeaders: string[] = [];
  for (let i = 0; i < width; i++) {
    const text = header[i] ?? '';
    const head = text.slice(0, MAX_EXAMINED_HEADER);
    const shown = redactText(head);
    const isData = shown !== head;
    if (isData) looksLikeData.push(i);
    shownHeaders.push(shown.slice(0, MAX_REPORTED_HEADER));
    // A key spelled from a phone number would carry its digits into every lead and report.
    const fallbackKey = sanitiseLeadDataKey(isData ? '' : text, i + 1);
    const rule = profile.rules.get(headerSpelling(text));
    requests.push({
      target: rule ? rule.target : `${LEAD_DATA_PREFIX}${fallbackKey}`,
      rule: rule ? rule.from : null,
      fallbackKey,
    });
  }

  const targets = new Array<MappingTarget | undefined>(width);
  const { owners, phonesFull } = assignFields(requests, targets);
  assignKeys(requests, targets, owners.has('state'));

  const problems: MappingProblem[] = [];
  for (const [target, columns] of owners) {
    if (columns.length > 1) {
      problems.push({ code: 'duplicate-target', severity: 'error', target: target as SingleField, columns });
    }
  }
  if (phonesFull.length > 0) problems.push({ code: 'phone-slots-full', severity: 'warning', columns: phonesFull });
  if (looksLikeData.length > 0) problems.push({ code: 'header-looks-like-data', severity: 'error', columns: looksLikeData });

  const columns = requests.map(
    (request, i): ColumnFact => ({
      index: i,
      header: shownHeaders[i]!,
      target: targets[i]!,
      requested: request.target,
      rule: request.rule,
    }),
  );
  return { profile: profile.name, width, columns, problems, defaults: profile.defaults, plan: planOf(targets as MappingTarget[]) };
}

/**
 * Whether a mapping has a problem of severity `error`.
 *
 * @example hasMappingErrors(compileHeaderMapping(['Customer ID', 'Account Number'], profile)) // true
 */
export function hasMappingErrors(mapping: HeaderMapping): boolean {
  return mapping.problems.some((p) => p.severity === 'error');
}

// The next free numeric suffix, cut so the key stays within the length limit.
function numberedKey(key: string, used: Set<string>): string {
  let candidate = key;
  for (let n = 2; used.has(candidate); n++) {
    const suffix = String(n);
    candidate = key.slice(0, MAX_LEAD_DATA_KEY_LENGTH - suffix.length) + suffix;
  }
  used.add(candidate);
  return candidate;
}

/** What a column's rule (or, with no rule, its sanitised key) asks for. */
interface Request {
  readonly target: MappingTarget;
  readonly rule: string | null;
  readonly fallbackKey: string;
}

// Rules 2 and 3: lead fields and state. Fills `targets` for the columns that get one, and for
// ignored columns; the others are left for keys. `owners` lists each field's claimants in order.
function assignFields(
  requests: readonly Request[],
  targets: Array<MappingTarget | undefined>,
): { owners: Map<MappingTarget, number[]>; phonesFull: number[] } {
  const owners = new Map<MappingTarget, number[]>();
  const waitingForPhone: number[] = [];
  requests.forEach(({ target }, i) => {
    if (target === 'ignore') {
      targets[i] = 'ignore';
      return;
    }
    if (target.startsWith(LEAD_DATA_PREFIX)) return;
    const claimants = owners.get(target);
    if (!claimants) {
      owners.set(target, [i]);
      targets[i] = target;
    } else if (PHONE_SET.has(target)) {
      waitingForPhone.push(i);
    } else {
      claimants.push(i);
    }
  });
  const phonesFull: number[] = [];
  for (const i of waitingForPhone) {
    const free = PHONE_FIELDS.find((slot) => !owners.has(slot));
    if (free) {
      owners.set(free, [i]);
      targets[i] = free;
    } else {
      phonesFull.push(i);
    }
  }
  return { owners, phonesFull };
}

// Rule 4: every column still without a target gets a unique leadData key. Every column that can
// have its key as wanted gets it before any is numbered, so a column headed `Notes 2` keeps `notes2`.
function assignKeys(requests: readonly Request[], targets: Array<MappingTarget | undefined>, hasState: boolean): void {
  const used = new Set<string>(hasState ? ['state'] : []);
  const named = (i: number) => requests[i]!.rule !== null && requests[i]!.target.startsWith(LEAD_DATA_PREFIX);
  const wanted: Array<{ column: number; key: string }> = [];
  for (let i = 0; i < requests.length; i++) {
    if (targets[i] === undefined && named(i)) {
      wanted.push({ column: i, key: requests[i]!.target.slice(LEAD_DATA_PREFIX.length) });
    }
  }
  for (let i = 0; i < requests.length; i++) {
    if (targets[i] === undefined && !named(i)) wanted.push({ column: i, key: requests[i]!.fallbackKey });
  }
  const toNumber: typeof wanted = [];
  for (const w of wanted) {
    if (used.has(w.key)) {
      toNumber.push(w);
    } else {
      used.add(w.key);
      targets[w.column] = `${LEAD_DATA_PREFIX}${w.key}`;
    }
  }
  for (const { column, key } of toNumber) targets[column] = `${LEAD_DATA_PREFIX}${numberedKey(key, used)}`;
}

function planOf(targets: readonly MappingTarget[]): ColumnPlan {
  const kinds = new Uint8Array(targets.length);
  const names = targets.map((target, i) => {
    if (target === 'ignore') {
      kinds[i] = ColumnKind.Ignore;
      return '';
    }
    if (target === 'state') {
      kinds[i] = ColumnKind.State;
      return 'state';
    }
    if (target.startsWith(LEAD_DATA_PREFIX)) {
      kinds[i] = ColumnKind.LeadData;
      return target.slice(LEAD_DATA_PREFIX.length);
    }
    kinds[i] = ColumnKind.Field;
    return target;
  });
  return { kinds, names };
}
