import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../local/sqs-pump';
import { scheduledHandler } from '../../../shared/lambda/scheduled-handler';

const context = () => localLambdaContext({ functionName: 'sweep', region: 'ap-southeast-2', account: '000000000000', deadline: Date.now() + 10_000, memoryMb: 128 });
const event = { source: 'aws.events' } as ScheduledEvent;
const quiet = () => ({ logger: new Logger({ serviceName: 't', logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test', serviceName: 't' }) });

describe('scheduledHandler', () => {
  it('builds the runtime once, runs with it, and returns the run result', async () => {
    let builds = 0;
    const handler = scheduledHandler({ service: 't', runtime: async () => ++builds, run: async (n) => ({ n }), ...quiet() });
    expect(await handler(event, context())).toEqual({ n: 1 });
    expect(await handler(event, context())).toEqual({ n: 1 });
    expect(builds).toBe(1);
  });

  it('builds again after a failed cold start instead of caching the failure', async () => {
    let builds = 0;
    const handler = scheduledHandler({
      service: 't',
      runtime: async () => {
        if (++builds === 1) throw new Error('secrets unavailable');
        return builds;
      },
      run: async (n) => n,
      ...quiet(),
    });
    await expect(handler(event, context())).rejects.toThrow('secrets unavailable');
    expect(await handler(event, context())).toBe(2);
  });
});
