/**
 * Submit: one chunk becomes one bulk create, at most once.
 *
 * The chunk is marked `sending` before the call, so a crash between the call and recording its job
 * leaves evidence: a chunk found in `sending` is never sent again, it is `in-doubt` and reconciled
 * after the job deadline (see `reconcile-chunk.ts`). Leads another upload already put in the same list
 * (a claimed keyed hash) and suppressed people are taken out right before the call.
 */
import type { IpscapeClient } from '../ipscape/client';
import { IpscapeError, isIpscapeError, OutcomeUnknownError } from '../ipscape/errors';
import type { LogFields, Telemetry } from '../observability/telemetry';
import type { ChunkStore } from './chunk-store';
import type { LeadIdentifier, LeadIdentity } from './lead-identity';
import type { ChunkLead, PollMessage, SubmitMessage } from './messages';
import { chunkTally } from './chunk-tally';
import { chunkOwner, releaseClaims } from './lead-claims';
import { finishIfChunkEnded } from './poll-chunk';
import { pollDelaySeconds, type IngestSettings } from './settings';
import type { SuppressionList } from './suppression';
import type { ChunkException, UploadRecord, UploadStore } from './upload-state';
import type { WorkQueue } from './work-queue';

export interface SubmitDeps {
  readonly store: UploadStore;
  readonly chunks: ChunkStore;
  readonly ipscape: Pick<IpscapeClient, 'bulkCreateLeads'>;
  readonly pollQueue: WorkQueue<PollMessage>;
  readonly suppression: SuppressionList;
  readonly identity: LeadIdentifier;
  readonly settings: IngestSettings;
  readonly telemetry: Telemetry;
  /** Called when a chunk ends here (all its rows duplicates or suppressed), to finish the upload if it was the last. */
  readonly onChunkFinished: (upload: UploadRecord) => Promise<void>;
  readonly now?: () => Date;
}

/** What submit did with a chunk. */
export type SubmitOutcome = 'submitted' | 'nothing-to-send' | 'already-handled' | 'in-doubt' | 'rejected-by-ipscape' | 'not-sent';

/** How this delivery of the message stands. */
export interface SubmitOptions {
  /** The queue will not deliver the message again (its receive count reached the redrive limit). */
  readonly lastAttempt?: boolean;
}

/** Client error kinds that mean the bulk create certainly did not run. */
const CERTAINLY_NOT_PROCESSED: ReadonlySet<string> = new Set(['rate-limited', 'network', 'auth', 'not-found', 'aborted']);

/** A chunk another invocation is sending right now; the message comes back after its visibility timeout. */
export class ChunkBusyError extends Error {
  override readonly name = 'ChunkBusyError';
  constructor(uploadId: string, chunk: number) {
    super(`chunk ${chunk} of upload ${uploadId} is being sent by another invocation; trying again later`);
  }
}

/** When to first look at an in-doubt chunk: at its deadline, or after SQS's longest delay if that comes sooner. */
export function reconcileDelaySeconds(settings: IngestSettings): number {
  return Math.min(settings.pollMaxDelaySeconds, Math.max(1, settings.jobDeadlineSeconds));
}

/**
 * Submits one chunk. Safe to call again with the same message: it never sends a chunk twice.
 *
 * @throws IpscapeError when ipSCAPE refused before processing (rate limited, unreachable, auth): the
 * chunk is back in `pending` and the message should be retried.
 */
export async function submitChunk(message: SubmitMessage, deps: SubmitDeps, options: SubmitOptions = {}): Promise<SubmitOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry } = deps;
  const { uploadId, chunk } = message;
  const log = { uploadId, chunk };
  /** Bulk create may or may not have run: never send again, reconcile after the job deadline. */
  const markInDoubt = async (why: string, fields: LogFields = {}): Promise<'in-doubt'> => {
    const deadline = new Date(now().getTime() + deps.settings.jobDeadlineSeconds * 1000).toISOString();
    if (await store.transitionChunk(uploadId, chunk, ['sending'], 'in-doubt', { deadline })) {
      telemetry.warn(`${why}: in doubt, will reconcile after the job deadline`, { ...log, ...fields });
      telemetry.metric('ChunksInDoubt', 1);
      await deps.pollQueue.send({ kind: 'reconcile', uploadId, chunk, attempt: 0 }, reconcileDelaySeconds(deps.settings));
    }
    return 'in-doubt';
  };
  const record = await store.getChunk(uploadId, chunk);
  if (!record) throw new Error(`chunk ${chunk} of upload ${uploadId} has no state record`);
  const upload = await store.getUpload(uploadId);
  if (!upload) throw new Error(`upload ${uploadId} has no state record`);

  switch (record.state) {
    case 'pending':
      break;
    case 'sending': {
      const sentMs = Date.parse(record.sentAt ?? '');
      if (Number.isFinite(sentMs) && now().getTime() - sentMs < deps.settings.sendingGraceSeconds * 1000) {
        // Another invocation (a duplicate message) may be sending it right now: come back later.
        throw new ChunkBusyError(uploadId, chunk);
      }
      // A previous attempt died after marking the chunk but before recording a job: bulk create may have run.
      return markInDoubt('chunk found in sending');
    }
    default:
      telemetry.info(`chunk already ${record.state}: nothing to do`, log);
      await finishIfChunkEnded(record, deps);
      return 'already-handled';
  }

  const body = await deps.chunks.readChunk(message.key);
  const exceptions: ChunkException[] = [];
  const identities = new Map<ChunkLead, LeadIdentity>(body.leads.map((l) => [l, deps.identity.identify(l.lead)]));
  let leads: ChunkLead[] = body.leads;

  const suppressed = await deps.suppression.suppressed([...new Set([...identities.values()].flatMap((i) => i.identifiers))]);
  if (suppressed.size) {
    leads = leads.filter((l) => {
      const hit = identities.get(l)!.identifiers.some((id) => suppressed.has(id));
      if (hit) exceptions.push({ line: l.line, reason: 'suppressed' });
      return !hit;
    });
  }

  // Every upload records its leads in the list's memory (so a later upload finds them); only a `list`
  // upload also drops the leads another upload already brought (`file-only` sends them anyway).
  if (leads.length) {
    const owner = chunkOwner(uploadId, chunk);
    const byList = new Map<number, ChunkLead[]>();
    for (const lead of leads) {
      const listId = lead.lead.listId;
      byList.set(listId, [...(byList.get(listId) ?? []), lead]);
    }
    const kept: ChunkLead[] = [];
    for (const [listId, group] of byList) {
      const hashes = group.flatMap((l) => identities.get(l)!.keys);
      const claims = await store.claimLeads(listId, hashes, owner);
      const taken = new Set(hashes.filter((_, i) => claims[i] === 'taken'));
      const unclaim: string[] = [];
      for (const lead of group) {
        const keys = identities.get(lead)!.keys;
        if (upload.dedupe === 'list' && keys.some((k) => taken.has(k))) {
          exceptions.push({ line: lead.line, reason: 'duplicate-in-list' });
          // Its other identities were claimed for nothing: a later lead with them is no duplicate.
          unclaim.push(...keys.filter((k) => !taken.has(k)));
        } else kept.push(lead);
      }
      if (unclaim.length) await store.releaseLeads(listId, unclaim, owner);
    }
    leads = kept.sort((a, b) => a.line - b.line);
  }

  if (leads.length === 0) {
    const finished = await store.finishChunk(uploadId, chunk, ['pending'], 'succeeded', chunkTally(exceptions, 0), {
      endedAt: now().toISOString(),
      exceptions,
    });
    if (finished) await deps.onChunkFinished(finished);
    telemetry.info('chunk had nothing left to send', { ...log, duplicates: exceptions.length });
    return 'nothing-to-send';
  }

  const sentAt = now().toISOString();
  if (!(await store.transitionChunk(uploadId, chunk, ['pending'], 'sending', { sentAt, exceptions }))) {
    telemetry.info('chunk left pending by another attempt: nothing to do', log);
    return 'already-handled';
  }

  let job;
  try {
    job = await deps.ipscape.bulkCreateLeads({ leads: leads.map((l) => l.lead) });
  } catch (error) {
    // An answer we cannot read means the request was processed: as unknown as a 5xx.
    if (error instanceof OutcomeUnknownError || isIpscapeError(error, 'response-shape')) {
      return markInDoubt('bulk create outcome unknown', { kind: error.kind });
    }
    if (error instanceof IpscapeError && (error.kind === 'validation' || error.kind === 'unexpected-status')) {
      // ipSCAPE refused the chunk as a whole: nothing was created, and sending it again would be refused again.
      // Its claims go, so the leads can come back in a corrected upload.
      await releaseClaims(record, deps, new Set(leads.map((l) => l.line)));
      const finished = await store.finishChunk(uploadId, chunk, ['sending'], 'failed', chunkTally(exceptions, 0, leads.length, 'job-failed'), {
        endedAt: now().toISOString(),
        exceptions: [...exceptions, ...leads.map((l) => ({ line: l.line, reason: 'job-failed' as const }))],
      });
      telemetry.error('ipSCAPE refused the bulk create', { ...log, status: error.status, kind: error.kind });
      telemetry.metric('ChunksFailed', 1);
      if (finished) await deps.onChunkFinished(finished);
      return 'rejected-by-ipscape';
    }
    if (error instanceof IpscapeError && CERTAINLY_NOT_PROCESSED.has(error.kind)) {
      if (options.lastAttempt) {
        // The message's last delivery before the DLQ: end the chunk rather than strand the upload.
        // Nothing was created, so its claims go and its rows are failed `not-sent`, and the upload finishes.
        await releaseClaims(record, deps, new Set(leads.map((l) => l.line)));
        const all = [...exceptions, ...leads.map((l) => ({ line: l.line, reason: 'not-sent' as const }))];
        const finished = await store.finishChunk(uploadId, chunk, ['sending'], 'failed', chunkTally(all, 0), { endedAt: now().toISOString(), exceptions: all });
        telemetry.error('ipSCAPE refused every attempt to send the chunk: its rows are failed', { ...log, kind: error.kind, status: error.status });
        telemetry.metric('ChunksNotSent', 1);
        if (finished) await deps.onChunkFinished(finished);
        return 'not-sent';
      }
      // Refused before anything ran (429 after every retry, connection refused, auth, a wrong route):
      // back to pending, and the message is retried.
      await store.transitionChunk(uploadId, chunk, ['sending'], 'pending');
      throw error;
    }
    // Anything else (a bug, a crash in between) may have come after the job was created.
    return markInDoubt('bulk create ended in an unexpected error', { error: error instanceof Error ? error.name : 'unknown' });
  }

  const deadline = new Date(now().getTime() + deps.settings.jobDeadlineSeconds * 1000).toISOString();
  await store.transitionChunk(uploadId, chunk, ['sending'], 'submitted', {
    jobUuid: job.uuid,
    jobStatus: job.status,
    submittedAt: now().toISOString(),
    deadline,
  });
  await store.transitionUpload(uploadId, ['submitting'], 'polling');
  telemetry.info('bulk job submitted', { ...log, jobUuid: job.uuid, leads: leads.length, jobStatus: job.status });
  telemetry.metric('ChunksSubmitted', 1);
  telemetry.metric('LeadsSubmitted', leads.length);
  await deps.pollQueue.send({ kind: 'poll', uploadId, chunk, attempt: 0 }, pollDelaySeconds(deps.settings, 0));
  return 'submitted';
}
