/**
 * The files of a plan, under `maintenance/<planId>/`:
 * - `plan.csv`: one row per lead the plan completes (leadId, listId, campaignId, rule, reason,
 *   leadModified). The reviewed artefact: apply reads it back and checks it against the hash taken
 *   when it was written. No phone numbers, no names.
 * - `findings.csv`: report-only findings (bad phones, bad zones); never acted on.
 * - `summary.json`: counts per list and rule, the caps, whether the plan is within them.
 * - `applied.csv` and `apply.json`, once applied: each planned lead's outcome, and the totals.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { formatCsvRow } from '../csv/csv-writer';
import type { CapBreach } from './caps';
import { ACTION_RULES, type ActionRule, type FindingKind } from './lead-rules';
import type { Caps, ResolvedRules } from './policy';

/** Object keys of one plan. */
export function planKeys(prefix: string, planId: string) {
  const base = `${prefix}${planId}/`;
  return {
    plan: `${base}plan.csv`,
    findings: `${base}findings.csv`,
    summary: `${base}summary.json`,
    applied: `${base}applied.csv`,
    apply: `${base}apply.json`,
  } as const;
}
export type PlanKeys = ReturnType<typeof planKeys>;

/** One lead a plan completes. */
export interface PlanRow {
  readonly leadId: number;
  readonly listId: number;
  readonly campaignId: number | null;
  readonly rule: ActionRule;
  readonly reason: string;
  /** The lead's `timestamps.modified` when planned: apply skips a lead that changed since. */
  readonly leadModified: string;
}

export const PLAN_HEADER = ['leadId', 'listId', 'campaignId', 'rule', 'reason', 'leadModified'] as const;
export const FINDINGS_HEADER = ['leadId', 'listId', 'campaignId', 'finding', 'reason'] as const;
export const APPLIED_HEADER = ['position', 'leadId', 'listId', 'rule', 'outcome', 'reason'] as const;

/** The plan's machine-read files are written without spreadsheet escaping: every cell is an id, a code or a text of ours. */
const CSV = { escapeFormulas: false } as const;

/** plan.csv text for the rows, header first. */
export function formatPlanCsv(rows: readonly PlanRow[]): string {
  let text = formatCsvRow(PLAN_HEADER, CSV);
  for (const r of rows) text += formatCsvRow([r.leadId, r.listId, r.campaignId, r.rule, r.reason, r.leadModified], CSV);
  return text;
}

/** SHA-256 of a text, hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** plan.csv that is not what planning wrote; the message names the line and field. */
export class PlanFileError extends Error {
  override readonly name = 'PlanFileError';
}

const planRowSchema = z.strictObject({
  leadId: z.coerce.number().int().positive(),
  listId: z.coerce.number().int().positive(),
  campaignId: z.string().transform((t, ctx) => {
    if (t === '') return null;
    const n = Number(t);
    if (!Number.isInteger(n) || n <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive whole number or empty' });
      return z.NEVER;
    }
    return n;
  }),
  rule: z.enum(ACTION_RULES),
  reason: z.string(),
  leadModified: z.string(),
});

/**
 * Reads plan.csv back.
 *
 * @throws PlanFileError naming the line and field of the first problem.
 */
export function parsePlanCsv(text: string, key: string): PlanRow[] {
  const records = parse(text, { columns: false, skip_empty_lines: true, relax_column_count: false }) as string[][];
  const [header, ...rows] = records;
  if (!header || header.join(',') !== PLAN_HEADER.join(',')) throw new PlanFileError(`${key} line 1: the header is not ${PLAN_HEADER.join(',')}`);
  return rows.map((cells, i) => {
    const parsed = planRowSchema.safeParse(Object.fromEntries(PLAN_HEADER.map((name, k) => [name, cells[k]])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PlanFileError(`${key} line ${i + 2}, field ${String(issue.path[0] ?? '?')}: ${issue.message}`);
    }
    return parsed.data;
  });
}

/** One report-only finding. */
export interface FindingRow {
  readonly leadId: number;
  readonly listId: number;
  readonly campaignId: number | null;
  readonly finding: FindingKind;
  readonly reason: string;
}

/** findings.csv text. */
export function formatFindingsCsv(rows: readonly FindingRow[]): string {
  let text = formatCsvRow(FINDINGS_HEADER, CSV);
  for (const r of rows) text += formatCsvRow([r.leadId, r.listId, r.campaignId, r.finding, r.reason], CSV);
  return text;
}

/** One list in a plan summary. */
export interface ListSummary {
  readonly listId: number;
  readonly listName: string;
  readonly campaignId: number | null;
  readonly inDialler: boolean;
  /** Why the list was not scanned; null when it was. */
  readonly skipped: 'not-selected' | 'not-in-dialler' | null;
  readonly target: number | null;
  readonly targetName: string | null;
  readonly rules: ResolvedRules | null;
  readonly leadsScanned: number;
  /** Leads ipSCAPE says are open (not completed): the base of the list share cap. */
  readonly activeLeads: number;
  readonly planned: number;
  readonly byRule: Partial<Record<ActionRule, number>>;
  readonly findings: Partial<Record<FindingKind, number>>;
}

/** summary.json of a plan (schema version 1). */
export interface MaintenanceSummary {
  readonly schemaVersion: 1;
  readonly planId: string;
  readonly status: 'planned' | 'over-cap';
  readonly createdAt: string;
  /** After this instant the plan is refused. */
  readonly applyBy: string;
  readonly trigger: 'cli' | 'schedule';
  readonly policySha256: string;
  readonly autoApply: boolean;
  readonly completionsPerSecond: number;
  readonly caps: Caps;
  readonly withinCaps: boolean;
  readonly capBreaches: readonly CapBreach[];
  readonly totals: {
    readonly listsSeen: number;
    readonly listsScanned: number;
    readonly leadsScanned: number;
    readonly activeLeads: number;
    readonly planned: number;
    readonly byRule: Partial<Record<ActionRule, number>>;
    readonly findings: Partial<Record<FindingKind, number>>;
  };
  readonly lists: readonly ListSummary[];
  /** Invocations the walk took (1 unless it was handed over through the queue). */
  readonly planningInvocations: number;
  readonly files: { readonly plan: string; readonly findings: string; readonly summary: string };
  readonly planSha256: string;
}

/** apply.json: what applying the plan did. */
export interface ApplySummary {
  readonly schemaVersion: 1;
  readonly planId: string;
  readonly runId: string;
  readonly status: 'applied' | 'expired';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly invocations: number;
  readonly planned: number;
  readonly completed: number;
  readonly skipped: number;
  /** Planned leads not reached (a plan that expired while applying). */
  readonly notReached: number;
  readonly completedByRule: Partial<Record<ActionRule, number>>;
  readonly skippedByReason: Record<string, number>;
  readonly files: { readonly applied: string; readonly apply: string };
}
