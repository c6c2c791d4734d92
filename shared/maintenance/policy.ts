/**
 * The maintenance policy: which lists are cleaned, by which rules, under which caps. A JSON document
 * validated here (unknown keys rejected everywhere, so a misspelt rule is an error, never a rule
 * silently off). Every rule is optional; a policy with none only reports.
 *
 * Completing a lead in ipSCAPE cannot be undone, so every default is the careful one: caps are low,
 * plans expire after a day, lists outside the dialler are left alone and nothing is applied without
 * an operator unless the policy says `autoApply`.
 */
import { z } from 'zod';

/** Default caps: at most this many leads per plan, and at most this share of any one list's active leads. */
export const DEFAULT_CAPS = { maxLeadsPerPlan: 200, maxShareOfList: 0.1 } as const;
/** A plan not applied within this many hours is refused. */
export const DEFAULT_PLAN_EXPIRY_HOURS = 24;
/** Completions per second when applying (each is one update-lead request), on top of the tenant's limit. */
export const DEFAULT_COMPLETIONS_PER_SECOND = 2;

const id = z.int().positive();

/** The rules, each optional; in a target, `null` turns a default rule off for that target's lists. */
export const rulesSchema = z.strictObject({
  /** Complete leads uploaded more than `olderThanDays` days ago and not completed. */
  stale: z.strictObject({ olderThanDays: z.int().min(1).max(3650) }).nullish(),
  /** Complete leads whose `outcomesInfo.totalAttempts` reached `maxAttempts`. */
  exhausted: z.strictObject({ maxAttempts: z.int().min(1).max(1000) }).nullish(),
  /** Complete leads whose last status code is one of `statusCodes`. */
  finalOutcome: z.strictObject({ statusCodes: z.array(z.int()).min(1).max(500) }).nullish(),
  /** Complete leads whose phone1 (`phone1`) or any phone (`any`) is on the suppression list. */
  suppressed: z.strictObject({ phones: z.enum(['phone1', 'any']).default('any') }).nullish(),
  /** Report (never act on) phones that no longer normalise to a dialable E.164 number, and invalid IANA zones. */
  report: z.strictObject({ badPhones: z.boolean().default(true), badTimeZones: z.boolean().default(true) }).nullish(),
});
export type RulesInput = z.input<typeof rulesSchema>;

const listNamePattern = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  );

/**
 * A set of lists and the rules for them. A list is selected when it matches every selector given
 * (campaign, list id, name pattern); `allLists: true` selects every list. The first target that
 * selects a list decides its rules.
 */
export const targetSchema = z
  .strictObject({
    /** A label for the summary. */
    name: z.string().min(1).max(64).optional(),
    campaignIds: z.array(id).min(1).max(1000).optional(),
    listIds: z.array(id).min(1).max(10000).optional(),
    /** A JavaScript regular expression tested against the list name (case-sensitive unless it says otherwise). */
    listNamePattern: listNamePattern.optional(),
    allLists: z.literal(true).optional(),
    /** Lists with `inDialler: false` are skipped unless this is true. */
    includeNotInDialler: z.boolean().default(false),
    /** Rules for these lists, each replacing the default of the same name (null: off here). */
    rules: rulesSchema.default({}),
  })
  .refine((t) => t.campaignIds || t.listIds || t.listNamePattern || t.allLists, {
    message: 'name at least one selector: campaignIds, listIds, listNamePattern or allLists: true',
  });

export const capsSchema = z.strictObject({
  /** The most leads one plan may complete. A plan over it is not applied at all. */
  maxLeadsPerPlan: z.int().min(1).max(100_000).default(DEFAULT_CAPS.maxLeadsPerPlan),
  /** The largest share (0-1] of one list's active (not completed) leads a plan may complete. */
  maxShareOfList: z.number().gt(0).max(1).default(DEFAULT_CAPS.maxShareOfList),
});

export const maintenancePolicySchema = z.strictObject({
  version: z.literal(1),
  /** Rules for every selected list, unless its target replaces them. */
  defaults: z.strictObject({ rules: rulesSchema.default({}) }).default({ rules: {} }),
  targets: z.array(targetSchema).min(1).max(100),
  caps: capsSchema.default(capsSchema.parse({})),
  /** Hours after planning that a plan may still be applied. */
  planExpiryHours: z.number().min(0.01).max(168).default(DEFAULT_PLAN_EXPIRY_HOURS),
  /** The schedule may apply its own plan when it is within the caps; otherwise plans wait for an operator. */
  autoApply: z.boolean().default(false),
  completionsPerSecond: z.number().gt(0).max(50).default(DEFAULT_COMPLETIONS_PER_SECOND),
});
export type MaintenancePolicy = z.output<typeof maintenancePolicySchema>;
export type MaintenancePolicyInput = z.input<typeof maintenancePolicySchema>;
export type MaintenanceTarget = z.output<typeof targetSchema>;
export type Caps = z.output<typeof capsSchema>;

/** The rules in force for one list: defaults with its target's replacements, disabled rules removed. */
export interface ResolvedRules {
  readonly stale?: { readonly olderThanDays: number };
  readonly exhausted?: { readonly maxAttempts: number };
  readonly finalOutcome?: { readonly statusCodes: readonly number[] };
  readonly suppressed?: { readonly phones: 'phone1' | 'any' };
  readonly report?: { readonly badPhones: boolean; readonly badTimeZones: boolean };
}

/** A policy document that cannot be used; `issues` has one line per problem, naming its path. */
export class MaintenancePolicyError extends Error {
  override readonly name = 'MaintenancePolicyError';
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`${source}: invalid maintenance policy:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

/**
 * Validates a parsed policy document.
 *
 * @param source - where it came from (a file name, a variable), for the error.
 * @example parseMaintenancePolicy({ version: 1, targets: [{ listIds: [3], rules: { stale: { olderThanDays: 180 } } }] }, 'policy.json')
 * @throws MaintenancePolicyError naming every bad field (paths and reasons, never values).
 */
export function parseMaintenancePolicy(document: unknown, source: string): MaintenancePolicy {
  const parsed = maintenancePolicySchema.safeParse(document);
  if (!parsed.success) {
    throw new MaintenancePolicyError(
      source,
      parsed.error.issues.map((i) => {
        const path = i.path.join('.') || '(document)';
        const keys = i.code === 'unrecognized_keys' ? `: unknown key(s) ${i.keys.join(', ')}` : `: ${i.message}`;
        return `${path}${keys}`;
      }),
    );
  }
  return parsed.data;
}

/**
 * Parses policy JSON text.
 *
 * @throws MaintenancePolicyError when the text is not JSON (without quoting it) or not a valid policy.
 */
export function parseMaintenancePolicyText(text: string, source: string): MaintenancePolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new MaintenancePolicyError(source, ['is not valid JSON']);
  }
  return parseMaintenancePolicy(document, source);
}

/** Merges a target's rules onto the defaults: a key the target names (even null) replaces the default's. */
export function resolveRules(defaults: z.output<typeof rulesSchema>, target: z.output<typeof rulesSchema>): ResolvedRules {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(rulesSchema.shape) as (keyof ResolvedRules)[]) {
    const value = key in target ? target[key] : defaults[key];
    if (value != null) out[key] = value;
  }
  return out as ResolvedRules;
}

/** Whether resolved rules would act on anything (report-only rules do not). */
export function hasActionRules(rules: ResolvedRules): boolean {
  return Boolean(rules.stale || rules.exhausted || rules.finalOutcome || rules.suppressed);
}
