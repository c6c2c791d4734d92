/**
 * Deployed configuration over moto's SSM: documents behind a pointer are fetched, validated with the
 * same schema as inline variables, and a missing or bad one is named without its value.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config/config';
import { ConfigDocumentError } from '../../../shared/config/config-documents';
import { functionEnvironment } from '../../../shared/config/environment';
import { forgetDeployedConfig, loadDeployedConfig } from '../../../shared/lambda/deployed-config';
import { startTestMoto } from '../../support/moto';

const moto = startTestMoto();
let ssm: SSMClient;

const tenant = {
  baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0',
  routes: { getBulkJob: { path: '/leads/bulk/status/{uuid}' } },
  limits: { requestsPerSecond: 2 },
};
const profiles = [{ name: 'crm-export', columns: { 'Mobile Number': 'phone1' } }];

beforeAll(async () => {
  ssm = new SSMClient({ endpoint: moto.endpoint, region: 'ap-southeast-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const put = (Name: string, Value: string) => ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Overwrite: true }));
  await put('/leadflow/test/tenant', JSON.stringify(tenant));
  await put('/leadflow/test/mapping-profiles', JSON.stringify(profiles));
  await put('/leadflow/test/bad-tenant', JSON.stringify({ baseUrl: 'not a url', secretish: '0412 345 678' }));
});
beforeEach(() => forgetDeployedConfig());

/** The environment the CDK stack gives a function, with concrete values. */
function deployedEnv(documents: Parameters<typeof functionEnvironment>[0]['documents']) {
  return {
    AWS_REGION: 'ap-southeast-2',
    ...functionEnvironment({
      stage: 'test',
      bucketName: 'leadflow-test-uploads',
      stateTableName: 'leadflow-test-state',
      apiKeySecretId: 'leadflow/test/ipscape-api-key',
      dedupeSecretId: 'leadflow/test/dedupe-secret',
      queueUrls: { submit: 'https://sqs.ap-southeast-2.amazonaws.com/123456789012/leadflow-test-submit' },
      documents,
      ingest: { chunkSize: 250 },
      erasure: { nearDueDays: 7 },
      maintenance: { maxLeadsPerInvocation: 1000 },
      eventBusName: 'leadflow-test',
      logLevel: 'WARN',
    }),
  };
}

describe('loadDeployedConfig', () => {
  it('reads a maintenance policy by pointer like the other documents', async () => {
    const policy = readFileSync('examples/maintenance-policy.json', 'utf8');
    await ssm.send(new PutParameterCommand({ Name: '/leadflow/test/maintenance-policies', Value: policy, Type: 'String', Overwrite: true }));
    const config = await loadDeployedConfig(deployedEnv({ IPSCAPE_TENANT_CONFIG: '/leadflow/test/tenant', MAINTENANCE_POLICIES: '/leadflow/test/maintenance-policies' }), ssm);
    expect(config.maintenancePolicy).toBeDefined();
  });

  it('fetches the documents the environment points at and validates them like inline ones', async () => {
    const config = await loadDeployedConfig(
      deployedEnv({ IPSCAPE_TENANT_CONFIG: '/leadflow/test/tenant', MAPPING_PROFILES: '/leadflow/test/mapping-profiles' }),
      ssm,
    );
    expect(config.tenant.routes.getBulkJob.path).toBe('/leads/bulk/status/{uuid}');
    expect(config.tenant.limits.requestsPerSecond).toBe(2);
    expect(config.mappingProfiles.map((p) => p.name)).toEqual(['crm-export']);
    expect(config.apiKey).toEqual({ secretId: 'leadflow/test/ipscape-api-key' });
    expect(config.dedupeSecret).toEqual({ secretId: 'leadflow/test/dedupe-secret' });
    expect(config.queues.submit).toMatch(/leadflow-test-submit$/);
    expect(config.ingest.chunkSize).toBe(250);
    // Every name the stack writes is one parseConfig reads: nothing lands at its default by mistake.
    expect(config.erasure.nearDueDays).toBe(7);
    expect(config.maintenance.maxLeadsPerInvocation).toBe(1000);
    expect(config.eventBusName).toBe('leadflow-test');
    expect(config.logLevel).toBe('WARN');
    expect(config.stateTableName).toBe('leadflow-test-state');
  });

  it('names the pointer and the parameter when the parameter does not exist', async () => {
    const error = await loadDeployedConfig(deployedEnv({ IPSCAPE_TENANT_CONFIG: '/leadflow/test/nowhere' }), ssm).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigDocumentError);
    expect((error as Error).message).toContain('IPSCAPE_TENANT_CONFIG_PARAMETER: parameter /leadflow/test/nowhere does not exist');
  });

  it('validates a fetched document at load, naming the field and never quoting the document', async () => {
    const error = await loadDeployedConfig(deployedEnv({ IPSCAPE_TENANT_CONFIG: '/leadflow/test/bad-tenant' }), ssm).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toMatch(/IPSCAPE_TENANT_CONFIG baseUrl:/);
    expect(text).not.toMatch(/not a url|0412/);
  });

  it('refuses a document given both inline and by pointer', async () => {
    const env = { ...deployedEnv({ IPSCAPE_TENANT_CONFIG: '/leadflow/test/tenant' }), IPSCAPE_TENANT_CONFIG: JSON.stringify(tenant) };
    await expect(loadDeployedConfig(env, ssm)).rejects.toThrow(/IPSCAPE_TENANT_CONFIG \/ IPSCAPE_TENANT_CONFIG_PARAMETER: set exactly one/);
  });

  it('does not cache a failure: the next cold start tries again', async () => {
    const env = deployedEnv({ IPSCAPE_TENANT_CONFIG: '/leadflow/test/late' });
    await expect(loadDeployedConfig(env, ssm)).rejects.toThrow(/does not exist/);
    await ssm.send(new PutParameterCommand({ Name: '/leadflow/test/late', Value: JSON.stringify(tenant), Type: 'String' }));
    await expect(loadDeployedConfig(env, ssm)).resolves.toMatchObject({ stage: 'test' });
  });
});

describe('functionEnvironment', () => {
  it('refuses ingest settings the functions would refuse, at synth', () => {
    expect(() => functionEnvironment({ stage: 'x', bucketName: 'b', stateTableName: 't', apiKeySecretId: 's', ingest: { chunkSize: 0 } })).toThrow(
      /ingest settings: chunkSize/,
    );
  });
});
