/**
 * An operator subscribes to finished uploads with an EventBridge rule; the summary arrives on their
 * target. Through the real pipeline on moto: S3 notification, the three functions, EventBridge.
 */
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients, type LocalClients } from '../../local/aws-clients';
import { startDevStack, type DevStack } from '../../local/dev-stack';
import { localQueueHandlersTo } from '../../local/function-handlers';
import { UPLOAD_FINISHED_EVENT } from '../../shared/aws/eventbridge-upload-events';
import { z } from 'zod';
import { uploadSummarySchema } from '../../shared/ingest/upload-summary';
import { waitFor } from '../support/wait';

let stack: DevStack;
let clients: LocalClients;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadflow-events-'));
  stack = await startDevStack({
    stage: 'events',
    handlers: localQueueHandlersTo({ stream: new PassThrough().resume() }),
    writeStateFile: false,
    stateDir: home,
    timeScale: 0.005,
  });
  clients = localClients(stack.endpoints.aws, stack.resources.region);
}, 60_000);

afterAll(async () => {
  clients?.destroy();
  await stack?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('upload-finished events', () => {
  it('reach a rule subscribed to them, with the summary as detail', async () => {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'operator-inbox' }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await clients.events.send(
      new PutRuleCommand({ Name: 'uploads-finished', EventPattern: JSON.stringify({ source: [UPLOAD_FINISHED_EVENT.source] }) }),
    );
    await clients.events.send(new PutTargetsCommand({ Rule: 'uploads-finished', Targets: [{ Id: 'inbox', Arn: Attributes!.QueueArn! }] }));

    const csv = 'Customer Key,Mobile\r\nEV-1,0491 570 156\r\nEV-2,0491 570 157\r\nEV-3,1300 000 000\r\n';
    await clients.s3.send(new PutObjectCommand({ Bucket: stack.resources.bucket, Key: 'incoming/1/events.csv', Body: csv }));

    const body = await waitFor(
      async () => {
        const out = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
        return out.Messages?.[0]?.Body;
      },
      { timeoutMs: 60_000, what: 'the upload-finished event' },
    );
    const event = JSON.parse(body) as { source: string; 'detail-type': string; detail: unknown };
    expect(event.source).toBe(UPLOAD_FINISHED_EVENT.source);
    expect(event['detail-type']).toBe(UPLOAD_FINISHED_EVENT.detailType);
    const summary = uploadSummarySchema.omit({ chunks: true }).extend({ chunks: z.number() }).parse(event.detail);
    expect(summary.chunks).toBe(1);
    expect(summary.key).toBe('incoming/1/events.csv');
    expect(summary.outcomes).toMatchObject({ accepted: 2, rejected: 1 });
    expect(summary.conservation.holds).toBe(true);
    // The event names no phone number.
    expect(body).not.toMatch(/0491|\+6149157|1300/);
  }, 90_000);
});
