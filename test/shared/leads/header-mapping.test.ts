import { describe, expect, it } from 'vitest';
import { ColumnKind, compileHeaderMapping, hasMappingErrors } from '../../../shared/leads/header-mapping';
import { parseMappingProfile } from '../../../shared/leads/mapping-profile';
import { createProfileRegistry, resolveProfile } from '../../../shared/leads/mapping-profile-registry';

const registry = createProfileRegistry([
  parseMappingProfile({
    name: 'crm',
    columns: { 'Mobile No': 'phone1', Policy: 'customerKey', Contact: 'leadData.email', Region: 'leadData.state' },
    defaults: { listId: 1042, timezone: 'Australia/Sydney', region: 'AU' },
    ignore: ['Internal Notes'],
  }),
]);
const byDefault = resolveProfile(undefined, registry);
const crm = resolveProfile('crm', registry);
const targets = (header: string[], profile = byDefault) => compileHeaderMapping(header, profile).columns.map((c) => c.target);

describe('compileHeaderMapping', () => {
  it('maps a typical export and reports where each column went', () => {
    const mapping = compileHeaderMapping(['First Name', 'Last Name', 'Mobile', 'Email', 'State', 'Customer ID', 'Notes'], byDefault);
    expect(mapping.columns).toEqual([
      { index: 0, header: 'First Name', target: 'leadData.firstName', requested: 'leadData.firstName', rule: 'default' },
      { index: 1, header: 'Last Name', target: 'leadData.lastName', requested: 'leadData.lastName', rule: 'default' },
      { index: 2, header: 'Mobile', target: 'phone1', requested: 'phone1', rule: 'default' },
      { index: 3, header: 'Email', target: 'leadData.email', requested: 'leadData.email', rule: 'default' },
      { index: 4, header: 'State', target: 'state', requested: 'state', rule: 'default' },
      { index: 5, header: 'Customer ID', target: 'customerKey', requested: 'customerKey', rule: 'default' },
      { index: 6, header: 'Notes', target: 'leadData.notes', requested: 'leadData.notes', rule: null },
    ]);
    expect(mapping.problems).toEqual([]);
    expect(mapping.profile).toBe('default');
    expect(mapping.width).toBe(7);
    expect(hasMappingErrors(mapping)).toBe(false);
  });

  it('compiles a plan of kinds and names', () => {
    const { plan } = compileHeaderMapping(['Mobile', 'Notes', 'State', 'Internal Notes'], crm);
    expect([...plan.kinds]).toEqual([ColumnKind.Field, ColumnKind.LeadData, ColumnKind.State, ColumnKind.Ignore]);
    expect(plan.names).toEqual(['phone1', 'notes', 'state', '']);
  });

  it('applies a named profile over the default one, with its defaults', () => {
    const mapping = compileHeaderMapping(['Mobile No', 'Policy', 'Internal Notes', 'Contact', 'Home Phone'], crm);
    expect(mapping.columns.map((c) => [c.target, c.rule])).toEqual([
      ['phone1', 'crm'],
      ['customerKey', 'crm'],
      ['ignore', 'crm'],
      ['leadData.email', 'crm'],
      ['phone2', 'default'],
    ]);
    expect(mapping.defaults).toEqual({ listId: 1042, timezone: 'Australia/Sydney', region: 'AU' });
  });

  describe('phone columns share the three slots', () => {
    it('moves a second column for a taken slot to the next free one', () => {
      expect(targets(['Phone', 'Mobile'])).toEqual(['phone1', 'phone2']);
      expect(targets(['Mobile', 'Cell', 'Phone'])).toEqual(['phone1', 'phone2', 'phone3']);
    });

    it('gives columns the slot they name before filling gaps', () => {
      expect(targets(['Mobile', 'Phone', 'Landline'])).toEqual(['phone1', 'phone3', 'phone2']);
      expect(targets(['Work Phone', 'Home Phone', 'Mobile'])).toEqual(['phone3', 'phone2', 'phone1']);
    });

    it('reports the column moved', () => {
      const mapping = compileHeaderMapping(['Phone', 'Mobile'], byDefault);
      expect(mapping.columns[1]).toMatchObject({ target: 'phone2', requested: 'phone1' });
      expect(mapping.problems).toEqual([]);
    });

    it('keeps a fourth phone column in leadData with a warning', () => {
      const mapping = compileHeaderMapping(['Mobile', 'Home Phone', 'Work Phone', 'Cell'], byDefault);
      expect(mapping.columns.map((c) => c.target)).toEqual(['phone1', 'phone2', 'phone3', 'leadData.cell']);
      expect(mapping.problems).toEqual([{ code: 'phone-slots-full', severity: 'warning', columns: [3] }]);
      expect(hasMappingErrors(mapping)).toBe(false);
    });
  });

  describe('other fields take one column', () => {
    it('gives the field to the leftmost column, keeps the others in leadData and reports an error', () => {
      const mapping = compileHeaderMapping(['Customer ID', 'Mobile', 'Account Number', 'External ID'], byDefault);
      expect(mapping.columns.map((c) => c.target)).toEqual([
        'customerKey',
        'phone1',
        'leadData.accountNumber',
        'leadData.externalId',
      ]);
      expect(mapping.problems).toEqual([{ code: 'duplicate-target', severity: 'error', target: 'customerKey', columns: [0, 2, 3] }]);
      expect(hasMappingErrors(mapping)).toBe(true);
    });

    it.each([
      [['List ID', 'listId'], 'listId'],
      [['TZ', 'Time Zone'], 'timezone'],
      [['State', 'STATE'], 'state'],
      [['Agent ID', 'agent_id'], 'agentId'],
    ])('%j is a duplicate %s', (header, target) => {
      const mapping = compileHeaderMapping(header, byDefault);
      expect(mapping.problems).toEqual([{ code: 'duplicate-target', severity: 'error', target, columns: [0, 1] }]);
    });
  });

  describe('leadData keys are unique in a file', () => {
    it('numbers repeated keys', () => {
      expect(targets(['Notes', 'Notes', 'notes', 'Notes 2'])).toEqual([
        'leadData.notes',
        'leadData.notes3',
        'leadData.notes4',
        'leadData.notes2',
      ]);
      expect(targets(['Notes', 'Notes'])).toEqual(['leadData.notes', 'leadData.notes2']);
    });

    it('numbers a second column for the same profile key', () => {
      expect(targets(['Email', 'E-mail Address'])).toEqual(['leadData.email', 'leadData.email2']);
    });

    it('lets profile keys claim before sanitised keys', () => {
      // `Email!` matches no rule and sanitises to `email`; crm maps `Contact` to leadData.email.
      expect(targets(['Email!', 'Contact'], crm)).toEqual(['leadData.email2', 'leadData.email']);
    });

    it('keeps leadData.state for the state column', () => {
      expect(targets(['Region', 'State'], crm)).toEqual(['leadData.state2', 'state']);
      const { plan } = compileHeaderMapping(['Region', 'State'], crm);
      expect(plan.names).toEqual(['state2', 'state']);
    });

    it('renames hostile and empty headers', () => {
      expect(targets(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', '', '  ', '名前'])).toEqual([
        'leadData.proto',
        'leadData.fieldConstructor',
        'leadData.fieldPrototype',
        'leadData.fieldHasOwnProperty',
        'leadData.column5',
        'leadData.column6',
        'leadData.column7',
      ]);
    });

    it('keeps numbered keys within the length limit', () => {
      const long = 'a'.repeat(80);
      const [first, second] = targets([long, long]);
      expect(first).toBe(`leadData.${'a'.repeat(64)}`);
      expect(second).toBe(`leadData.${'a'.repeat(63)}2`);
    });
  });

  it('reports ignored columns', () => {
    const mapping = compileHeaderMapping(['Internal Notes', 'Mobile No'], crm);
    expect(mapping.columns[0]).toEqual({ index: 0, header: 'Internal Notes', target: 'ignore', requested: 'ignore', rule: 'crm' });
  });

  it('masks a header that holds a phone or an email and reports it as an error', () => {
    const mapping = compileHeaderMapping(['Jo', 'Bloggs', '0412 345 678', 'jo@example.com'], byDefault);
    expect(mapping.columns.map((c) => c.header)).toEqual(['Jo', 'Bloggs', '[phone]', '[email]']);
    expect(mapping.problems).toEqual([{ code: 'header-looks-like-data', severity: 'error', columns: [2, 3] }]);
    expect(mapping.columns.map((c) => c.target)).toEqual(['leadData.jo', 'leadData.bloggs', 'leadData.column3', 'leadData.column4']);
    expect(JSON.stringify(mapping)).not.toMatch(/0412|345 678|jo@example/);
  });

  it('cuts long headers in the facts', () => {
    const mapping = compileHeaderMapping(['x'.repeat(10_000)], byDefault);
    expect(mapping.columns[0]!.header).toHaveLength(200);
  });

  it('compiles an empty header', () => {
    const mapping = compileHeaderMapping([], byDefault);
    expect(mapping).toMatchObject({ width: 0, columns: [], problems: [] });
  });
});
