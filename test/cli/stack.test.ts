/**
 * `--stack NAME` against a "deployed" stack on moto: the ingestion pipeline runs on moto and the
 * simulator, and a CloudFormation stack in moto carries the outputs the real stack would have. The
 * CLI finds everything through DescribeStacks, as it does in an AWS account. Redrive over moto SQS.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackNameOf, stackOutputKeys } from '../../infra/stack-outputs';
import { uploadSummarySchema } from '../../shared/ingest/upload-summary';
import { queueNames } from '../../shared/resources/resources';
import { runCliCaptured, tempStateDir } from '../support/cli';
import { useIngestionStack } from '../support/ingestion-stack';

const s = useIngestionStack();
let cfn: CloudFormationClient;
let sqs: SQSClient;
let dir: string;
let home: string;
const previousHome = process.env.LEADFLOW_HOME;

/** Creates a CloudFormation stack in moto whose only purpose is its outputs. */
async function createOutputsStack(stage: string, outputs: Record<string, string>): Promise<void> {
  const template = {
    Resources: { Placeholder: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `cfn-placeholder-${stage}` } } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
  };
  await cfn.send(new CreateStackCommand({ StackName: stackNameOf(stage), TemplateBody: JSON.stringify(template) }));
}

/** The outputs the CDK stack would give this local stack. */
function outputsOf(queues: Record<string, { url: string; dlq: string }>): Record<string, string> {
  const r = s.stack.resources;
  const k = stackOutputKeys;
  return {
    [k.region]: r.region,
    [k.uploadsBucket]: r.bucket,
    [k.privacyBucket]: r.privacyBucket,
    [k.stateTable]: r.tables.state,
    ...Object.fromEntries(queueNames.flatMap((q) => [[k.queueUrl(q), queues[q]!.url], [k.dlqUrl(q), queues[q]!.dlq]])),
  };
}

beforeAll(async () => {
  const config = { endpoint: s.stack.endpoints.aws, region: s.stack.resources.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  cfn = new CloudFormationClient(config);
  sqs = new SQSClient(config);
  dir = mkdtempSync(join(tmpdir(), 'leadflow-stack-cli-'));
  // No running dev stack for --local commands of this file.
  home = tempStateDir();
  process.env.LEADFLOW_HOME = home;
  const r = s.stack.resources;
  await createOutputsStack(r.stage, outputsOf(Object.fromEntries(queueNames.map((q) => [q, { url: r.queues[q].url, dlq: r.queues[q].dlq.url }]))));
}, 60_000);

afterAll(() => {
  cfn?.destroy();
  sqs?.destroy();
  if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
  else process.env.LEADFLOW_HOME = previousHome;
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('leadflow --stack NAME', () => {
  let uploadId: string;

  it('ingest uploads into the stack found by its outputs and follows the upload to its summary', async () => {
    const listId = await s.newList('stack-cli');
    const file = join(dir, 'stack-leads.csv');
    writeFileSync(file, 'Mobile,Customer Key\n0491 570 156,S-1\n0491 570 157,S-2\nnot a number,S-3\n', 'utf8');
    const { code, stdout, stderr } = await runCliCaptured(['ingest', file, '--list-id', String(listId), '--stack', s.stack.resources.stage, '--json']);
    expect(stderr).toContain(`using stack ${stackNameOf(s.stack.resources.stage)}`);
    expect(code).toBe(0);
    const [summary] = uploadSummarySchema.array().length(1).parse(JSON.parse(stdout));
    expect(summary!.bucket).toBe(s.bucket);
    expect(summary!.key).toBe(`incoming/${listId}/stack-leads.csv`);
    expect(summary!.outcomes).toMatchObject({ accepted: 2, rejected: 1 });
    expect((await s.leadsIn(listId)).map((l) => l.customerKey).sort()).toEqual(['S-1', 'S-2']);
    expect(stderr).not.toMatch(/0491/);
    uploadId = summary!.uploadId;
  }, 90_000);

  it('status reads the upload and its summary from the stack', async () => {
    const { code, stdout } = await runCliCaptured(['status', uploadId, '--stack', s.stack.resources.stage, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { upload: { status: string; uploadId: string }; summary: { outcomes: { accepted: number } } };
    expect(doc.upload).toMatchObject({ uploadId, status: 'completed-with-rejections' });
    expect(doc.summary.outcomes.accepted).toBe(2);
  });

  it('a stack that does not exist is a usage error naming it (exit 2)', async () => {
    const { code, stderr } = await runCliCaptured(['status', uploadId, '--stack', 'nosuch']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--stack nosuch: no CloudFormation stack leadflow-nosuch/);
  });

  it('a stack without leadflow outputs is a usage error naming what is missing (exit 2)', async () => {
    await createOutputsStack('other', { Region: s.stack.resources.region });
    const { code, stderr } = await runCliCaptured(['status', uploadId, '--stack', 'other']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/stack leadflow-other has no output UploadsBucketName, PrivacyBucketName, StateTableName/);
  });
});

describe('leadflow redrive', () => {
  const stage = 'redrive';
  const queues: Record<string, { url: string; dlq: string }> = {};

  beforeAll(async () => {
    // Queues of their own, consumed by nothing: what is moved can be counted.
    for (const q of queueNames) {
      const create = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      queues[q] = { url: await create(`redrive-${q}`), dlq: await create(`redrive-${q}-dlq`) };
    }
    await createOutputsStack(stage, outputsOf(queues));
  }, 30_000);

  const depth = async (url: string) =>
    Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

  it("moves every message of a queue's DLQ back to the queue, bodies and attributes intact", async () => {
    for (let i = 0; i < 13; i++) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queues.submit!.dlq, MessageBody: JSON.stringify({ n: i }), MessageAttributes: { origin: { DataType: 'String', StringValue: `t${i}` } } }),
      );
    }
    const { code, stdout } = await runCliCaptured(['redrive', 'submit', '--stack', stage, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ queue: 'submit', moved: 13, failed: 0, remaining: 0 });
    expect(await depth(queues.submit!.dlq)).toBe(0);
    expect(await depth(queues.submit!.url)).toBe(13);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.submit!.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    for (const m of got.Messages ?? []) {
      const n = (JSON.parse(m.Body!) as { n: number }).n;
      expect(m.MessageAttributes?.origin?.StringValue).toBe(`t${n}`);
    }
    // Other queues' DLQs are left alone.
    expect(await depth(queues.poll!.url)).toBe(0);
  });

  it('--max moves at most that many', async () => {
    for (let i = 0; i < 4; i++) await sqs.send(new SendMessageCommand({ QueueUrl: queues.poll!.dlq, MessageBody: `{"n":${i}}` }));
    const { code, stdout } = await runCliCaptured(['redrive', 'poll', '--stack', stage, '--max', '3', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ moved: 3, remaining: 1 });
    expect(await depth(queues.poll!.url)).toBe(3);
  });

  it('refuses an unknown queue (exit 2) and needs a running dev stack for --local (exit 1)', async () => {
    const unknown = await runCliCaptured(['redrive', 'nosuch', '--stack', stage]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no queue "nosuch"; one of ingest, submit, poll/);
    const local = await runCliCaptured(['redrive', 'submit', '--local']);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/no local stack is running/);
    const none = await runCliCaptured(['redrive', 'submit']);
    expect(none.code).toBe(2);
  });
});
