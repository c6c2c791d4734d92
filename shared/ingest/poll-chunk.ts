/**
 * Poll: follow a chunk's bulk job to its end. The job's status string is opaque; the tenant's
 * configured success/failure values decide, anything else is "still running" until the deadline.
 * The next poll comes after a share of the time the job has run so far (`settings.pollLateness`), so
 * the end of a job is noticed within that share of its duration, with few polls for long jobs.
 */
import type { IpscapeClient } from '../ipscape/client';
import { IpscapeError } from '../ipscape/errors';
import { classifyBulkStatus, type TenantConfig } from '../ipscape/tenant-config';
import type { Telemetry } from '../observability/telemetry';
import type { ChunkStore } from './chunk-store';
import type { LeadIdentifier } from './lead-identity';
import type { PollMessage } from './messages';
import { pollDelaySeconds, type IngestSettings } from './settings';
import { chunkTally } from './chunk-tally';
import { releaseClaims } from './lead-claims';
import { finalChunkStates, type ChunkRecord, type UploadRecord, type UploadStore } from './upload-state';
import type { WorkQueue } from './work-queue';

export interface PollDeps {
  readonly store: UploadStore;
  readonly chunks: ChunkStore;
  readonly ipscape: Pick<IpscapeClient, 'getBulkJob' | 'listLeads' | 'pages'>;
  readonly tenant: Pick<TenantConfig, 'bulkStatus'>;
  readonly pollQueue: WorkQueue<PollMessage>;
  readonly identity: LeadIdentifier;
  readonly settings: IngestSettings;
  readonly telemetry: Telemetry;
  readonly onChunkFinished: (upload: UploadRecord) => Promise<void>;
  readonly now?: () => Date;
  /** Learns how long jobs take, so a running job is polled next at its expected end; without it, polls follow the lateness share alone. */
  readonly jobDurations?: JobDurations;
}

/**
 * How long bulk jobs took lately, per lead, as this process saw them: where the next poll of a
 * running job aims, skipping polls that would only hear "running" (each one a request from the
 * tenant's budget that a bulk create could have used). Kept in memory by the poll function's
 * instance (a warm instance polls the jobs of an upload one after another); with nothing learned
 * yet, or a job running past its expected end, polls follow the lateness share as before.
 *
 * Each ended job gives one sample: its end lies between the last poll that heard "running" and the
 * poll that heard the end, so the sample is the middle of that interval, the lower bound taken as at
 * least three quarters of the upper one (a first poll long before the end says little).
 */
export interface JobDurations {
  /** A poll heard the job running after `elapsedSeconds`. */
  running(jobUuid: string, elapsedSeconds: number): void;
  /** A poll heard the job's end after `elapsedSeconds`; `leads` is what it was sent. */
  ended(jobUuid: string, elapsedSeconds: number, leads: number): void;
  /** Expected duration of a job of `leads` leads (median of recent jobs), or undefined before any ended. */
  expectedSeconds(leads: number): number | undefined;
}

/**
 * Creates an in-memory {@link JobDurations} keeping the last `samples` ended jobs.
 *
 * @example const durations = createJobDurations(); durations.running('j1', 1); durations.ended('j1', 3, 100); durations.expectedSeconds(100) // 2.625
 */
export function createJobDurations(samples = 16): JobDurations {
  const perLead: number[] = [];
  const heardRunning = new Map<string, number>();
  return {
    running(jobUuid, elapsedSeconds) {
      heardRunning.delete(jobUuid);
      heardRunning.set(jobUuid, elapsedSeconds);
      // Jobs whose end this instance never hears (another instance did) must not pile up.
      if (heardRunning.size > 1000) heardRunning.delete(heardRunning.keys().next().value!);
    },
    ended(jobUuid, elapsedSeconds, leads) {
      const lower = Math.max(heardRunning.get(jobUuid) ?? 0, elapsedSeconds * 0.75);
      heardRunning.delete(jobUuid);
      if (!(leads > 0) || !(elapsedSeconds > 0)) return;
      perLead.push((lower + elapsedSeconds) / 2 / leads);
      if (perLead.length > samples) perLead.shift();
    },
    expectedSeconds(leads) {
      if (perLead.length === 0) return undefined;
      const sorted = [...perLead].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]! * leads;
    },
  };
}

export type PollOutcome = 'succeeded' | 'failed' | 'past-deadline' | 'running' | 'already-handled' | 'retry-later';

/**
 * Polls a chunk's job once and either ends the chunk or schedules the next poll.
 * Safe to call again with the same message.
 */
export async function pollChunk(message: PollMessage, deps: PollDeps): Promise<PollOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry } = deps;
  const { uploadId, chunk } = message;
  const log = { uploadId, chunk };
  const record = await store.getChunk(uploadId, chunk);
  if (!record || record.state !== 'submitted' || !record.jobUuid) {
    telemetry.info(`poll: chunk is ${record?.state ?? 'missing'}: nothing to do`, log);
    await finishIfChunkEnded(record, deps);
    return 'already-handled';
  }

  const pastDeadline = record.deadline !== undefined && now().getTime() >= Date.parse(record.deadline);
  const jobSeconds = (now().getTime() - Date.parse(record.submittedAt ?? record.sentAt ?? now().toISOString())) / 1000;
  let status: string | undefined;
  try {
    // Ahead of bulk creates in the tenant's request queue: a poll is one cheap read, and its delay is
    // how late the end of the job is noticed.
    status = (await deps.ipscape.getBulkJob(record.jobUuid, { priority: 'high' })).status;
  } catch (error) {
    if (!(error instanceof IpscapeError) || error.kind === 'auth') throw error;
    telemetry.warn('poll: no usable answer from ipSCAPE', { ...log, kind: error.kind, status: error.status });
    if (!pastDeadline) {
      // Retried by the next poll, not by SQS, so a passing outage does not burn the message's receive
      // count into the DLQ; the delay grows as for a running job, so a lasting one does not hammer.
      await deps.pollQueue.send({ ...message, attempt: message.attempt + 1 }, Math.max(1, pollDelaySeconds(deps.settings, jobSeconds)));
      return 'retry-later';
    }
    // Past the deadline and still no answer (404, 400, unreadable...): the job's fate is not known, the chunk ends below.
  }

  const verdict = status === undefined ? 'running' : classifyBulkStatus(deps.tenant, status);
  const exceptions = record.exceptions ?? [];
  const sent = record.rows - exceptions.length;
  const endedAt = now().toISOString();

  if (verdict === 'succeeded' || verdict === 'failed') deps.jobDurations?.ended(record.jobUuid, jobSeconds, sent);

  if (verdict === 'succeeded') {
    const finished = await store.finishChunk(uploadId, chunk, ['submitted'], 'succeeded', chunkTally(exceptions, sent), { jobStatus: status, endedAt });
    if (!finished) return 'already-handled';
    telemetry.info('bulk job succeeded', { ...log, jobUuid: record.jobUuid, jobStatus: status, jobSeconds });
    telemetry.metric('ChunksSucceeded', 1);
    telemetry.metric('BulkJobDuration', jobSeconds, 'Seconds');
    await deps.onChunkFinished(finished);
    return 'succeeded';
  }

  if (verdict === 'failed' || pastDeadline) {
    // Every row that was sent failed with the job: each gets its line in the report.
    const reason = verdict === 'failed' ? ('job-failed' as const) : ('job-deadline' as const);
    const body = await deps.chunks.readChunk(record.key);
    const out = new Set(exceptions.map((e) => e.line));
    const all = [...exceptions, ...body.leads.filter((l) => !out.has(l.line)).map((l) => ({ line: l.line, reason }))];
    // Claims go before the chunk ends: a crash in between must not leave them held for good (release is idempotent).
    if (verdict === 'failed') await releaseClaims(record, deps);
    const finished = await store.finishChunk(uploadId, chunk, ['submitted'], 'failed', chunkTally(all, 0), {
      ...(status !== undefined && { jobStatus: status }),
      endedAt,
      exceptions: all,
    });
    if (!finished) return 'already-handled';
    if (verdict === 'failed') {
      telemetry.error('bulk job failed', { ...log, jobUuid: record.jobUuid, jobStatus: status, jobSeconds });
      telemetry.metric('ChunksFailed', 1);
    } else {
      // The job may still finish after this: its claims are kept so a later upload cannot duplicate its leads.
      telemetry.error('bulk job passed its deadline', { ...log, jobUuid: record.jobUuid, jobStatus: status, jobSeconds });
      telemetry.metric('BulkJobsPastDeadline', 1);
    }
    await deps.onChunkFinished(finished);
    return verdict === 'failed' ? 'failed' : 'past-deadline';
  }

  await store.transitionChunk(uploadId, chunk, ['submitted'], 'submitted', { ...(status !== undefined && { jobStatus: status }), polls: record.polls + 1 });
  deps.jobDurations?.running(record.jobUuid, jobSeconds);
  const delay = pollDelaySeconds(deps.settings, jobSeconds, deps.jobDurations?.expectedSeconds(sent));
  await deps.pollQueue.send({ ...message, attempt: message.attempt + 1 }, delay);
  telemetry.debug('bulk job still running', { ...log, jobStatus: status, nextPollSeconds: delay });
  return 'running';
}

/**
 * A step that finds its chunk already ended still offers the upload to finish: the attempt that
 * ended it may have died before finishing (S3 down while writing the report), and the redelivered
 * message is the only thing left that can finish it. Finishing is idempotent.
 */
export async function finishIfChunkEnded(
  record: ChunkRecord | undefined,
  deps: { readonly store: UploadStore; readonly onChunkFinished: (upload: UploadRecord) => Promise<void> },
): Promise<void> {
  if (!record || !finalChunkStates.includes(record.state)) return;
  const upload = await deps.store.getUpload(record.uploadId);
  if (upload) await deps.onChunkFinished(upload);
}
