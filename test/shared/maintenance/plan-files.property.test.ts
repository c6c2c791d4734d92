/** plan.csv reads back exactly what was written, whatever the reasons and timestamps hold. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_RULES } from '../../../shared/maintenance/lead-rules';
import { formatPlanCsv, parsePlanCsv, PlanFileError, sha256Hex, type PlanRow } from '../../../shared/maintenance/plan-files';

const row: fc.Arbitrary<PlanRow> = fc.record({
  leadId: fc.integer({ min: 1, max: 2 ** 31 }),
  listId: fc.integer({ min: 1, max: 2 ** 31 }),
  campaignId: fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: null }),
  rule: fc.constantFrom(...ACTION_RULES),
  // Reasons are ours, but the file must survive any text: commas, quotes, line breaks, a leading = or -.
  reason: fc.string({ unit: 'grapheme', maxLength: 60 }),
  leadModified: fc.oneof(fc.constant(''), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
});

describe('plan.csv', () => {
  it('round-trips any rows, and its hash changes with any row', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const text = formatPlanCsv(rows);
        expect(parsePlanCsv(text, 'plan.csv')).toEqual(rows);
        if (rows.length) expect(sha256Hex(formatPlanCsv(rows.slice(1)))).not.toBe(sha256Hex(text));
      }),
      { numRuns: 300 },
    );
  });

  it('names the line and field of a row that is not a plan row', () => {
    const text = formatPlanCsv([{ leadId: 1, listId: 2, campaignId: 3, rule: 'stale', reason: 'r', leadModified: '' }]);
    expect(() => parsePlanCsv(`${text}x,2,3,stale,r,\r\n`, 'p.csv')).toThrow(new PlanFileError('p.csv line 3, field leadId: Invalid input: expected number, received NaN'));
    expect(() => parsePlanCsv(`${text}4,2,3,delete-everything,r,\r\n`, 'p.csv')).toThrow(/p\.csv line 3, field rule/);
    expect(() => parsePlanCsv(text.replace('leadId', 'lead'), 'p.csv')).toThrow(/p\.csv line 1: the header is not/);
  });
});
