/**
 * The rules applied to one lead. Pure: the caller supplies the clock and the suppression answer, so
 * planning and the re-check before completion evaluate a lead the same way.
 *
 * Reasons name ids, counts, codes and phone positions; never a phone number or a name, because they
 * go into plan files and logs.
 */
import type { Lead } from '../ipscape/schemas/leads';
import { parseIpscapeTimestamp } from '../ipscape/schemas/common';
import { normalisePhone } from '../leads/phone';
import { checkTimeZone } from '../leads/time-zone';
import type { ResolvedRules } from './policy';

/** The rules that complete leads, in the order a lead is attributed to them (the first that matches). */
export const ACTION_RULES = ['suppressed', 'finalOutcome', 'exhausted', 'stale'] as const;
export type ActionRule = (typeof ACTION_RULES)[number];

/** What the report-only checks can find. */
export type FindingKind = 'bad-phone' | 'bad-time-zone' | 'unverifiable';

export interface RuleMatch {
  readonly rule: ActionRule;
  readonly reason: string;
}

export interface Finding {
  readonly finding: FindingKind;
  readonly reason: string;
}

export interface LeadEvaluation {
  /** The rule that would complete the lead, if any. */
  readonly action: RuleMatch | undefined;
  readonly findings: readonly Finding[];
}

const DAY_MS = 86_400_000;

/** A phone of a lead: its position (1-3) and the text ipSCAPE holds. */
export interface LeadPhone {
  readonly phoneIndex: number;
  readonly phone: string;
}

/** The lead's phones in position order. */
export function phonesOf(lead: Lead): LeadPhone[] {
  return [...(lead.phones ?? [])].sort((a, b) => a.phoneIndex - b.phoneIndex).map((p) => ({ phoneIndex: p.phoneIndex, phone: p.phone }));
}

/** The phones the suppression rule looks at. */
export function phonesForSuppression(lead: Lead, scope: 'phone1' | 'any'): LeadPhone[] {
  const phones = phonesOf(lead);
  return scope === 'phone1' ? phones.filter((p) => p.phoneIndex === 1) : phones;
}

/**
 * The identifier a phone is looked up by in the suppression list: its E.164 form when it normalises
 * (ipSCAPE may hold legacy spellings), else the text as held.
 */
export function suppressionKeyOf(phone: string): string {
  const normalised = normalisePhone(phone);
  return normalised.ok ? normalised.e164 : phone;
}

/** What evaluation needs besides the lead. */
export interface EvaluationContext {
  /** Now, epoch milliseconds. */
  readonly nowMs: number;
  /** The phone positions of this lead found on the suppression list. */
  readonly suppressedPhoneIndexes: ReadonlySet<number>;
}

/** Age in days (fractional) of the lead's upload, or undefined when ipSCAPE gives no readable creation time. */
export function uploadAgeDays(lead: Lead, nowMs: number): number | undefined {
  const created = lead.timestamps?.created ? parseIpscapeTimestamp(lead.timestamps.created) : undefined;
  return created ? (nowMs - created.getTime()) / DAY_MS : undefined;
}

/** Whether one rule matches a not-completed lead; its reason when it does. */
export function matchRule(rule: ActionRule, lead: Lead, rules: ResolvedRules, context: EvaluationContext): string | undefined {
  switch (rule) {
    case 'suppressed': {
      if (!rules.suppressed) return undefined;
      const hit = phonesForSuppression(lead, rules.suppressed.phones).find((p) => context.suppressedPhoneIndexes.has(p.phoneIndex));
      return hit ? `phone${hit.phoneIndex} is on the suppression list` : undefined;
    }
    case 'finalOutcome': {
      const code = lead.lastStatusCode;
      if (!rules.finalOutcome || code == null || !rules.finalOutcome.statusCodes.includes(code)) return undefined;
      return `last status code ${code} is a final outcome`;
    }
    case 'exhausted': {
      const attempts = lead.outcomesInfo?.totalAttempts;
      if (!rules.exhausted || attempts == null || attempts < rules.exhausted.maxAttempts) return undefined;
      return `${attempts} attempts reached the maximum of ${rules.exhausted.maxAttempts}`;
    }
    case 'stale': {
      if (!rules.stale) return undefined;
      const age = uploadAgeDays(lead, context.nowMs);
      // A lead without a readable upload time is never called stale: no evidence, no action.
      if (age === undefined || age <= rules.stale.olderThanDays) return undefined;
      return `uploaded ${age.toFixed(1)} days ago (more than ${rules.stale.olderThanDays})`;
    }
  }
}

/**
 * Evaluates a lead: the first action rule that matches (none unless the lead is open), and the
 * report-only findings.
 *
 * @example evaluateLead(lead, { exhausted: { maxAttempts: 10 } }, { nowMs: Date.now(), suppressedPhoneIndexes: new Set() })
 */
export function evaluateLead(lead: Lead, rules: ResolvedRules, context: EvaluationContext): LeadEvaluation {
  let action: RuleMatch | undefined;
  // Only a lead ipSCAPE says is open: one whose completion state is not given is never acted on.
  if (lead.completed === false) {
    for (const rule of ACTION_RULES) {
      const reason = matchRule(rule, lead, rules, context);
      if (reason) {
        action = { rule, reason };
        break;
      }
    }
  }
  const findings: Finding[] = [];
  // Apply skips a lead changed since planning by its modified time: without one, a change could not be seen, so no action.
  if (action && !(lead.timestamps?.modified && parseIpscapeTimestamp(lead.timestamps.modified))) {
    findings.push({ finding: 'unverifiable', reason: `${action.rule} matched, but the lead has no modified time to check changes against` });
    action = undefined;
  }
  if (rules.report?.badPhones) {
    for (const p of phonesOf(lead)) {
      const result = normalisePhone(p.phone);
      if (!result.ok) findings.push({ finding: 'bad-phone', reason: `phone${p.phoneIndex}: ${result.reason}` });
      else if (result.e164 !== p.phone) findings.push({ finding: 'bad-phone', reason: `phone${p.phoneIndex}: not-e164` });
    }
  }
  if (rules.report?.badTimeZones) {
    const zone = lead.timezone;
    const check = zone ? checkTimeZone(zone) : ({ ok: false, reason: 'empty' } as const);
    if (!check.ok) findings.push({ finding: 'bad-time-zone', reason: `timezone: ${check.reason}` });
  }
  return { action, findings };
}
