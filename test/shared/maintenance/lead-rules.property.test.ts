/**
 * evaluateLead against an oracle written from the words, over arbitrary leads and rules:
 * an open lead with a modified time is completed by the first of suppressed, finalOutcome, exhausted,
 * stale that matches; nothing else is ever completed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/ipscape/schemas/leads';
import { evaluateLead } from '../../../shared/maintenance/lead-rules';
import type { ResolvedRules } from '../../../shared/maintenance/policy';

const NOW = Date.parse('2026-11-26T00:00:00Z');
const DAY = 86_400_000;

const arbitraryRules: fc.Arbitrary<ResolvedRules> = fc.record(
  {
    stale: fc.record({ olderThanDays: fc.integer({ min: 1, max: 400 }) }),
    exhausted: fc.record({ maxAttempts: fc.integer({ min: 1, max: 20 }) }),
    finalOutcome: fc.record({ statusCodes: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }) }),
    suppressed: fc.record({ phones: fc.constantFrom('phone1' as const, 'any' as const) }),
  },
  { requiredKeys: [] },
);

const arbitraryLead = fc.record({
  completed: fc.constantFrom(true, false, null),
  ageDays: fc.option(fc.double({ min: 0, max: 800, noNaN: true }), { nil: null }),
  hasModified: fc.boolean(),
  attempts: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  statusCode: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  phoneCount: fc.integer({ min: 0, max: 3 }),
  suppressedIndexes: fc.subarray([1, 2, 3]),
});

describe('evaluateLead', () => {
  it('agrees with the oracle on which rule, if any, completes a lead', () => {
    fc.assert(
      fc.property(arbitraryLead, arbitraryRules, (l, rules) => {
        const phones = Array.from({ length: l.phoneCount }, (_, i) => ({ phone: `+6149157000${i}`, phoneIndex: i + 1 }));
        const lead: Lead = {
          leadId: 1,
          listId: 1,
          completed: l.completed,
          phones,
          lastStatusCode: l.statusCode,
          outcomesInfo: { totalAttempts: l.attempts },
          timestamps: {
            created: l.ageDays === null ? null : new Date(NOW - l.ageDays * DAY).toISOString(),
            modified: l.hasModified ? new Date(NOW - DAY).toISOString() : null,
          },
        };
        const suppressed = new Set(l.suppressedIndexes.filter((i) => i <= l.phoneCount));
        const got = evaluateLead(lead, rules, { nowMs: NOW, suppressedPhoneIndexes: suppressed }).action?.rule;

        let want: string | undefined;
        if (l.completed === false && l.hasModified) {
          const watched = rules.suppressed?.phones === 'phone1' ? [1] : [1, 2, 3];
          if (rules.suppressed && [...suppressed].some((i) => watched.includes(i))) want = 'suppressed';
          else if (rules.finalOutcome && l.statusCode !== null && rules.finalOutcome.statusCodes.includes(l.statusCode)) want = 'finalOutcome';
          else if (rules.exhausted && l.attempts !== null && l.attempts >= rules.exhausted.maxAttempts) want = 'exhausted';
          else if (rules.stale && l.ageDays !== null && l.ageDays * DAY > rules.stale.olderThanDays * DAY) want = 'stale';
        }
        expect(got).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });
});
