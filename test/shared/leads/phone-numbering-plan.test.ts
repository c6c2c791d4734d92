import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  NATIONAL_PATTERN_BIT,
  allowedAtLength,
  isCallingCode,
  mainCountryForCallingCode,
  numberingPlan,
  numberingPlanAutomaton,
  typeBit,
  typeInPlan,
} from '../../../shared/leads/phone-numbering-plan';

describe('numberingPlan', () => {
  it('compiles the AU plan from the /max metadata', () => {
    const au = numberingPlan('AU');
    expect(au?.callingCode).toBe('61');
    expect(au?.possibleLengths).toContain(9);
    expect(au?.nationalPrefixForParsing?.exec('0412345678')?.[0]).toBe('0');
    expect(au?.iddPrefix.exec('001161412345678')?.[0]).toBe('0011');
    expect(au?.types.map((t) => t.type)).toEqual(['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PAGER']);
  });

  it('caches: one compilation per country', () => {
    expect(numberingPlan('AU')).toBe(numberingPlan('AU'));
  });

  it('knows calling codes and the country that carries their data', () => {
    expect(mainCountryForCallingCode('61')).toBe('AU');
    expect(mainCountryForCallingCode('1')).toBe('US');
    expect(isCallingCode('61')).toBe(true);
    expect(isCallingCode('6')).toBe(false);
  });
});

describe('numberingPlanAutomaton', () => {
  it('types AU numbers with the general pattern in bit 0 and type i in bit i + 1', () => {
    const au = numberingPlan('AU')!;
    const tables = numberingPlanAutomaton(au)!;
    const mobile = au.types.findIndex((t) => t.type === 'MOBILE');
    const matches = tables.automaton.fullMatches('412345678', 0) & allowedAtLength(tables, 9);
    expect(matches).toBe(NATIONAL_PATTERN_BIT | typeBit(mobile));
    expect(allowedAtLength(tables, 99)).toBe(NATIONAL_PATTERN_BIT);
    expect(numberingPlanAutomaton(au)).toBe(tables);
  });
});

describe('typeInPlan', () => {
  // The AU ranges of domain-notes.md, typed as the library types them.
  it.each([
    ['412345678', 'MOBILE'],
    ['298765432', 'FIXED_LINE'],
    ['398765432', 'FIXED_LINE'],
    ['731234567', 'FIXED_LINE'],
    ['881234567', 'FIXED_LINE'],
    ['1300123456', 'SHARED_COST'],
    ['131234', 'SHARED_COST'],
    ['1800123456', 'TOLL_FREE'],
    ['1900123456', 'PREMIUM_RATE'],
    ['163123456', 'PAGER'],
    ['147123456', 'VOIP'],
    ['145123456', undefined],
    ['550123456', undefined],
    ['512345678', undefined],
  ])('AU %s → %s, as libphonenumber says', (nsn, type) => {
    expect(typeInPlan(numberingPlan('AU')!, nsn)).toBe(type);
    const parsed = parsePhoneNumberWithError(`+61${nsn}`);
    expect(parsed.country === 'AU' ? parsed.getType() : undefined).toBe(type);
  });

  it('reports FIXED_LINE_OR_MOBILE where the plan cannot tell them apart', () => {
    expect(typeInPlan(numberingPlan('US')!, '2125550123')).toBe('FIXED_LINE_OR_MOBILE');
  });
});
