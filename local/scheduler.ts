/**
 * A timer standing in for an EventBridge schedule: invokes a scheduled handler every N milliseconds,
 * in-process, with a `ScheduledEvent` like the one EventBridge sends.
 *
 * Unlike EventBridge, a run never overlaps the previous one (the next tick waits): locally that keeps
 * logs readable and the handlers' own locking is tested by the deployed stack, not here.
 */
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { localLambdaContext } from './sqs-pump';

/** A scheduled Lambda handler. */
export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export interface ScheduleOptions {
  /** Rule name, used in the event's `resources` and the function name. */
  name: string;
  everyMs: number;
  handler: ScheduledHandler;
  /** Run once at start instead of waiting for the first interval. */
  runImmediately?: boolean;
  region?: string;
  account?: string;
  timeoutMs?: number;
  /** Called when a run throws; the schedule keeps going, as EventBridge does. */
  onError?: (error: Error) => void;
}

/** A running schedule. */
export interface Schedule {
  /** Stops the timer; resolves once a run in progress has finished. */
  stop(): Promise<void>;
  readonly runs: number;
}

/** Starts invoking `handler` every `everyMs` until `stop()`. */
export function startSchedule(options: ScheduleOptions): Schedule {
  const region = options.region ?? process.env.AWS_REGION ?? 'ap-southeast-2';
  const account = options.account ?? '123456789012';
  let stopped = false;
  let runs = 0;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    runs++;
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [`arn:aws:events:${region}:${account}:rule/${options.name}`],
      detail: {},
    };
    const context = localLambdaContext({
      functionName: `local-${options.name}`,
      region,
      account,
      deadline: Date.now() + (options.timeoutMs ?? 60_000),
      memoryMb: 256,
    });
    try {
      await options.handler(event, context);
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const tick = (): void => {
    if (stopped) return;
    current = run().finally(schedule);
  };
  const schedule = (): void => {
    if (!stopped) timer = setTimeout(tick, options.everyMs);
  };

  if (options.runImmediately) tick();
  else schedule();

  return {
    get runs() {
      return runs;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
