/**
 * Ingestion settings: chunk size, bulk job deadline and polling cadence. One zod object with
 * documented defaults; deployed from CDK context, locally from the dev stack.
 */
import { z } from 'zod';

export const ingestSettingsSchema = z.strictObject({
  /** Leads per chunk (one bulk create each). */
  chunkSize: z.int().min(1).max(5000).default(500),
  /** A bulk job still running this long after submission is failed; an in-doubt chunk is reconciled then. */
  jobDeadlineSeconds: z.int().min(1).default(3600),
  /** First poll after submission. */
  pollMinDelaySeconds: z.int().min(0).max(900).default(2),
  /** SQS's own ceiling for a message delay. */
  pollMaxDelaySeconds: z.int().min(1).max(900).default(900),
  /**
   * Next poll after this share of the time the job has run so far. 0.25 bounds how late the end of a
   * job is noticed to a quarter of its duration (a geometric series with ratio 1.25).
   */
  pollLateness: z.number().positive().max(1).default(0.25),
  /**
   * A chunk found `sending` for less than this is taken to be in flight in another invocation (a
   * duplicate message), not abandoned by a crash: the message is retried later instead of putting the
   * chunk in doubt. The submit function's timeout.
   */
  sendingGraceSeconds: z.int().min(0).max(900).default(60),
  /** Default phone region for numbers written without a country code. */
  defaultRegion: z.string().length(2).default('AU'),
  /**
   * A parse hands over to a fresh invocation (a checkpoint and an `ingest-continue` message) when
   * less than this is left of the current one: enough to close the report part and write the
   * checkpoint with its dedupe index (about 16 MB a million rows).
   */
  checkpointReserveSeconds: z.int().min(1).max(900).default(60),
  /** Also hand over after this many rows in one invocation (unset: only time decides). */
  rowsPerInvocation: z.int().positive().optional(),
  /**
   * An upload still `received` or `parsing` this long after its last change has lost its ingest
   * message for good (it is in the DLQ): the sweep ends it as failed (`ingest-abandoned`). Far above a
   * parse segment (at most the function's 15 minutes) and above the DLQ's receives × visibility.
   */
  strandedAfterSeconds: z.int().min(900).default(21_600),
});
export type IngestSettings = z.output<typeof ingestSettingsSchema>;

/** The defaults, for tests and local runs. */
export const defaultIngestSettings: IngestSettings = ingestSettingsSchema.parse({});

/**
 * Delay before the next poll of a job that has been running `elapsedSeconds`. With the job's
 * expected duration (`expectedSeconds`, learned from earlier jobs), a job expected to run on is
 * polled next at its expected end rather than sooner: the polls in between would only hear
 * "running". Never sooner than the lateness share, so a job that runs past its expected end is
 * still noticed within `pollLateness` of its duration.
 *
 * @example pollDelaySeconds(defaultIngestSettings, 400) // 100
 * @example pollDelaySeconds(defaultIngestSettings, 2, 30) // 28
 */
export function pollDelaySeconds(settings: IngestSettings, elapsedSeconds: number, expectedSeconds?: number): number {
  const elapsed = Math.max(0, elapsedSeconds);
  const wanted = Math.max(Math.ceil(elapsed * settings.pollLateness), expectedSeconds !== undefined && expectedSeconds > elapsed ? Math.ceil(expectedSeconds - elapsed) : 0);
  return Math.min(settings.pollMaxDelaySeconds, Math.max(settings.pollMinDelaySeconds, wanted));
}
