import { describe, expect, it } from 'vitest';
import { createJobDurations } from '../../../shared/ingest/poll-chunk';
import { defaultIngestSettings, pollDelaySeconds } from '../../../shared/ingest/settings';

const settings = { ...defaultIngestSettings, pollMinDelaySeconds: 1, pollLateness: 0.25, pollMaxDelaySeconds: 900 };

describe('pollDelaySeconds with an expected duration', () => {
  it('waits for the expected end of a job expected to run on, never less than the lateness share', () => {
    expect(pollDelaySeconds(settings, 2, 30)).toBe(28);
    expect(pollDelaySeconds(settings, 2.5, 10)).toBe(8); // ceil(7.5)
    // Past (or at) its expected end: the lateness share, as without an expectation.
    expect(pollDelaySeconds(settings, 40, 30)).toBe(pollDelaySeconds(settings, 40));
    expect(pollDelaySeconds(settings, 400, 401)).toBe(100);
    expect(pollDelaySeconds(settings, 2, 2.5)).toBe(1);
    // Within SQS's bounds.
    expect(pollDelaySeconds(settings, 1, 5000)).toBe(900);
    expect(pollDelaySeconds(settings, 0)).toBe(1);
  });
});

describe('createJobDurations', () => {
  it('knows nothing before a job ended', () => {
    const durations = createJobDurations();
    durations.running('a', 1);
    expect(durations.expectedSeconds(100)).toBeUndefined();
  });

  it('takes the middle between the last poll that heard running and the end, per lead', () => {
    const durations = createJobDurations();
    durations.running('a', 1);
    durations.running('a', 9);
    durations.ended('a', 11, 500);
    expect(durations.expectedSeconds(500)).toBeCloseTo(10);
    expect(durations.expectedSeconds(250)).toBeCloseTo(5);
  });

  it('does not let a first poll long before the end drag the estimate down', () => {
    const durations = createJobDurations();
    durations.running('a', 1);
    durations.ended('a', 40, 100);
    // The lower bound is taken as at least 3/4 of the upper: (30 + 40) / 2.
    expect(durations.expectedSeconds(100)).toBeCloseTo(35);
  });

  it('keeps the median of the last jobs only, and forgets jobs that never end here', () => {
    const durations = createJobDurations(3);
    for (const [i, seconds] of [100, 10, 11, 12].entries()) {
      durations.running(`j${i}`, seconds);
      durations.ended(`j${i}`, seconds, 1);
    }
    expect(durations.expectedSeconds(1)).toBeCloseTo(11); // 100 fell out of the window
    // Thousands of jobs heard running whose end another instance hears: the newest is still known.
    for (let i = 0; i < 5000; i++) durations.running(`lost${i}`, 11.5);
    durations.ended('lost4999', 12, 1); // (11.5 + 12) / 2 = 11.75; window 11, 12, 11.75
    expect(durations.expectedSeconds(1)).toBeCloseTo(11.75);
  });
});
