/**
 * Bulk lead jobs. A job answers `queued` at once, is `processing` from a quarter of its duration,
 * and reaches its terminal status when its duration has passed on the simulator clock; only then do
 * its leads exist. Progress is computed on read from the clock, never from timers, so advancing the
 * clock through the admin API is enough to finish a job.
 */
import type { CreateLeadRequest } from '../../shared/ipscape/schemas/leads';
import type { TenantConfig } from '../../shared/ipscape/tenant-config';
import { insertLead } from './lead-records';
import type { BulkJobMode, BulkJobRecord, SimulatorState } from './state';
import { formatInZone } from './timestamps';

export const BULK_STATUS_QUEUED = 'queued';
export const BULK_STATUS_PROCESSING = 'processing';
/** What a job reports forever under the `unknown-status` fault: a value no tenant lists. */
export const BULK_STATUS_UNKNOWN = 'weird-state';

type Statuses = TenantConfig['bulkStatus'];

/** Share of the duration a job spends `queued` before `processing`. */
const QUEUED_SHARE = 0.25;

function queuedForMs(job: BulkJobRecord): number {
  return Math.floor(job.durationMs * QUEUED_SHARE);
}

/** Whether the job has reached its end (never, under `never-finish` or `unknown-status`). */
function isFinished(job: BulkJobRecord, nowMs: number): boolean {
  if (job.mode === 'never-finish' || job.mode === 'unknown-status') return false;
  return nowMs - job.submittedMs >= job.durationMs;
}

/** Records a submitted job; its leads are created later by {@link settleBulkJobs}. */
export function submitBulkJob(
  state: SimulatorState,
  job: { uuid: string; leads: readonly CreateLeadRequest[]; nowMs: number; durationMs: number; mode: BulkJobMode },
): BulkJobRecord {
  const record: BulkJobRecord = {
    uuid: job.uuid,
    submittedMs: job.nowMs,
    durationMs: Math.max(0, job.durationMs),
    mode: job.mode,
    leads: job.leads,
    settled: false,
    leadIds: [],
  };
  state.bulkJobs.set(record.uuid, record);
  return record;
}

/**
 * The status string of a job at an instant. Terminal values are the tenant's first success and
 * first failure values, so a tenant override of those values changes what the simulator says.
 */
export function bulkJobStatus(job: BulkJobRecord, nowMs: number, statuses: Statuses): string {
  if (job.mode === 'unknown-status') return BULK_STATUS_UNKNOWN;
  if (isFinished(job, nowMs)) return job.mode === 'fail' ? statuses.failure[0]! : statuses.success[0]!;
  return nowMs - job.submittedMs < queuedForMs(job) ? BULK_STATUS_QUEUED : BULK_STATUS_PROCESSING;
}

/**
 * Applies the outcome of every job that has finished by `nowMs`: a normal job's leads are created
 * (stamped with the job's completion instant); a failed job creates none. Runs before every request.
 */
export function settleBulkJobs(state: SimulatorState, nowMs: number): void {
  for (const job of state.bulkJobs.values()) {
    if (job.settled || !isFinished(job, nowMs)) continue;
    job.settled = true;
    if (job.mode !== 'normal') continue;
    const completedMs = job.submittedMs + job.durationMs;
    for (const body of job.leads) {
      // A list deleted meanwhile cannot happen (lists are never deleted), so every row lands.
      job.leadIds.push(insertLead(state, body, completedMs, job.uuid).leadId);
    }
  }
}

/** The bulk job status answer: `{uuid, status, total, processed, succeeded, failed, timestamps}`. */
export function renderBulkJob(job: BulkJobRecord, nowMs: number, statuses: Statuses, zone: string) {
  const status = bulkJobStatus(job, nowMs, statuses);
  const total = job.leads.length;
  const finished = isFinished(job, nowMs);
  let processed = 0;
  if (finished) {
    processed = total;
  } else if (job.mode !== 'unknown-status') {
    const working = job.durationMs - queuedForMs(job);
    const elapsed = nowMs - job.submittedMs - queuedForMs(job);
    processed = working > 0 && elapsed > 0 ? Math.min(total - 1, Math.floor((total * elapsed) / working)) : 0;
    processed = Math.max(0, processed);
  }
  return {
    uuid: job.uuid,
    status,
    total,
    processed,
    succeeded: finished && job.mode === 'normal' ? total : 0,
    failed: finished && job.mode === 'fail' ? total : 0,
    timestamps: {
      submitted: formatInZone(job.submittedMs, zone),
      ...(finished ? { finished: formatInZone(job.submittedMs + job.durationMs, zone) } : {}),
    },
  };
}
