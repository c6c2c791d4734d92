/**
 * The erasure worker: one request, from its id, to completion.
 *
 * 1. Suppress: the person's identifiers go on the suppression list first, so ingestion stops
 *    bringing them in while the rest runs.
 * 2. Call ipSCAPE's erasure once per identifier (phone and email separately). Each success is
 *    recorded at once (`r<round>-<kind>`), so a retry never calls again for an identifier already done.
 * 3. In flight: while an upload is being parsed or a chunk holding the person has not ended, wait
 *    (the message comes back after `inFlightRecheckSeconds`); when that work has ended, call again
 *    (round 2), so leads a bulk job created after the first call do not survive.
 * 4. Purge our objects (`purge-objects.ts`) and the person index entries pointing at them.
 * 5. Complete: the receipt is kept; the sealed identifiers and the open lock are deleted.
 *
 * An ipSCAPE error schedules another attempt, up to `maxAttempts`; then the request is `failed`
 * (retryable by the officer). Log lines, metrics and errors name the request id only.
 */
import type { IpscapeClient } from '../ipscape/client';
import { IpscapeError, OutcomeUnknownError } from '../ipscape/errors';
import { erasedNothing } from '../ipscape/schemas/privacy';
import type { UploadStore } from '../ingest/upload-state';
import type { WorkQueue } from '../ingest/work-queue';
import type { Telemetry } from '../observability/telemetry';
import { callKey, type ErasureRequestRecord } from './erasure-request';
import type { ErasureStore } from './erasure-store';
import type { IdentifierKind } from './identifiers';
import { inFlightWork, type UploadsInProgress } from './in-flight';
import type { ErasureMessage } from './messages';
import type { PersonIndex, PersonIndexEntry, PersonIndexKeys } from './person-index';
import { purgeObjects } from './purge-objects';
import type { IdentifierSealer } from './sealed-identifiers';
import type { ErasureSettings } from './settings';
import type { SuppressionKeys, SuppressionWriter } from './suppression-writer';
import type { VersionedObjects } from './versioned-objects';

export interface ExecuteDeps {
  readonly store: ErasureStore;
  readonly queue: WorkQueue<ErasureMessage>;
  readonly ipscape: Pick<IpscapeClient, 'privacyErasure'>;
  readonly sealer: IdentifierSealer;
  readonly suppression: SuppressionWriter;
  readonly suppressionKeys: SuppressionKeys;
  readonly index: PersonIndex;
  readonly indexKeys: PersonIndexKeys;
  readonly uploads: Pick<UploadStore, 'getUpload' | 'listChunks'>;
  readonly inProgress: UploadsInProgress;
  readonly objects: VersionedObjects;
  readonly bucket: string;
  readonly reportsPrefix: string;
  readonly chunksPrefix: string;
  readonly settings: ErasureSettings;
  readonly telemetry: Telemetry;
  readonly now?: () => Date;
}

export type ExecuteOutcome = 'completed' | 'waiting' | 'retry-scheduled' | 'failed' | 'not-open';

/** Another execution of the request holds its lease (a duplicate message): the message comes back later. */
export class ErasureBusyError extends Error {
  override readonly name = 'ErasureBusyError';
  constructor(requestId: string) {
    super(`erasure request ${requestId} is being executed by another invocation; trying again later`);
  }
}

const ACTOR = 'erasure-worker';

/** Thrown into the retry path: the request cannot go on now. */
class StepError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Executes one request. Safe to run again with the same message, and concurrently with a cancel.
 *
 * @throws on infrastructure errors (DynamoDB, S3, SQS), so the message is retried by the queue.
 */
export async function executeErasure(message: ErasureMessage, deps: ExecuteDeps): Promise<ExecuteOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry } = deps;
  const { requestId } = message;
  const log = { requestId };
  const stamp = () => now().toISOString();

  const found = await store.get(requestId);
  if (!found || (found.status !== 'received' && found.status !== 'processing')) {
    telemetry.info(`erasure request is ${found?.status ?? 'unknown'}: nothing to do`, log);
    return 'not-open';
  }
  // One execution at a time: a duplicate delivery must not call ipSCAPE for an identifier in parallel.
  const lease = { now: stamp(), until: new Date(now().getTime() + deps.settings.leaseSeconds * 1000).toISOString() };
  let request: ErasureRequestRecord | undefined = await store.transition(requestId, ['received', 'processing'], 'processing', {
    set: { updatedAt: stamp() },
    lease,
    ...(found.status === 'received' && { audit: { at: stamp(), actor: ACTOR, action: 'processing started' } }),
  });
  if (!request) {
    const now_ = await store.get(requestId);
    if (now_ && (now_.status === 'received' || now_.status === 'processing') && now_.leaseUntil && now_.leaseUntil >= lease.now) throw new ErasureBusyError(requestId);
    return 'not-open';
  }
  if (!request.sealed) {
    telemetry.error('open erasure request without its sealed identifiers', log);
    await fail(request, 'no-identifiers', 'the request has no identifiers to erase');
    return 'failed';
  }
  const identifiers = deps.sealer.open(requestId, request.sealed);

  async function fail(current: ErasureRequestRecord, kind: string, why: string): Promise<void> {
    await store.transition(requestId, ['processing'], 'failed', {
      set: { lastError: { at: stamp(), kind, message: why } },
      remove: ['leaseUntil'],
      audit: { at: stamp(), actor: ACTOR, action: 'failed', detail: `${kind}: ${why}` },
    });
    telemetry.error('erasure request failed', { ...log, kind, attempts: current.attempts });
    telemetry.metric('ErasureRequestsFailed', 1);
  }

  try {
    // 1. Suppression first.
    if (!request.suppressedAt) {
      for (const kind of request.kinds) await deps.suppression.add(deps.suppressionKeys.entry(identifiers[kind]!, `erasure ${requestId}`, stamp()));
      request = await store.transition(requestId, ['processing'], 'processing', {
        set: { suppressedAt: stamp() },
        audit: { at: stamp(), actor: ACTOR, action: 'suppressed', detail: `${request.kinds.join(' and ')} on the suppression list` },
      });
      if (!request) return 'not-open';
    }

    for (;;) {
      // 2. One call per identifier and round, each recorded as soon as it succeeds.
      for (const kind of request.kinds) {
        const key = callKey(request.round, kind);
        if (request.calls[key]) continue;
        await callIpscape(request, kind, key);
      }
      request = (await store.get(requestId))!;
      if (request.status !== 'processing') return 'not-open';

      // 3. Work in flight holding the person.
      const entries = await indexEntries(request);
      const inFlight = await inFlightWork(entries, request.suppressedAt!, deps);
      if (inFlight.uploads + inFlight.chunks > 0) {
        const since = request.waiting?.since ?? stamp();
        if (now().getTime() - Date.parse(since) > deps.settings.inFlightMaxWaitSeconds * 1000) {
          await fail(request, 'in-flight-timeout', `ingestion work holding the person did not end within ${deps.settings.inFlightMaxWaitSeconds} s`);
          return 'failed';
        }
        const waiting = await store.transition(requestId, ['processing'], 'processing', {
          set: { waiting: { since, uploads: inFlight.uploads, chunks: inFlight.chunks } },
          remove: ['leaseUntil'],
          ...(!request.waiting && {
            audit: { at: stamp(), actor: ACTOR, action: 'waiting for ingestion in flight', detail: `${inFlight.uploads} upload(s) parsing, ${inFlight.chunks} chunk(s) not ended` },
          }),
        });
        if (!waiting) return 'not-open';
        await deps.queue.send(message, deps.settings.inFlightRecheckSeconds);
        telemetry.info('erasure waiting for ingestion in flight', { ...log, uploads: inFlight.uploads, chunks: inFlight.chunks });
        return 'waiting';
      }
      if (request.waiting) {
        // What was in flight has ended: leads it created after the last call must go too.
        request = await store.transition(requestId, ['processing'], 'processing', {
          set: { round: request.round + 1 },
          remove: ['waiting'],
          audit: { at: stamp(), actor: ACTOR, action: 'ingestion in flight ended', detail: `erasing again (round ${request.round + 1})` },
        });
        if (!request) return 'not-open';
        continue;
      }

      // 4. Our own data.
      const earlier = request.purged ?? {};
      const purgeRun = await purgeObjects(
        entries,
        requestId,
        { uploads: deps.uploads, objects: deps.objects, bucket: deps.bucket, reportsPrefix: deps.reportsPrefix, chunksPrefix: deps.chunksPrefix },
        // An object an earlier, cut-short run purged is "already gone" now: keep that run's record of it.
        async (o) => {
          if (o.action !== 'already-gone' || !earlier[`${o.bucket}/${o.key}`]) await store.recordPurged(requestId, o);
        },
      );
      const purged = (await store.get(requestId))?.purged ?? {};
      const purge = { ...purgeRun, objects: Object.values(purged) };
      const forgotten = await deps.index.forget(entries);

      // 5. Done: keep the receipt, drop the identifiers.
      const completed = await store.transition(requestId, ['processing'], 'completed', {
        set: { completedAt: stamp(), purge: { ...purge, indexEntriesDeleted: forgotten } },
        remove: ['sealed', 'openKey', 'waiting', 'lastError', 'purged', 'leaseUntil'],
        releaseOpenLock: true,
        audit: {
          at: stamp(),
          actor: ACTOR,
          action: 'completed',
          detail: `${Object.keys(request.calls).length} ipSCAPE call(s); ${purge.objects.length} object(s) of ours purged; identifiers deleted`,
        },
      });
      if (!completed) return 'not-open';
      telemetry.info('erasure request completed', { ...log, calls: Object.keys(completed.calls).length, objects: purge.objects.length });
      telemetry.metric('ErasureRequestsCompleted', 1);
      telemetry.metric('ErasureDaysToComplete', (Date.parse(completed.completedAt!) - Date.parse(completed.receivedAt)) / 86_400_000, 'Count');
      return 'completed';
    }
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    const current = (await store.get(requestId)) ?? request!;
    const attempts = current.attempts + 1;
    if (attempts >= deps.settings.maxAttempts) {
      await store.transition(requestId, ['processing'], 'processing', { set: { attempts } });
      await fail({ ...current, attempts }, error.kind, error.message);
      return 'failed';
    }
    const scheduled = await store.transition(requestId, ['processing'], 'processing', {
      set: { attempts, lastError: { at: stamp(), kind: error.kind, message: error.message } },
      remove: ['leaseUntil'],
    });
    if (!scheduled) return 'not-open';
    await deps.queue.send(message, deps.settings.retryDelaySeconds);
    telemetry.warn('erasure attempt failed; trying again later', { ...log, kind: error.kind, attempts });
    return 'retry-scheduled';
  }

  async function callIpscape(current: ErasureRequestRecord, kind: IdentifierKind, key: string): Promise<void> {
    const value = identifiers[kind]!;
    let counts;
    try {
      counts = await deps.ipscape.privacyErasure(kind === 'phone' ? { phoneNumber: value } : { emailAddress: value });
    } catch (error) {
      if (error instanceof OutcomeUnknownError) {
        // Erasing again deletes nothing more; the next call's counts may miss what this one deleted.
        await store.recordUnknownOutcome(requestId, key, stamp());
      }
      telemetry.metric('ErasureCallErrors', 1);
      // The client's errors carry redacted excerpts only; the message here names the kind and status.
      if (error instanceof IpscapeError) throw new StepError(`ipscape-${error.kind}`, `ipSCAPE erasure of the ${kind} failed (${error.kind}${error.status ? ` ${error.status}` : ''})`);
      throw error;
    }
    const recorded = await store.recordCall(requestId, key, {
      kind,
      round: current.round,
      at: stamp(),
      counts: { callData: counts.callData, emailData: counts.emailData, leadData: counts.leadData },
      // Zero counts after a lost answer mean "erased by the call whose answer was lost", not "nothing held".
      nothingHeld: erasedNothing(counts) && !current.unknownOutcomes?.[key],
      ...(current.unknownOutcomes?.[key] && { afterUnknownOutcome: true }),
    });
    telemetry.info('ipSCAPE erasure call succeeded', { ...log, kind, round: current.round, recorded, nothingHeld: erasedNothing(counts) });
    telemetry.metric('ErasureCalls', 1);
  }

  async function indexEntries(current: ErasureRequestRecord): Promise<PersonIndexEntry[]> {
    const lists = await Promise.all(current.kinds.map((k) => deps.index.find(deps.indexKeys.key(identifiers[k]!))));
    const unique = new Map(lists.flat().map((e) => [`${e.key}#${e.uploadId}#${e.line}`, e]));
    return [...unique.values()];
  }
}

/**
 * Ends a request whose message is on its last delivery and still failing (DynamoDB, S3 or SQS errors):
 * `failed`, with the error's name, so the privacy officer sees it and can retry, instead of a request
 * left `processing` behind a message in the DLQ.
 *
 * @returns whether the request was failed (false when it had already ended).
 */
export async function failAfterLastDelivery(requestId: string, errorName: string, deps: Pick<ExecuteDeps, 'store' | 'telemetry' | 'now'>): Promise<boolean> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const failed = await deps.store.transition(requestId, ['received', 'processing'], 'failed', {
    set: { lastError: { at, kind: 'worker-error', message: `the worker kept failing (${errorName}); retry once the cause is fixed` } },
    remove: ['leaseUntil'],
    audit: { at, actor: ACTOR, action: 'failed', detail: `worker-error: ${errorName} on the last delivery` },
  });
  if (failed) {
    deps.telemetry.error('erasure request failed: the worker kept failing', { requestId, error: errorName });
    deps.telemetry.metric('ErasureRequestsFailed', 1);
  }
  return failed !== undefined;
}
