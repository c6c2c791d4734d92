import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/ipscape/schemas/leads';
import { capBreaches, describeBreach } from '../../../shared/maintenance/caps';
import { evaluateLead } from '../../../shared/maintenance/lead-rules';
import type { ResolvedRules } from '../../../shared/maintenance/policy';

const NOW = Date.parse('2026-11-26T00:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function lead(overrides: Partial<Lead> = {}): Lead {
  return {
    leadId: 1,
    listId: 7,
    completed: false,
    timezone: 'Australia/Sydney',
    lastStatusCode: 3,
    phones: [{ phone: '+61491570156', phoneIndex: 1, completed: false }],
    outcomesInfo: { totalAttempts: 1 },
    ...overrides,
    // A test gives the times it is about; the others keep their defaults.
    timestamps: { created: iso(NOW - 10 * DAY), modified: iso(NOW - 10 * DAY), ...overrides.timestamps },
  };
}

const all: ResolvedRules = {
  stale: { olderThanDays: 180 },
  exhausted: { maxAttempts: 8 },
  finalOutcome: { statusCodes: [26, 28] },
  suppressed: { phones: 'any' },
  report: { badPhones: true, badTimeZones: true },
};
const none = { nowMs: NOW, suppressedPhoneIndexes: new Set<number>() };

describe('evaluateLead', () => {
  it('matches each rule on its own, with reasons that hold no phone number', () => {
    expect(evaluateLead(lead({ timestamps: { created: iso(NOW - 181 * DAY) } }), all, none).action).toEqual({
      rule: 'stale',
      reason: 'uploaded 181.0 days ago (more than 180)',
    });
    expect(evaluateLead(lead({ outcomesInfo: { totalAttempts: 8 } }), all, none).action).toEqual({ rule: 'exhausted', reason: '8 attempts reached the maximum of 8' });
    expect(evaluateLead(lead({ lastStatusCode: 26 }), all, none).action).toEqual({ rule: 'finalOutcome', reason: 'last status code 26 is a final outcome' });
    expect(evaluateLead(lead(), all, { nowMs: NOW, suppressedPhoneIndexes: new Set([1]) }).action).toEqual({
      rule: 'suppressed',
      reason: 'phone1 is on the suppression list',
    });
    expect(evaluateLead(lead(), all, none)).toEqual({ action: undefined, findings: [] });
  });

  it('is exact at the edges: 180 days is not more than 180, 7 attempts are not 8', () => {
    expect(evaluateLead(lead({ timestamps: { created: iso(NOW - 180 * DAY) } }), all, none).action).toBeUndefined();
    expect(evaluateLead(lead({ timestamps: { created: iso(NOW - 180 * DAY - 1) } }), all, none).action?.rule).toBe('stale');
    expect(evaluateLead(lead({ outcomesInfo: { totalAttempts: 7 } }), all, none).action).toBeUndefined();
  });

  it('attributes a lead matching several rules to the first of suppressed, finalOutcome, exhausted, stale', () => {
    const everything = lead({ lastStatusCode: 28, outcomesInfo: { totalAttempts: 20 }, timestamps: { created: iso(NOW - 400 * DAY) } });
    expect(evaluateLead(everything, all, { nowMs: NOW, suppressedPhoneIndexes: new Set([1]) }).action?.rule).toBe('suppressed');
    expect(evaluateLead(everything, all, none).action?.rule).toBe('finalOutcome');
    expect(evaluateLead(everything, { ...all, finalOutcome: undefined }, none).action?.rule).toBe('exhausted');
    expect(evaluateLead(everything, { stale: all.stale }, none).action?.rule).toBe('stale');
  });

  it('never acts on a completed lead, or one whose completion state is not given, or without evidence', () => {
    const stale = { timestamps: { created: iso(NOW - 400 * DAY) } };
    expect(evaluateLead(lead({ ...stale, completed: true }), all, none).action).toBeUndefined();
    expect(evaluateLead(lead({ ...stale, completed: null }), all, none).action).toBeUndefined();
    expect(evaluateLead(lead({ timestamps: { created: 'last year' } }), all, none).action).toBeUndefined();
    expect(evaluateLead(lead({ outcomesInfo: null }), { exhausted: { maxAttempts: 1 } }, none).action).toBeUndefined();
  });

  it('does not plan a lead without a modified time (a change since planning could not be seen), and says so', () => {
    const evaluation = evaluateLead(lead({ timestamps: { created: iso(NOW - 400 * DAY), modified: null } }), all, none);
    expect(evaluation).toEqual({
      action: undefined,
      findings: [{ finding: 'unverifiable', reason: 'stale matched, but the lead has no modified time to check changes against' }],
    });
  });

  it('suppression on phone1 only ignores the other phones', () => {
    const twoPhones = lead({ phones: [{ phone: '+61491570156', phoneIndex: 1 }, { phone: '+61491570157', phoneIndex: 2 }] });
    const phone2 = { nowMs: NOW, suppressedPhoneIndexes: new Set([2]) };
    expect(evaluateLead(twoPhones, { suppressed: { phones: 'phone1' } }, phone2).action).toBeUndefined();
    expect(evaluateLead(twoPhones, { suppressed: { phones: 'any' } }, phone2).action?.reason).toBe('phone2 is on the suppression list');
  });

  it('reports phones that no longer normalise and zones that are not IANA, without acting on them', () => {
    const bad = lead({
      timezone: 'AEST',
      phones: [
        { phone: '1300 123 456', phoneIndex: 1 },
        { phone: '0491570156', phoneIndex: 2 },
        { phone: '+6149157', phoneIndex: 3 },
      ],
    });
    const evaluation = evaluateLead(bad, all, none);
    expect(evaluation.action).toBeUndefined();
    expect(evaluation.findings).toEqual([
      { finding: 'bad-phone', reason: 'phone1: not-dialable' },
      { finding: 'bad-phone', reason: 'phone2: not-e164' },
      { finding: 'bad-phone', reason: 'phone3: invalid' },
      { finding: 'bad-time-zone', reason: 'timezone: abbreviation' },
    ]);
    expect(JSON.stringify(evaluation)).not.toMatch(/1300|0491|6149/);
    expect(evaluateLead(bad, { ...all, report: { badPhones: false, badTimeZones: false } }, none).findings).toEqual([]);
  });
});

describe('capBreaches', () => {
  const caps = { maxLeadsPerPlan: 5, maxShareOfList: 0.1 };
  it('allows exactly the cap in whole leads, and names every cap exceeded', () => {
    expect(capBreaches({ planned: 5, lists: [{ listId: 1, planned: 3, active: 30 }, { listId: 2, planned: 2, active: 20 }] }, caps)).toEqual([]);
    const breaches = capBreaches({ planned: 6, lists: [{ listId: 1, planned: 4, active: 30 }, { listId: 2, planned: 2, active: 20 }] }, caps);
    expect(breaches).toEqual([
      { cap: 'maxLeadsPerPlan', limit: 5, planned: 6 },
      { cap: 'maxShareOfList', limit: 0.1, listId: 1, planned: 4, active: 30, share: 0.1333 },
    ]);
    expect(breaches.map(describeBreach)).toEqual([
      'maxLeadsPerPlan: 6 leads planned, the cap is 5',
      'maxShareOfList: list 1 would lose 4 of its 30 open leads (13.3 %), the cap is 10.0 %',
    ]);
  });

  it('lets no lead go from a list too small for the share to allow one', () => {
    expect(capBreaches({ planned: 1, lists: [{ listId: 3, planned: 1, active: 9 }] }, caps)).toHaveLength(1);
    expect(capBreaches({ planned: 1, lists: [{ listId: 3, planned: 1, active: 10 }] }, caps)).toEqual([]);
  });
});
