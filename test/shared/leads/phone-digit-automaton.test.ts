import fc from 'fast-check';
import examples from 'libphonenumber-js/examples.mobile.json';
import type { CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { DEAD_STATE, compileDigitAutomaton, longestDigitMatch } from '../../../shared/leads/phone-digit-automaton';
import { numberingPlan } from '../../../shared/leads/phone-numbering-plan';

function fullMatchMask(patterns: readonly string[], text: string): number {
  return patterns.reduce((mask, pattern, bit) => (new RegExp(`^(?:${pattern})$`).test(text) ? mask | (1 << bit) : mask), 0);
}

function planPatterns(country: CountryCode): string[] {
  const plan = numberingPlan(country);
  return plan ? [plan.sources.national, ...plan.types.map((type) => type.source)] : [];
}

const digitString = (maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength }).map((digits) => digits.join(''));

describe('compileDigitAutomaton', () => {
  it('matches what RegExp matches, pattern by pattern', () => {
    const patterns = ['4\\d{8}', '[2378]\\d{8}', '1(?:3|8)0{2}\\d{6}', '[^0-3]\\d?', '(12)+3*', '5{2,}', '9{1,3}0'];
    const automaton = compileDigitAutomaton(patterns);
    fc.assert(
      fc.property(digitString(12), (text) => {
        expect(automaton?.fullMatches(text, 0)).toBe(fullMatchMask(patterns, text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('compiles the AU plan and types its numbers as the plan’s RegExps do, from any start offset', () => {
    const patterns = planPatterns('AU');
    const automaton = compileDigitAutomaton(patterns);
    const auNumber = fc
      .tuple(fc.constantFrom('', '0', '+61', '61'), fc.constantFrom('4', '2', '3', '7', '8', '13', '1300', '1800', '190', '14', '163', '55'), digitString(9))
      .map(([lead, prefix, rest]) => [lead, prefix + rest] as const);
    fc.assert(
      fc.property(auNumber, ([lead, nsn]) => {
        expect(automaton?.fullMatches(lead.replace('+', '9') + nsn, lead.length)).toBe(fullMatchMask(patterns, nsn));
      }),
      { numRuns: 5_000 },
    );
  });

  it('compiles every country’s plan and agrees with RegExp around its example mobile number', () => {
    for (const [country, example] of Object.entries(examples)) {
      const patterns = planPatterns(country as CountryCode);
      const automaton = compileDigitAutomaton(patterns);
      expect(automaton, country).toBeDefined();
      const variants = [example, example.slice(0, -1), `${example}0`, example.replace(/\d$/, (d) => String((Number(d) + 5) % 10))];
      for (const text of variants) expect(automaton?.fullMatches(text, 0), `${country} ${text}`).toBe(fullMatchMask(patterns, text));
    }
  });

  it('steps digit by digit to the same answer as a whole run, and dies on a digit no pattern allows', () => {
    const automaton = compileDigitAutomaton(['4\\d{2}', '41'])!;
    expect(automaton.accepted(automaton.stateAfter('412', 0, 2))).toBe(0b10);
    expect(automaton.accepted(automaton.next(automaton.stateAfter('412', 0, 2), 2))).toBe(0b01);
    expect(automaton.stateAfter('5', 0, 1)).toBe(DEAD_STATE);
    expect(automaton.next(DEAD_STATE, 4)).toBe(DEAD_STATE);
    expect(automaton.accepted(DEAD_STATE)).toBe(0);
  });

  it('finds prefixes a pattern can match', () => {
    const idd = compileDigitAutomaton(['001[14-689]|14(?:1[14]|34)0011']);
    expect(idd?.matchesSomePrefix('001161412345678', 0)).toBe(true);
    expect(idd?.matchesSomePrefix('0412345678', 0)).toBe(false);
    expect(idd?.matchesSomePrefix('001', 0)).toBe(false);
    expect(idd?.matchesSomePrefix('9001161', 1)).toBe(true);
  });

  it.each(['\\d+$', '(?=4)\\d', '4\\d*?', 'a', '\\s', '[a-z]', '(4', '4{2'])('refuses %j, outside the subset', (pattern) => {
    expect(compileDigitAutomaton([pattern])).toBeUndefined();
  });
});

describe('longestDigitMatch', () => {
  it.each([
    ['(183[12])|0', 4],
    ['001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011', 8],
    ['\\d{2,5}(?:12)?', 7],
    ['4\\d*', Infinity],
    ['4?', 1],
  ])('%j reads at most %d digits', (pattern, longest) => {
    expect(longestDigitMatch(pattern)).toBe(longest);
  });

  it('is undefined outside the subset', () => {
    expect(longestDigitMatch('([59]\\d{7})$|0')).toBeUndefined();
  });
});
