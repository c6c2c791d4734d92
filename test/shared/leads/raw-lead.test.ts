import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileHeaderMapping, type HeaderMapping } from '../../../shared/leads/header-mapping';
import { parseMappingProfile } from '../../../shared/leads/mapping-profile';
import { createProfileRegistry, resolveProfile } from '../../../shared/leads/mapping-profile-registry';
import { type RawLead, mapRecord } from '../../../shared/leads/raw-lead';

const registry = createProfileRegistry([
  parseMappingProfile({ name: 'crm', columns: { Secret: 'ignore', Region: 'leadData.state', Ref: 'leadData.toString_' } }),
]);
const byDefault = resolveProfile(undefined, registry);
const crm = resolveProfile('crm', registry);

describe('mapRecord', () => {
  const mapping = compileHeaderMapping(
    ['First Name', 'Mobile', 'Home Phone', 'Email', 'State', 'Customer ID', 'Notes', 'Notes', 'Callback Time'],
    byDefault,
  );

  it('places trimmed cells and leaves blank ones out', () => {
    const { lead, problems } = mapRecord(mapping, [
      ' Jo ',
      '0412 345 678',
      '',
      'jo@example.com\t',
      'NSW',
      'C-1',
      'first',
      '  ',
      '2026-01-02T09:00:00',
    ]);
    expect(lead).toEqual({
      phone1: '0412 345 678',
      customerKey: 'C-1',
      state: 'NSW',
      nextAttemptTimestamp: '2026-01-02T09:00:00',
      leadData: { firstName: 'Jo', email: 'jo@example.com', state: 'NSW', notes: 'first' },
    });
    expect(problems).toEqual([]);
    expect('phone2' in lead).toBe(false);
    expect(Object.getPrototypeOf(lead.leadData)).toBeNull();
  });

  it('keeps both of two same-named columns', () => {
    const { lead } = mapRecord(mapping, ['', '', '', '', '', '', 'a', 'b', '']);
    expect(lead.leadData).toEqual({ notes: 'a', notes2: 'b' });
  });

  it('drops ignored columns', () => {
    const { lead } = mapRecord(compileHeaderMapping(['Secret', 'Mobile'], crm), ['s3cret', '0412345678']);
    expect(lead).toEqual({ phone1: '0412345678', leadData: {} });
  });

  it('keeps a state column and a leadData.state column apart', () => {
    const { lead } = mapRecord(compileHeaderMapping(['Region', 'State'], crm), ['Sydney', 'NSW']);
    expect(lead).toEqual({ state: 'NSW', leadData: { state: 'NSW', state2: 'Sydney' } });
  });

  it('never pollutes a prototype', () => {
    const hostile = compileHeaderMapping(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'Ref'], crm);
    const { lead } = mapRecord(hostile, ['{"polluted":1}', 'c', 'p', 'h', 'r']);
    expect(lead.leadData).toEqual({ proto: '{"polluted":1}', fieldConstructor: 'c', fieldPrototype: 'p', fieldHasOwnProperty: 'h', toString_: 'r' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(lead.leadData))).toEqual({ ...lead.leadData });
  });

  describe('rows of another width', () => {
    it('reports a short row', () => {
      const { lead, problems } = mapRecord(mapping, ['Jo', '0412345678']);
      expect(lead).toEqual({ phone1: '0412345678', leadData: { firstName: 'Jo' } });
      expect(problems).toEqual([{ code: 'field-count', expected: 9, actual: 2 }]);
    });

    it('reports a long row whose extra cells hold something, and drops them', () => {
      const { lead, problems } = mapRecord(compileHeaderMapping(['Mobile'], byDefault), ['0412345678', 'extra']);
      expect(lead).toEqual({ phone1: '0412345678', leadData: {} });
      expect(problems).toEqual([{ code: 'field-count', expected: 1, actual: 2 }]);
    });

    it('accepts empty cells past the header, as from a trailing comma', () => {
      expect(mapRecord(compileHeaderMapping(['Mobile'], byDefault), ['0412345678', '', ' ']).problems).toEqual([]);
    });
  });

  it('never puts a cell value in a problem', () => {
    const { problems } = mapRecord(compileHeaderMapping(['Mobile'], byDefault), ['0412345678', '0498765432']);
    expect(JSON.stringify(problems)).not.toMatch(/04\d{8}/);
  });
});

describe('mapRecord on arbitrary headers and cells', () => {
  // Mostly the spellings that collide, so duplicates and hostile names meet often.
  const headerCell = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'hasOwnProperty',
      'toString',
      'Phone',
      'Mobile',
      'Cell',
      'Home Phone',
      'Work Phone',
      'Customer ID',
      'Account Number',
      'State',
      'Region',
      'Secret',
      'Ref',
      'Notes',
      'Notes 2',
      'Email',
      '',
      ' ',
      '0412 345 678',
      'Prénom',
      '名前',
    ) },
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
  const cell = fc.oneof(fc.constant(''), fc.constant('  '), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }));
  const profiles = fc.constantFrom(byDefault, crm);

  function valueAt(lead: RawLead, target: string): string | undefined {
    if (target.startsWith('leadData.')) {
      const key = target.slice('leadData.'.length);
      return Object.hasOwn(lead.leadData, key) ? lead.leadData[key] : undefined;
    }
    return (lead as unknown as Record<string, string | undefined>)[target];
  }

  it('never throws, never pollutes, never loses a non-empty cell silently', () => {
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
    fc.assert(
      fc.property(fc.array(headerCell, { maxLength: 12 }), fc.array(fc.array(cell, { maxLength: 14 }), { maxLength: 4 }), profiles, (header, rows, profile) => {
        const mapping: HeaderMapping = compileHeaderMapping(header, profile);
        expect(mapping.columns).toHaveLength(header.length);
        const filled = mapping.columns.map((c) => c.target).filter((t) => t !== 'ignore');
        expect(new Set(filled).size).toBe(filled.length);

        for (const row of rows) {
          const { lead, problems } = mapRecord(mapping, row);
          expect(Object.getPrototypeOf(lead.leadData)).toBeNull();
          let placed = 0;
          row.forEach((raw, i) => {
            const value = raw.trim();
            if (value === '') return;
            if (i >= header.length) {
              expect(problems).toContainEqual({ code: 'field-count', expected: header.length, actual: row.length });
              return;
            }
            const target = mapping.columns[i]!.target;
            if (target === 'ignore') return;
            expect(valueAt(lead, target)).toBe(value);
            placed += 1;
            if (target === 'state') {
              expect(lead.leadData.state).toBe(value);
              placed += 1;
            }
          });
          // Nothing was invented either: every value in the lead came from one cell.
          const { leadData, ...fields } = lead;
          expect(Object.keys(fields).length + Object.keys(leadData).length).toBe(placed);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
