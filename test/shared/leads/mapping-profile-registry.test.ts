import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING_PROFILE } from '../../../shared/leads/default-mapping-profile';
import { headerSpelling } from '../../../shared/leads/header-spelling';
import { MappingProfileError, parseMappingProfile } from '../../../shared/leads/mapping-profile';
import { createProfileRegistry, resolveProfile } from '../../../shared/leads/mapping-profile-registry';

const acme = parseMappingProfile({
  name: 'acme',
  columns: { Mobile: 'phone2', 'Mobile No': 'phone1', Email: 'ignore' },
  defaults: { listId: 7, region: 'NZ' },
  ignore: ['Internal Notes'],
});
const registry = createProfileRegistry([acme]);

describe('the default profile', () => {
  const rules = resolveProfile(undefined, registry).rules;
  const targetOf = (header: string) => rules.get(headerSpelling(header))?.target;

  it.each([
    [['Phone 1', 'phone1', 'Phone', 'Mobile', 'Mobile Phone', 'MOBILE_PHONE', 'mobile-phone', 'Cell'], 'phone1'],
    [['Phone 2', 'Home Phone', 'Landline'], 'phone2'],
    [['Phone 3', 'Work Phone'], 'phone3'],
    [['Customer Key', 'customerKey', 'Customer ID', 'External ID', 'Account Number'], 'customerKey'],
    [['Time Zone', 'timezone', 'TZ'], 'timezone'],
    [['Email', 'E-mail', 'Email Address'], 'leadData.email'],
    [['First Name'], 'leadData.firstName'],
    [['Last Name'], 'leadData.lastName'],
    [['Name', 'Full Name'], 'leadData.name'],
    [['State'], 'state'],
    [['List ID', 'listId'], 'listId'],
    [['Next Attempt', 'nextAttemptTimestamp', 'Callback Time'], 'nextAttemptTimestamp'],
    [['Status Code'], 'statusCode'],
    [['Agent ID'], 'agentId'],
  ] as const)('%j → %s', (headers, target) => {
    for (const header of headers) expect(targetOf(header), header).toBe(target);
  });

  it('is named default and has no defaults', () => {
    expect(DEFAULT_MAPPING_PROFILE.name).toBe('default');
    expect(resolveProfile('default', registry)).toMatchObject({ name: 'default', defaults: {} });
  });
});

describe('resolveProfile', () => {
  it('extends the default profile with a named one', () => {
    const resolved = resolveProfile('acme', registry);
    expect(resolved.name).toBe('acme');
    expect(resolved.defaults).toEqual({ listId: 7, region: 'NZ' });
    expect(resolved.rules.get('mobile')).toEqual({ target: 'phone2', from: 'acme' });
    expect(resolved.rules.get('mobileno')).toEqual({ target: 'phone1', from: 'acme' });
    expect(resolved.rules.get('email')).toEqual({ target: 'ignore', from: 'acme' });
    expect(resolved.rules.get('internalnotes')).toEqual({ target: 'ignore', from: 'acme' });
    expect(resolved.rules.get('homephone')).toEqual({ target: 'phone2', from: 'default' });
  });

  it('does not change the default profile', () => {
    resolveProfile('acme', registry);
    expect(resolveProfile(undefined, registry).rules.get('mobile')).toEqual({ target: 'phone1', from: 'default' });
  });

  it('rejects an unknown name', () => {
    expect(() => resolveProfile('nope', registry)).toThrow(MappingProfileError);
    expect(() => resolveProfile('nope', registry)).toThrow('profile: no profile named "nope"');
  });
});

describe('createProfileRegistry', () => {
  it('rejects duplicate names and the built-in name', () => {
    const other = parseMappingProfile({ name: 'acme', columns: {} });
    const fake = parseMappingProfile({ name: 'default', columns: {} });
    expect(() => createProfileRegistry([acme, other, fake])).toThrow(
      new MappingProfileError(['name: "acme" is used by two profiles', 'name: "default" is the built-in profile']),
    );
  });
});
