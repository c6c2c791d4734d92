import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DevStackAlreadyRunningError, startDevStack, withLocalStack, type DevStack } from '../../local/dev-stack';
import { findRunningDevStack } from '../../local/dev-state';
import { parseS3Notification, type S3ObjectRef } from '../../shared/aws/s3-event';
import { fakeSimulator } from '../support/fake-simulator';
import { isGone } from '../support/processes';
import { waitFor } from '../support/wait';

let dir: string;
let stacks: DevStack[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadflow-dev-'));
  stacks = [];
});
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('startDevStack', () => {
  it('starts moto and the simulator, pumps registered handlers, writes dev.json and cleans up on stop', async () => {
    const simulator = fakeSimulator();
    const uploads: S3ObjectRef[] = [];
    const envBefore = process.env.AWS_ENDPOINT_URL;
    const stack = await startDevStack({
      stateDir: dir,
      startSimulator: simulator.start,
      simulator: { seed: 7 },
      handlers: ({ resources }) => ({
        ingest: async (event) => {
          for (const record of event.Records) {
            const notification = parseS3Notification(record.body);
            if (notification.kind === 'objects' && notification.objects[0]?.bucket === resources.bucket) uploads.push(...notification.objects);
          }
        },
      }),
    });
    stacks.push(stack);

    expect(stack.endpoints.aws).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.endpoints.ipscape).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/platform-api\/v3\.0$/);
    expect(stack.endpoints.adminUrl).toMatch(/\/__admin$/);
    expect(simulator.started[0]).toMatchObject({ apiKey: 'local-dev-key', seed: 7 });
    expect(stack.pumpedQueues).toEqual(['ingest']);
    expect(process.env.AWS_ENDPOINT_URL).toBe(stack.endpoints.aws);

    const state = JSON.parse(readFileSync(join(dir, 'dev.json'), 'utf8'));
    expect(state).toMatchObject({ pid: process.pid, stage: 'dev', endpoints: stack.endpoints, processes: stack.processes });
    expect(JSON.stringify(state)).not.toContain('local-dev-key');
    expect((await findRunningDevStack({ stateDir: dir }))?.endpoints).toEqual(stack.endpoints);

    // An upload reaches the ingest handler through S3 → SQS → pump, as it would reach the Lambda.
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: stack.resources.bucket, Key: 'incoming/list-1/leads 1.csv', Body: 'phone\n' }));
    s3.destroy();
    await waitFor(() => uploads.length > 0, { what: 'the upload to reach the ingest handler' });
    expect(uploads[0]?.key).toBe('incoming/list-1/leads 1.csv');

    await expect(startDevStack({ stateDir: dir, startSimulator: fakeSimulator().start })).rejects.toThrow(DevStackAlreadyRunningError);

    await stack.stop();
    expect(existsSync(join(dir, 'dev.json'))).toBe(false);
    expect(isGone(stack.processes.moto)).toBe(true);
    expect(process.env.AWS_ENDPOINT_URL).toBe(envBefore);
    expect(await findRunningDevStack({ stateDir: dir })).toBeUndefined();
  });

  it('treats a dev.json whose stack does not answer as absent', async () => {
    const stack = await startDevStack({ stateDir: dir, startSimulator: fakeSimulator().start });
    stacks.push(stack);
    const saved = readFileSync(join(dir, 'dev.json'), 'utf8');
    await stack.stop();
    // Left behind as a SIGKILL would leave it.
    writeFileSync(join(dir, 'dev.json'), saved);
    expect(await findRunningDevStack({ stateDir: dir })).toBeUndefined();
  });
});

describe('withLocalStack', () => {
  it('uses the running dev stack when there is one', async () => {
    const stack = await startDevStack({ stateDir: dir, startSimulator: fakeSimulator().start });
    stacks.push(stack);
    const seen = await withLocalStack(async (local) => local, { stateDir: dir, startSimulator: fakeSimulator().start });
    expect(seen.source).toBe('running');
    expect(seen.endpoints).toEqual(stack.endpoints);
  });

  it('starts a throwaway stack without dev.json otherwise, and stops it even when fn throws', async () => {
    let endpoint = '';
    await expect(
      withLocalStack(
        async (local) => {
          expect(local.source).toBe('throwaway');
          expect(existsSync(join(dir, 'dev.json'))).toBe(false);
          endpoint = local.endpoints.aws;
          const res = await fetch(`${endpoint}/moto-api/`);
          await res.body?.cancel();
          throw new Error('boom');
        },
        { stateDir: dir, startSimulator: fakeSimulator().start },
      ),
    ).rejects.toThrow('boom');
    await expect(fetch(`${endpoint}/moto-api/`)).rejects.toThrow();
  });
});
