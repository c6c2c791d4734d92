import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../shared/config/config';

const good = {
  BUCKET_NAME: 'leadflow-dev-uploads',
  STATE_TABLE_NAME: 'leadflow-dev-state',
  IPSCAPE_TENANT_CONFIG: JSON.stringify({ baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0' }),
  IPSCAPE_API_KEY: 'k',
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads a complete environment with defaults', () => {
    const config = parseConfig(good);
    expect(config.stage).toBe('dev');
    expect(config.region).toBe('ap-southeast-2');
    expect(config.tenant.routes.listLeads.path).toBe('/leads');
    expect(config.apiKey).toEqual({ value: 'k' });
  });

  it('names every missing variable at once', () => {
    const problems = problemsOf({ IPSCAPE_API_KEY: 'k' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'BUCKET_NAME: is missing',
        'STATE_TABLE_NAME: is missing',
        'IPSCAPE_TENANT_CONFIG: is missing',
      ]),
    );
  });

  it('gives the reason for a variable that is present but wrong, not "is missing", and never its value', () => {
    const problems = problemsOf({ ...good, STAGE: 'Bad_Stage', LOG_LEVEL: 'TRACE', SUBMIT_QUEUE_URL: 'not a url' });
    expect(problems.find((p) => p.startsWith('STAGE:'))).toMatch(/lower-case letters/);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).not.toMatch(/missing/);
    expect(problems.find((p) => p.startsWith('SUBMIT_QUEUE_URL:'))).not.toMatch(/missing/);
    expect(problems.join('\n')).not.toMatch(/Bad_Stage|not a url/);
  });

  it('names a bad field inside the tenant document', () => {
    const problems = problemsOf({ ...good, IPSCAPE_TENANT_CONFIG: JSON.stringify({ baseUrl: 'nope' }) });
    expect(problems.join('\n')).toMatch(/IPSCAPE_TENANT_CONFIG baseUrl:/);
  });

  it('refuses both or neither key source, without echoing the key', () => {
    const both = problemsOf({ ...good, IPSCAPE_API_KEY_SECRET_ID: 'arn:secret' });
    expect(both.join('\n')).toMatch(/set exactly one/);
    expect(both.join('\n')).not.toContain('"k"');
    const neither = problemsOf({ ...good, IPSCAPE_API_KEY: undefined });
    expect(neither.join('\n')).toMatch(/set exactly one/);
  });

  it('rejects JSON that is not JSON', () => {
    expect(problemsOf({ ...good, IPSCAPE_TENANT_CONFIG: '{oops' })).toContain('IPSCAPE_TENANT_CONFIG: is not valid JSON');
  });
});
