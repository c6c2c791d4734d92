/**
 * A mapping profile: which CSV header goes to which create-lead field, as a JSON document.
 *
 * ```json
 * {
 *   "name": "acme-renewals",
 *   "description": "Renewals export from the Acme CRM",
 *   "columns": { "Mobile No": "phone1", "Policy": "customerKey", "Policy Type": "leadData.policyType" },
 *   "defaults": { "listId": 1042, "timezone": "Australia/Sydney", "region": "AU" },
 *   "ignore": ["Internal Notes"],
 *   "leadDataKeys": "sanitise"
 * }
 * ```
 *
 * Header spellings match case-, space-, underscore- and dash-insensitively (see `header-spelling.ts`).
 * A named profile extends the default profile (see `mapping-profile-registry.ts`).
 */
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { headerSpelling } from './header-spelling';
import { EXPLICIT_LEAD_DATA_KEY, isReservedLeadDataKey } from './lead-data-key';

/** The create-lead fields a column can fill, apart from `leadData`. */
export const LEAD_FIELDS = [
  'listId',
  'customerKey',
  'timezone',
  'phone1',
  'phone2',
  'phone3',
  'nextAttemptTimestamp',
  'statusCode',
  'agentId',
] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

/** The phone slots, in dialling order. */
export const PHONE_FIELDS = ['phone1', 'phone2', 'phone3'] as const;
export type PhoneField = (typeof PHONE_FIELDS)[number];

/** The prefix of a target naming a custom field. */
export const LEAD_DATA_PREFIX = 'leadData.';

/**
 * Where a column goes: a create-lead field, a custom field (`leadData.<key>`), `state` (an Australian
 * state the time zone is derived from; also kept as `leadData.state`) or `ignore` (dropped, and said so
 * in the mapping facts).
 */
export type MappingTarget = LeadField | 'state' | 'ignore' | `leadData.${string}`;

const FIELD_SET: ReadonlySet<string> = new Set<string>(LEAD_FIELDS);
const TARGET_HELP = `must be one of ${LEAD_FIELDS.join(', ')}, state, ignore, or leadData.<key>`;
const MAX_HEADER_LENGTH = 200;
const MAX_COLUMNS = 1000;

/**
 * Whether a string is a valid {@link MappingTarget}; a `leadData` key must be a letter then letters,
 * digits or underscores (at most 64), and not a reserved name such as `constructor`.
 *
 * @example isMappingTarget('leadData.policyType') // true
 * @example isMappingTarget('leadData.__proto__') // false
 */
export function isMappingTarget(value: string): value is MappingTarget {
  if (FIELD_SET.has(value) || value === 'state' || value === 'ignore') return true;
  if (!value.startsWith(LEAD_DATA_PREFIX)) return false;
  const key = value.slice(LEAD_DATA_PREFIX.length);
  return EXPLICIT_LEAD_DATA_KEY.test(key) && !isReservedLeadDataKey(key);
}

function targetMessage(value: unknown): string {
  if (typeof value === 'string' && value.startsWith(LEAD_DATA_PREFIX)) {
    const key = value.slice(LEAD_DATA_PREFIX.length);
    if (isReservedLeadDataKey(key)) return `leadData key "${key}" is reserved`;
    return 'leadData key must be a letter then letters, digits or underscores, at most 64 characters';
  }
  return TARGET_HELP;
}

const targetSchema = z.custom<MappingTarget>((v) => typeof v === 'string' && isMappingTarget(v), {
  error: (issue) => targetMessage(issue.input),
});

const headerSchema = z
  .string()
  .max(MAX_HEADER_LENGTH, `must be at most ${MAX_HEADER_LENGTH} characters`)
  .refine((h) => headerSpelling(h) !== '', 'must contain something other than spaces, underscores and dashes');

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-AU', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** The zod schema of a profile document; prefer {@link parseMappingProfile} for its error messages. */
export const mappingProfileSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lower-case letters, digits or dashes, not starting with a dash'),
    description: z.string().max(500, 'must be at most 500 characters').optional(),
    columns: z.record(headerSchema, targetSchema).refine((c) => Object.keys(c).length <= MAX_COLUMNS, {
      message: `must map at most ${MAX_COLUMNS} headers`,
    }),
    defaults: z
      .strictObject({
        listId: z.number().int('must be an integer').positive('must be positive').optional(),
        timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Australia/Sydney').optional(),
        region: z
          .string()
          .refine((r) => /^[A-Z]{2}$/.test(r) && isSupportedCountry(r), 'must be a two-letter region code such as AU')
          .optional(),
      })
      .optional(),
    ignore: z.array(headerSchema).max(MAX_COLUMNS, `must list at most ${MAX_COLUMNS} headers`).optional(),
    // The one policy today; a named field keeps room for another without a new document shape.
    leadDataKeys: z.literal('sanitise', 'must be "sanitise"').optional(),
  })
  .superRefine((profile, ctx) => {
    // Two spellings of one header with different meanings would make the profile order-dependent.
    const seen = new Map<string, { header: string; target: MappingTarget }>();
    const claim = (header: string, target: MappingTarget, path: PropertyKey[]) => {
      const spelling = headerSpelling(header);
      const earlier = seen.get(spelling);
      if (earlier && earlier.target !== target) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `is the same header as "${earlier.header}" (${earlier.target}) but maps to ${target}`,
        });
      }
      if (!earlier) seen.set(spelling, { header, target });
    };
    for (const [header, target] of Object.entries(profile.columns)) claim(header, target, ['columns', header]);
    (profile.ignore ?? []).forEach((header, i) => claim(header, 'ignore', ['ignore', i]));
  });

/** A validated mapping profile document. */
export type MappingProfile = z.output<typeof mappingProfileSchema>;

/** A profile document that cannot be used; `problems` has one line per bad field. */
export class MappingProfileError extends Error {
  override readonly name = 'MappingProfileError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid mapping profile:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates a profile document (parsed JSON).
 *
 * @throws MappingProfileError naming every bad field at once, e.g. `columns.Mobile: must be one of ...`.
 * @example parseMappingProfile({ name: 'crm', columns: { 'Mobile No': 'phone1' } }).columns // { 'Mobile No': 'phone1' }
 */
export function parseMappingProfile(document: unknown): MappingProfile {
  const problems: string[] = [];
  // zod's record parse skips an own `__proto__` key without an issue; say so rather than drop it.
  const columns = (document as { columns?: unknown } | null)?.columns;
  if (columns !== null && typeof columns === 'object' && Object.hasOwn(columns, '__proto__')) {
    problems.push('columns.__proto__: is not a header a profile may map');
  }
  const parsed = mappingProfileSchema.safeParse(document);
  if (parsed.success && problems.length === 0) return parsed.data;
  for (const issue of parsed.error?.issues ?? []) problems.push(...describeIssue(document, issue));
  throw new MappingProfileError(problems);
}

function describeIssue(document: unknown, issue: z.core.$ZodIssue): string[] {
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(document)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${at([...issue.path, key])}: is not a profile field`);
    case 'invalid_key':
      return [`${at(issue.path)}: ${issue.issues[0]?.message ?? issue.message}`];
    case 'invalid_type':
      return [`${at(issue.path)}: ${valueAt(document, issue.path) === undefined ? 'is missing' : issue.message}`];
    default:
      return [`${at(issue.path)}: ${issue.message}`];
  }
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
