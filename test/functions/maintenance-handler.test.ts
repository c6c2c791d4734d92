/**
 * The maintenance handler's own shape, without AWS: a message that is not a maintenance message fails
 * alone (to be retried, then parked in the DLQ) and is never quoted in a log; the schedule without a
 * policy plans nothing. The domain behind it is tested over moto and the simulator
 * (maintenance.integration.test.ts).
 */
import { PassThrough } from 'node:stream';
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMaintenanceHandler, type MaintenanceRuntime } from '../../functions/maintenance/handler';
import { localPowertools } from '../../local/function-handlers';
import type { MaintenancePorts } from '../../shared/maintenance/maintenance-ports';
import { defaultMaintenanceSettings } from '../../shared/maintenance/settings';

function harness() {
  const stream = new PassThrough();
  let logs = '';
  stream.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const warnings: string[] = [];
  const ports = {
    settings: defaultMaintenanceSettings,
    telemetry: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {}, metric() {} },
  } as unknown as MaintenancePorts;
  const runtime: MaintenanceRuntime = { ports };
  const handler = createMaintenanceHandler(async () => runtime, localPowertools('maintenance', stream));
  const context = { getRemainingTimeInMillis: () => 300_000, functionName: 'maintenance', awsRequestId: 'r-1' } as unknown as Context;
  return { handler, context, logs: () => logs, warnings };
}

const record = (messageId: string, body: string) => ({
  messageId,
  body,
  receiptHandle: 'h',
  attributes: { ApproximateReceiveCount: '1' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:ap-southeast-2:123456789012:leadflow-test-maintenance',
  awsRegion: 'ap-southeast-2',
});

describe('maintenance handler', () => {
  it('fails a message that is not a maintenance message, alone, without quoting it', async () => {
    const { handler, context, logs } = harness();
    const event = {
      Records: [
        record('m-1', '{"kind":"maintenance-apply","planId":"../../+61491570156"}'),
        record('m-2', 'not json +61491570157'),
        record('m-3', JSON.stringify({ kind: 'maintenance-apply', planId: 'mp-20261126T130000Z-0123abcd', runId: '8d3c1f9e-8a6b-4c1e-9a55-0d6a5d1b2c3d' })),
      ],
    } as unknown as SQSEvent;
    const out = (await handler(event, context)) as { batchItemFailures: { itemIdentifier: string }[] };
    // m-3 names a run without its step: not a valid continuation either.
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }]);
    expect(logs()).toContain('maintenance message failed; it will be retried');
    expect(logs()).not.toMatch(/49157015|not json|\.\.\//);
  });

  it('the schedule without MAINTENANCE_POLICIES plans nothing and says so', async () => {
    const { handler, context, warnings } = harness();
    expect(await handler({ dryRun: false } as never, context)).toEqual({ planId: null, queued: false, continuing: false });
    expect(warnings).toEqual(['maintenance schedule fired without MAINTENANCE_POLICIES: nothing planned']);
  });
});
