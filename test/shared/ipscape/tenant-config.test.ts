import { describe, expect, it } from 'vitest';
import { defaultRoutes } from '../../../shared/ipscape/routes';
import { classifyBulkStatus, parseTenantConfig, TenantConfigError } from '../../../shared/ipscape/tenant-config';

const baseUrl = 'https://acme.ipscape.com.au/platform-api/v3.0';

function issuesOf(input: unknown): readonly string[] {
  try {
    parseTenantConfig(input, 'tenant.json');
  } catch (err) {
    expect(err).toBeInstanceOf(TenantConfigError);
    expect((err as Error).message).toContain('tenant.json');
    return (err as TenantConfigError).issues;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseTenantConfig', () => {
  it('fills every default from a document holding only the base URL', () => {
    const config = parseTenantConfig({ baseUrl: `${baseUrl}/` });
    expect(config.baseUrl).toBe(baseUrl);
    expect(config.auth).toEqual({ header: 'Authorization', format: 'Bearer {key}' });
    expect(config.routes).toEqual(defaultRoutes);
    expect(config.limits).toMatchObject({ requestsPerSecond: 5, burst: 5, maxConcurrency: 4, maxAttempts: 8 });
  });

  it('names each bad field on its own line', () => {
    const issues = issuesOf({
      baseUrl: 'ftp://acme',
      auth: { header: 'Bad Header', format: 'Bearer' },
      limits: { burst: 0, maxAttempts: 50, extra: 1 },
      routes: { getLead: { method: 'FETCH' }, unknownOperation: {} },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^baseUrl: /),
        expect.stringMatching(/^auth\.header: must be an HTTP header name/),
        expect.stringMatching(/^auth\.format: must contain \{key\}/),
        expect.stringMatching(/^limits\.burst: /),
        expect.stringMatching(/^limits\.maxAttempts: /),
        expect.stringMatching(/^limits: .*extra/),
        expect.stringMatching(/^routes\.getLead\.method: /),
        expect.stringMatching(/^routes: .*unknownOperation/),
      ]),
    );
    expect(issuesOf({})).toEqual([expect.stringMatching(/^baseUrl: /)]);
  });

  it('merges a route override onto the default, field by field', () => {
    const config = parseTenantConfig({
      baseUrl,
      routes: { getBulkJob: { path: '/leads/bulk/status/{uuid}' }, privacyErasure: { idempotent: true }, updateLead: { method: 'PUT' } },
    });
    expect(config.routes.getBulkJob).toEqual({ method: 'GET', path: '/leads/bulk/status/{uuid}', idempotent: true });
    expect(config.routes.privacyErasure).toEqual({ method: 'POST', path: '/privacy/erasure', idempotent: true });
    expect(config.routes.updateLead).toEqual({ method: 'PUT', path: '/leads/{leadId}', idempotent: true });
    expect(config.routes.getLead).toEqual(defaultRoutes.getLead);
  });

  it('an override field set to undefined keeps the default (fixed: it used to erase it)', () => {
    const config = parseTenantConfig({ baseUrl, routes: { createLead: { method: undefined, path: '/lead' } } });
    expect(config.routes.createLead).toEqual({ method: 'POST', path: '/lead', idempotent: false });
  });

  it('checks that a path override keeps exactly the operation parameters', () => {
    expect(issuesOf({ baseUrl, routes: { getLead: { path: '/leads/{id}' } } })).toEqual([
      'routes.getLead.path: must contain exactly the parameters {leadId}',
    ]);
    expect(issuesOf({ baseUrl, routes: { listLeads: { path: '/leads/{listId}' } } })).toEqual([
      'routes.listLeads.path: must not contain {parameters}; this operation has none',
    ]);
    expect(issuesOf({ baseUrl, routes: { getLead: { path: 'leads/{leadId}' } } })[0]).toMatch(/^routes\.getLead\.path: must start with "\/"/);
  });
});

describe('classifyBulkStatus', () => {
  const config = parseTenantConfig({ baseUrl, bulkStatus: { success: ['Completed'], failure: ['Failed'] } });

  it('compares case-insensitively and treats anything else as running', () => {
    expect(classifyBulkStatus(config, ' COMPLETED ')).toBe('succeeded');
    expect(classifyBulkStatus(config, 'failed')).toBe('failed');
    expect(classifyBulkStatus(config, 'queued')).toBe('running');
  });
});
