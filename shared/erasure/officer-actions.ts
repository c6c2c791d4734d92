/**
 * What the privacy officer does besides submitting: cancel an open request, retry a failed one, lift
 * a suppression with a reason, and see where requests stand (near due, overdue). Each is audited.
 */
import type { LeadIdentifier } from '../ingest/lead-identity';
import type { WorkQueue } from '../ingest/work-queue';
import type { Telemetry } from '../observability/telemetry';
import type { ErasureRequestRecord } from './erasure-request';
import type { ErasureStore } from './erasure-store';
import { normaliseIdentifiers, type FieldProblem } from './identifiers';
import type { ErasureMessage } from './messages';
import type { ErasureSettings } from './settings';
import type { SuppressionWriter } from './suppression-writer';

/** The request is not in a status that allows the action (e.g. cancelling a completed one). */
export class ErasureConflictError extends Error {
  override readonly name = 'ErasureConflictError';
}

/** No request with that id. */
export class ErasureNotFoundError extends Error {
  override readonly name = 'ErasureNotFoundError';
}

export interface OfficerDeps {
  readonly store: ErasureStore;
  readonly queue: WorkQueue<ErasureMessage>;
  readonly telemetry: Telemetry;
  readonly now?: () => Date;
}

function stampOf(deps: { now?: () => Date }): string {
  return (deps.now ?? (() => new Date()))().toISOString();
}

async function existing(store: ErasureStore, requestId: string): Promise<ErasureRequestRecord> {
  const record = await store.get(requestId);
  if (!record) throw new ErasureNotFoundError(`no erasure request ${requestId}`);
  return record;
}

/**
 * Cancels an open request: its identifiers are deleted. Suppression already written stays (lift it
 * separately, with a reason, if the request was not genuine).
 */
export async function cancelErasure(requestId: string, reason: string, actor: string, deps: OfficerDeps): Promise<ErasureRequestRecord> {
  const current = await existing(deps.store, requestId);
  const at = stampOf(deps);
  const cancelled = await deps.store.transition(requestId, ['received', 'processing', 'failed'], 'cancelled', {
    set: { cancelledAt: at },
    remove: ['sealed', 'openKey', 'waiting'],
    releaseOpenLock: true,
    audit: { at, actor, action: 'cancelled', detail: reason.slice(0, 500) },
  });
  if (!cancelled) throw new ErasureConflictError(`erasure request ${requestId} is ${current.status}: only an open request can be cancelled`);
  deps.telemetry.info('erasure request cancelled', { requestId });
  deps.telemetry.metric('ErasureRequestsCancelled', 1);
  return cancelled;
}

/** Sends a failed request back to the worker; calls already made are not made again. */
export async function retryErasure(requestId: string, actor: string, deps: OfficerDeps): Promise<ErasureRequestRecord> {
  const current = await existing(deps.store, requestId);
  const at = stampOf(deps);
  const retried = await deps.store.transition(requestId, ['failed'], 'received', {
    set: { attempts: 0 },
    remove: ['lastError', 'waiting'],
    audit: { at, actor, action: 'retry requested' },
  });
  if (!retried) throw new ErasureConflictError(`erasure request ${requestId} is ${current.status}: only a failed request can be retried`);
  await deps.queue.send({ kind: 'erasure', requestId });
  deps.telemetry.info('erasure request retried', { requestId });
  return retried;
}

/** A lift that cannot be done; problems name fields. */
export class LiftInputError extends Error {
  override readonly name = 'LiftInputError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(`invalid suppression lift: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  }
}

/**
 * Takes a person's identifiers off the suppression list, with a recorded reason (at least 10
 * characters). Returns the hashes lifted (those that were suppressed).
 */
export async function liftSuppression(
  input: { readonly phone?: string; readonly email?: string; readonly reason?: string },
  actor: string,
  deps: { readonly suppression: SuppressionWriter; readonly identity: Pick<LeadIdentifier, 'identifier'>; readonly settings: ErasureSettings; readonly telemetry: Telemetry; readonly now?: () => Date },
): Promise<{ readonly lifted: number; readonly notSuppressed: number; readonly hashes: readonly string[] }> {
  const problems: FieldProblem[] = [];
  const reason = input.reason?.trim() ?? '';
  if (reason.length < 10) problems.push({ field: 'reason', message: 'must say why, in at least 10 characters' });
  const normalised = normaliseIdentifiers(input, deps.settings.defaultRegion);
  if (!normalised.ok) problems.push(...normalised.problems);
  if (problems.length || !normalised.ok) throw new LiftInputError(problems);
  const at = stampOf(deps);
  let lifted = 0;
  const hashes: string[] = [];
  for (const value of Object.values(normalised.identifiers)) {
    const hash = deps.identity.identifier(value);
    hashes.push(hash);
    if (await deps.suppression.remove(hash)) {
      lifted++;
      await deps.suppression.recordLift({ hash, reason: reason.slice(0, 500), actor, at });
    }
  }
  deps.telemetry.info('suppression lifted', { lifted });
  deps.telemetry.metric('SuppressionsLifted', lifted);
  return { lifted, notSuppressed: hashes.length - lifted, hashes };
}

/** Open requests near their due date and overdue, as metrics (alarm on either); returns the counts. */
export async function reportDueness(deps: { readonly store: ErasureStore; readonly settings: ErasureSettings; readonly telemetry: Telemetry; readonly now?: () => Date }) {
  const now = (deps.now ?? (() => new Date()))().getTime();
  const nearMs = deps.settings.nearDueDays * 86_400_000;
  let nearDue = 0;
  let overdue = 0;
  let open = 0;
  for (const status of ['received', 'processing', 'failed'] as const) {
    for (const r of await deps.store.list({ status })) {
      open++;
      const due = Date.parse(r.dueAt);
      if (due <= now) overdue++;
      else if (due - now <= nearMs) nearDue++;
    }
  }
  deps.telemetry.metric('ErasureRequestsOpen', open);
  deps.telemetry.metric('ErasureRequestsNearDue', nearDue);
  deps.telemetry.metric('ErasureRequestsOverdue', overdue);
  if (overdue) deps.telemetry.warn('erasure requests overdue', { overdue });
  return { open, nearDue, overdue };
}
