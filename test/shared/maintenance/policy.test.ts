import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../../../shared/config/config';
import { selectList } from '../../../shared/maintenance/list-selection';
import {
  DEFAULT_CAPS,
  MaintenancePolicyError,
  parseMaintenancePolicy,
  parseMaintenancePolicyText,
  resolveRules,
} from '../../../shared/maintenance/policy';

const minimal = { version: 1, targets: [{ listIds: [3] }] };

function issuesOf(document: unknown): string[] {
  try {
    parseMaintenancePolicy(document, 'policy.json');
  } catch (error) {
    expect(error).toBeInstanceOf(MaintenancePolicyError);
    return [...(error as MaintenancePolicyError).issues];
  }
  throw new Error('the policy was accepted');
}

describe('maintenance policy', () => {
  it('fills the conservative defaults: low caps, a day to apply, no autoApply, no rules', () => {
    const policy = parseMaintenancePolicy(minimal, 'policy.json');
    expect(policy.caps).toEqual(DEFAULT_CAPS);
    expect(policy.caps).toEqual({ maxLeadsPerPlan: 200, maxShareOfList: 0.1 });
    expect(policy.planExpiryHours).toBe(24);
    expect(policy.autoApply).toBe(false);
    expect(policy.completionsPerSecond).toBe(2);
    expect(policy.targets[0]!.includeNotInDialler).toBe(false);
    expect(resolveRules(policy.defaults.rules, policy.targets[0]!.rules)).toEqual({});
  });

  it('rejects unknown keys anywhere, naming the path and the key', () => {
    expect(issuesOf({ ...minimal, cap: { maxLeadsPerPlan: 5 } })).toEqual(['(document): unknown key(s) cap']);
    expect(issuesOf({ version: 1, targets: [{ listIds: [3], rules: { stale: { olderThan: 3 } } }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^targets\.0\.rules\.stale: unknown key\(s\) olderThan/)]),
    );
    expect(issuesOf({ version: 1, defaults: { rules: { exhaustd: { maxAttempts: 3 } } }, targets: [{ allLists: true }] })).toEqual([
      'defaults.rules: unknown key(s) exhaustd',
    ]);
  });

  it('refuses a target without a selector, a bad pattern, out-of-range caps and a wrong version', () => {
    expect(issuesOf({ version: 1, targets: [{ rules: {} }] })[0]).toMatch(/^targets\.0: name at least one selector/);
    expect(issuesOf({ version: 1, targets: [{ listNamePattern: '(' }] })[0]).toMatch(/^targets\.0\.listNamePattern: is not a valid regular expression/);
    expect(issuesOf({ ...minimal, caps: { maxShareOfList: 0 } })[0]).toMatch(/^caps\.maxShareOfList/);
    expect(issuesOf({ ...minimal, caps: { maxLeadsPerPlan: 0 } })[0]).toMatch(/^caps\.maxLeadsPerPlan/);
    expect(issuesOf({ ...minimal, version: 2 })[0]).toMatch(/^version/);
    expect(issuesOf({ version: 1, targets: [] })[0]).toMatch(/^targets/);
  });

  it('says text that is not JSON is not JSON, without quoting it', () => {
    expect(() => parseMaintenancePolicyText('{"version": 1, +61491570156', 'p.json')).toThrow(/p\.json: invalid maintenance policy:\n {2}- is not valid JSON$/);
  });

  it('lets a target replace or turn off a default rule, and keeps the others', () => {
    const policy = parseMaintenancePolicy(
      {
        version: 1,
        defaults: { rules: { stale: { olderThanDays: 180 }, exhausted: { maxAttempts: 8 }, suppressed: {} } },
        targets: [{ listIds: [1], rules: { stale: null, exhausted: { maxAttempts: 3 } } }],
      },
      'policy.json',
    );
    expect(resolveRules(policy.defaults.rules, policy.targets[0]!.rules)).toEqual({ exhausted: { maxAttempts: 3 }, suppressed: { phones: 'any' } });
  });

  it('selects lists by the first target whose every selector matches; lists out of the dialler only when asked', () => {
    const policy = parseMaintenancePolicy(
      {
        version: 1,
        targets: [
          { name: 'archive', campaignIds: [5], listNamePattern: '^Archive', rules: { stale: { olderThanDays: 30 } } },
          { name: 'sales', campaignIds: [5, 6], rules: { stale: { olderThanDays: 90 } } },
          { name: 'callbacks', listIds: [9], includeNotInDialler: true },
        ],
      },
      'policy.json',
    );
    const list = (listId: number, listName: string, campaignId: number | null, inDialler = true) => ({ listId, listName, campaignId, inDialler });
    expect(selectList(policy, list(1, 'Archive 2024', 5))).toMatchObject({ selected: true, targetName: 'archive', rules: { stale: { olderThanDays: 30 } } });
    expect(selectList(policy, list(2, 'Current', 5))).toMatchObject({ selected: true, targetName: 'sales', rules: { stale: { olderThanDays: 90 } } });
    expect(selectList(policy, list(3, 'Archive 2024', 7))).toEqual({ selected: false, reason: 'not-selected' });
    expect(selectList(policy, list(4, 'Archive', 6, false))).toEqual({ selected: false, reason: 'not-in-dialler' });
    expect(selectList(policy, list(9, 'Callbacks', null, false))).toMatchObject({ selected: true, targetName: 'callbacks' });
    expect(selectList(policy, list(10, 'No campaign', null))).toEqual({ selected: false, reason: 'not-selected' });
  });

  it('accepts the example policy the README documents', () => {
    const text = readFileSync(new URL('../../../examples/maintenance-policy.json', import.meta.url), 'utf8');
    const policy = parseMaintenancePolicyText(text, 'examples/maintenance-policy.json');
    expect(policy.autoApply).toBe(false);
    expect(policy.targets.length).toBeGreaterThan(0);
  });

  it('reaches the functions through MAINTENANCE_POLICIES, validated with the configuration (one line per problem, no values)', () => {
    const env = { BUCKET_NAME: 'bucket', STATE_TABLE_NAME: 'table', IPSCAPE_TENANT_CONFIG: JSON.stringify({ baseUrl: 'https://t.example/platform-api/v3.0' }), IPSCAPE_API_KEY: 'k' };
    expect(parseConfig(env).maintenancePolicy).toBeUndefined();
    expect(parseConfig({ ...env, MAINTENANCE_POLICIES: JSON.stringify(minimal) }).maintenancePolicy?.caps).toEqual(DEFAULT_CAPS);
    expect(parseConfig(env).maintenance).toMatchObject({ maxLeadsPerInvocation: 5000, maxPagesPerInvocation: 2000, lockSeconds: 900 });
    let error: unknown;
    try {
      parseConfig({ ...env, MAINTENANCE_POLICIES: JSON.stringify({ ...minimal, autoApply: 'yes', secret: '+61491570156' }), MAINTENANCE_SETTINGS: '{"lockSeconds": 1}' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'MAINTENANCE_POLICIES autoApply: Invalid input: expected boolean, received string',
      'MAINTENANCE_POLICIES (document): unknown key(s) secret',
      'MAINTENANCE_SETTINGS lockSeconds: Too small: expected number to be >=10',
    ]);
    expect((error as Error).message).not.toMatch(/491570156|yes/);
  });
});
