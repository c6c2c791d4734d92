import { describe, expect, it } from 'vitest';
import {
  type MappingProfile,
  MappingProfileError,
  isMappingTarget,
  parseMappingProfile,
} from '../../../shared/leads/mapping-profile';

function problemsOf(document: unknown): readonly string[] {
  try {
    parseMappingProfile(document);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingProfileError);
    return (error as MappingProfileError).problems;
  }
  throw new Error('expected the profile to be rejected');
}

describe('isMappingTarget', () => {
  it.each(['listId', 'customerKey', 'timezone', 'phone1', 'phone2', 'phone3', 'nextAttemptTimestamp', 'statusCode', 'agentId', 'state', 'ignore', 'leadData.email', 'leadData.Policy_No'])(
    'accepts %j',
    (target) => expect(isMappingTarget(target)).toBe(true),
  );

  it.each(['phone4', 'leadData', 'leadData.', 'leadData.__proto__', 'leadData.constructor', 'leadData.1st', 'leadData.a-b', `leadData.${'a'.repeat(65)}`, 'LeadData.x', 'Phone1', 'leadData'])(
    'rejects %j',
    (target) => expect(isMappingTarget(target)).toBe(false),
  );
});

describe('parseMappingProfile', () => {
  it('accepts a complete profile', () => {
    const document = {
      name: 'acme-renewals',
      description: 'Renewals export',
      columns: { 'Mobile No': 'phone1', Policy: 'customerKey', 'Policy Type': 'leadData.policyType', Postcode: 'ignore' },
      defaults: { listId: 1042, timezone: 'Australia/Perth', region: 'AU' },
      ignore: ['Internal Notes'],
      leadDataKeys: 'sanitise',
    };
    const profile: MappingProfile = parseMappingProfile(document);
    expect(profile).toEqual(document);
  });

  it('accepts a minimal profile', () => {
    expect(parseMappingProfile({ name: 'x', columns: {} })).toEqual({ name: 'x', columns: {} });
  });

  it('names every bad field at once', () => {
    const problems = problemsOf({
      name: 'Bad Name',
      columns: { Mobile: 'phone4', Email: 'leadData.constructor', Notes: 'leadData.a-b', '  ': 'phone1' },
      defaults: { listId: 1.5, timezone: 'Mars/Olympus', region: 'au' },
      ignore: ['ok', ''],
      leadDataKeys: 'verbatim',
      extra: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: must be 1-64 lower-case/),
        expect.stringMatching(/^columns\.Mobile: must be one of listId, customerKey/),
        'columns.Email: leadData key "constructor" is reserved',
        expect.stringMatching(/^columns\.Notes: leadData key must be a letter/),
        'columns.  : must contain something other than spaces, underscores and dashes',
        'defaults.listId: must be an integer',
        'defaults.timezone: must be an IANA time zone such as Australia/Sydney',
        'defaults.region: must be a two-letter region code such as AU',
        'ignore.1: must contain something other than spaces, underscores and dashes',
        'leadDataKeys: must be "sanitise"',
        'extra: is not a profile field',
      ]),
    );
    expect(problems).toHaveLength(11);
  });

  it('says what is missing', () => {
    expect(problemsOf({})).toEqual(['name: is missing', 'columns: is missing']);
    expect(problemsOf(null)).toEqual([expect.stringMatching(/^\(document\): /)]);
  });

  it('rejects two spellings of one header with different targets', () => {
    expect(problemsOf({ name: 'x', columns: { 'Phone 1': 'phone1', PHONE_1: 'phone2' } })).toEqual([
      'columns.PHONE_1: is the same header as "Phone 1" (phone1) but maps to phone2',
    ]);
    expect(problemsOf({ name: 'x', columns: { Notes: 'leadData.notes' }, ignore: ['notes'] })).toEqual([
      'ignore.0: is the same header as "Notes" (leadData.notes) but maps to ignore',
    ]);
  });

  it('allows two spellings of one header with the same target', () => {
    expect(() => parseMappingProfile({ name: 'x', columns: { 'Phone 1': 'phone1', phone_1: 'phone1' } })).not.toThrow();
  });

  it('reports a __proto__ column rather than dropping it', () => {
    const document = JSON.parse('{"name":"x","columns":{"__proto__":"phone1","Mobile":"phone1"}}');
    expect(problemsOf(document)).toEqual(['columns.__proto__: is not a header a profile may map']);
    expect(Object.prototype).not.toHaveProperty('phone1');
  });

  it('rejects a profile mapping too many headers', () => {
    const columns = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`c${i}`, 'ignore']));
    expect(problemsOf({ name: 'x', columns })).toEqual(['columns: must map at most 1000 headers']);
  });
});
