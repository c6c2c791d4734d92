/**
 * `leadflow erase --stack NAME` against a "deployed" stack on moto: a CloudFormation stack in moto
 * carries the outputs (with `ErasureEndpoint`), the erasure API runs on loopback behind a recording
 * proxy that stands in for the function URL, and the CLI signs every call with SigV4 (service lambda)
 * using the caller's credentials, as AWS_IAM auth requires.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackNameOf, stackOutputKeys } from '../../infra/stack-outputs';
import type { RequestView } from '../../shared/erasure/http-api';
import { queueNames } from '../../shared/resources/resources';
import { runCliCaptured, tempStateDir } from '../support/cli';
import { useErasureStack } from '../support/erasure-stack';
import { waitFor } from '../support/wait';

const s = useErasureStack();
let proxy: Server;
let home: string;
const seen: { method: string; path: string; authorization: string; amzDate: string; contentSha?: string }[] = [];
const previousHome = process.env.LEADFLOW_HOME;

beforeAll(async () => {
  home = tempStateDir();
  process.env.LEADFLOW_HOME = home;
  // The function URL: records the signature headers, forwards to the erasure API.
  proxy = createServer((req, res) => {
    void (async () => {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      seen.push({ method: req.method!, path: req.url!, authorization: String(req.headers.authorization ?? ''), amzDate: String(req.headers['x-amz-date'] ?? '') });
      const answer = await fetch(`${s.apiUrl}${req.url}`, { method: req.method!, headers: { 'content-type': 'application/json' }, ...(parts.length && { body: Buffer.concat(parts) }) });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
    })();
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
  const r = s.ingestion.stack.resources;
  const k = stackOutputKeys;
  const outputs = {
    [k.region]: r.region,
    [k.uploadsBucket]: r.bucket,
    [k.privacyBucket]: r.privacyBucket,
    [k.stateTable]: r.tables.state,
    [k.erasureEndpoint]: endpoint,
    ...Object.fromEntries(queueNames.flatMap((q) => [[k.queueUrl(q), r.queues[q].url], [k.dlqUrl(q), r.queues[q].dlq.url]])),
  };
  const cfn = new CloudFormationClient({ endpoint: s.ingestion.stack.endpoints.aws, region: r.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await cfn.send(
    new CreateStackCommand({
      StackName: stackNameOf(r.stage),
      TemplateBody: JSON.stringify({
        Resources: { Placeholder: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `cfn-placeholder-${r.stage}` } } },
        Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
      }),
    }),
  );
  cfn.destroy();
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => proxy?.close(() => r()));
  if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
  else process.env.LEADFLOW_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

describe('leadflow erase --stack NAME', () => {
  it('posts to the stack\'s erasure endpoint with SigV4 (service lambda) and erasure-status reads it back', async () => {
    const stage = s.ingestion.stack.resources.stage;
    const erase = await runCliCaptured(['erase', '--email', 'stack.person@example.com', '--stack', stage, '--json']);
    expect(erase.code).toBe(0);
    expect(erase.stderr).toContain(`using stack ${stackNameOf(stage)}`);
    const request = JSON.parse(erase.stdout) as RequestView;
    expect(request.kinds).toEqual(['email']);
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/erasure-requests');
    expect(post.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=local/\\d{8}/${s.ingestion.stack.resources.region}/lambda/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$`));
    expect(post.amzDate).toMatch(/^\d{8}T\d{6}Z$/);

    await waitFor(async () => {
      const status = await runCliCaptured(['erasure-status', request.requestId, '--stack', stage, '--json']);
      return (JSON.parse(status.stdout) as RequestView).status === 'completed';
    }, { what: 'the request to complete' });
    expect(seen.filter((r) => r.method === 'GET').every((r) => r.authorization.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
  }, 60_000);
});
