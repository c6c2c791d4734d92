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
import { chunkOwner } from './submit-chunk';
import { chunkTally } from './chunk-tally';
import type { ChunkRecord, UploadRecord, UploadStore } from './upload-state';
import type { WorkQueue } from './work-queue';

export interface PollDeps {
  readonly store: UploadStore;
  readonly chunks: ChunkStore;
  readonly ipscape: Pick<IpscapeClient, 'getBulkJob' | 'listLeads'>;
  readonly tenant: Pick<TenantConfig, 'bulkStatus'>;
  readonly pollQueue: WorkQueue<PollMessage>;
  readonly identity: LeadIdentifier;
  readonly settings: IngestSettings;
  readonly telemetry: Telemetry;
  readonly onChunkFinished: (upload: UploadRecord) => Promise<void>;
  readonly now?: () => Date;
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
    return 'already-handled';
  }

  let status: string;
  try {
    status = (await deps.ipscape.getBulkJob(record.jobUuid)).status;
  } catch (error) {
    // A poll that could not reach ipSCAPE is retried by the next poll, not by SQS, so the
    // message does not burn its receive count and end in the DLQ over a passing outage.
    if (error instanceof IpscapeError && error.kind !== 'auth') {
      telemetry.warn('poll: ipSCAPE did not answer; polling again later', { ...log, kind: error.kind, status: error.status });
      await deps.pollQueue.send({ ...message, attempt: message.attempt + 1 }, deps.settings.pollMinDelaySeconds || 1);
      return 'retry-later';
    }
    throw error;
  }

  const verdict = classifyBulkStatus(deps.tenant, status);
  const exceptions = record.exceptions ?? [];
  const sent = record.rows - exceptions.length;
  const submittedMs = Date.parse(record.submittedAt ?? record.sentAt ?? now().toISOString());
  const endedAt = now().toISOString();
  const jobSeconds = (now().getTime() - submittedMs) / 1000;

  if (verdict === 'succeeded' || verdict === 'failed') {
    const tally = verdict === 'succeeded' ? chunkTally(exceptions, sent) : chunkTally(exceptions, 0, sent, 'job-failed');
    const finished = await store.finishChunk(uploadId, chunk, ['submitted'], verdict, tally, { jobStatus: status, endedAt });
    if (!finished) return 'already-handled';
    telemetry.info(`bulk job ${verdict}`, { ...log, jobUuid: record.jobUuid, jobStatus: status, jobSeconds });
    telemetry.metric(verdict === 'succeeded' ? 'ChunksSucceeded' : 'ChunksFailed', 1);
    telemetry.metric('BulkJobDuration', jobSeconds, 'Seconds');
    if (verdict === 'failed') await releaseClaims(record, deps);
    await deps.onChunkFinished(finished);
    return verdict;
  }

  if (record.deadline && now().getTime() >= Date.parse(record.deadline)) {
    // The job may still finish after this: its claims are kept so a later upload cannot duplicate its leads.
    const finished = await store.finishChunk(uploadId, chunk, ['submitted'], 'failed', chunkTally(exceptions, 0, sent, 'job-deadline'), {
      jobStatus: status,
      endedAt,
    });
    if (!finished) return 'already-handled';
    telemetry.error('bulk job passed its deadline', { ...log, jobUuid: record.jobUuid, jobStatus: status, jobSeconds });
    telemetry.metric('BulkJobsPastDeadline', 1);
    await deps.onChunkFinished(finished);
    return 'past-deadline';
  }

  await store.transitionChunk(uploadId, chunk, ['submitted'], 'submitted', { jobStatus: status, polls: record.polls + 1 });
  const delay = pollDelaySeconds(deps.settings, jobSeconds);
  await deps.pollQueue.send({ ...message, attempt: message.attempt + 1 }, delay);
  telemetry.debug('bulk job still running', { ...log, jobStatus: status, nextPollSeconds: delay });
  return 'running';
}

/** Releases the list claims of a chunk whose leads did not reach ipSCAPE, so a later upload can bring them. */
export async function releaseClaims(
  record: ChunkRecord,
  deps: Pick<PollDeps, 'chunks' | 'store' | 'identity'>,
  lines?: ReadonlySet<number>,
): Promise<void> {
  const body = await deps.chunks.readChunk(record.key);
  const owner = chunkOwner(record.uploadId, record.chunk);
  const byList = new Map<number, string[]>();
  for (const lead of body.leads) {
    if (lines && !lines.has(lead.line)) continue;
    const listId = lead.lead.listId;
    byList.set(listId, [...(byList.get(listId) ?? []), ...deps.identity.identify(lead.lead).keys]);
  }
  for (const [listId, hashes] of byList) await deps.store.releaseLeads(listId, hashes, owner);
}
