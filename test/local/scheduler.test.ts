import type { ScheduledEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { startSchedule } from '../../local/scheduler';
import { waitFor } from '../support/wait';

describe('startSchedule', () => {
  it('invokes the handler with a scheduled event until stopped, never overlapping runs', async () => {
    const events: ScheduledEvent[] = [];
    let running = 0;
    let overlapped = false;
    const errors: Error[] = [];
    const schedule = startSchedule({
      name: 'maintenance-tick',
      everyMs: 20,
      runImmediately: true,
      handler: async (event, context) => {
        overlapped ||= running > 0;
        running++;
        events.push(event);
        expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        if (events.length === 2) throw new Error('a failing run does not stop the schedule');
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(() => schedule.runs >= 3, { what: 'three runs' });
    await schedule.stop();
    const runsAtStop = schedule.runs;
    expect(running).toBe(0);
    expect(overlapped).toBe(false);
    expect(errors.map((e) => e.message)).toEqual(['a failing run does not stop the schedule']);
    expect(events[0]).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      resources: [expect.stringMatching(/:rule\/maintenance-tick$/)],
      detail: {},
    });
    expect(events[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(schedule.runs).toBe(runsAtStop);
  });
});
