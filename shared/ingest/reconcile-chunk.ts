/**
 * Reconcile: settle a chunk whose bulk create may or may not have run (a 5xx or timeout after the
 * request left, or a crash between the call and recording its job). After the job deadline, when any
 * job it started would have ended, each lead it sent is looked up in its list by phone1 (E.164) or
 * customerKey: found leads are accepted, missing ones failed (and their list claims released so a
 * later upload can bring them). A lead with neither key cannot be looked up and stays in doubt.
 * Nothing is ever sent again from here: a blind resend is how duplicates are made.
 */
import { IpscapeError } from '../ipscape/errors';
import type { Telemetry } from '../observability/telemetry';
import type { ChunkStore } from './chunk-store';
import { chunkTally } from './chunk-tally';
import type { ChunkLead, PollMessage } from './messages';
import type { PollDeps } from './poll-chunk';
import { releaseClaims } from './lead-claims';
import { finishIfChunkEnded } from './poll-chunk';
import type { ChunkException } from './upload-state';

export type ReconcileDeps = Pick<PollDeps, 'store' | 'chunks' | 'ipscape' | 'pollQueue' | 'identity' | 'settings' | 'onChunkFinished' | 'now'> & {
  readonly telemetry: Telemetry;
};

export type ReconcileOutcome = 'reconciled' | 'waiting' | 'already-handled' | 'retry-later';

async function leadExists(lead: ChunkLead, ipscape: ReconcileDeps['ipscape']): Promise<boolean | undefined> {
  const body = lead.lead as { listId: number; phone1?: string; customerKey?: string };
  const query = body.phone1 ? { listId: body.listId, phone1: body.phone1 } : body.customerKey ? { listId: body.listId, customerKey: body.customerKey } : undefined;
  if (!query) return undefined;
  const page = await ipscape.listLeads(query);
  return page.items.some((item) =>
    body.phone1 ? item.phones?.some((p) => p.phone === body.phone1) ?? false : item.customerKey === body.customerKey,
  );
}

/** Reconciles one in-doubt chunk once its deadline has passed; before that, waits (re-enqueues). */
export async function reconcileChunk(message: PollMessage, deps: ReconcileDeps): Promise<ReconcileOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store, telemetry } = deps;
  const { uploadId, chunk } = message;
  const log = { uploadId, chunk };
  const record = await store.getChunk(uploadId, chunk);
  if (!record || record.state !== 'in-doubt') {
    await finishIfChunkEnded(record, deps);
    return 'already-handled';
  }

  const waitMs = Date.parse(record.deadline ?? now().toISOString()) - now().getTime();
  if (waitMs > 0) {
    const delay = Math.min(deps.settings.pollMaxDelaySeconds, Math.max(1, Math.ceil(waitMs / 1000)));
    await deps.pollQueue.send({ ...message, attempt: message.attempt + 1 }, delay);
    return 'waiting';
  }

  const body = await deps.chunks.readChunk(record.key);
  const out = new Set((record.exceptions ?? []).map((e) => e.line));
  const sent = body.leads.filter((l) => !out.has(l.line));
  const found: number[] = [];
  const missing = new Set<number>();
  const unknown: ChunkException[] = [];
  try {
    for (const lead of sent) {
      const exists = await leadExists(lead, deps.ipscape);
      if (exists === undefined) unknown.push({ line: lead.line, reason: 'outcome-unknown' });
      else if (exists) found.push(lead.line);
      else missing.add(lead.line);
    }
  } catch (error) {
    if (!(error instanceof IpscapeError) || error.kind === 'auth') throw error;
    // Lookups get one more job deadline of their own; after that the chunk ends in doubt, alarmed,
    // rather than retrying for ever against a tenant that cannot answer.
    const giveUpAt = Date.parse(record.deadline ?? now().toISOString()) + deps.settings.jobDeadlineSeconds * 1000;
    if (now().getTime() < giveUpAt) {
      telemetry.warn('reconcile: no usable answer from ipSCAPE; trying again later', { ...log, kind: error.kind });
      await deps.pollQueue.send({ ...message, attempt: message.attempt + 1 }, Math.min(deps.settings.pollMaxDelaySeconds, 30));
      return 'retry-later';
    }
    telemetry.error('reconcile gave up: the chunk stays in doubt', { ...log, kind: error.kind });
    found.length = 0;
    missing.clear();
    unknown.length = 0;
    unknown.push(...sent.map((l) => ({ line: l.line, reason: 'outcome-unknown' as const })));
  }

  const exceptions: ChunkException[] = [
    ...(record.exceptions ?? []),
    ...[...missing].map((line) => ({ line, reason: 'not-found-after-reconcile' as const })),
    ...unknown,
  ];
  // Claims of leads that are not in ipSCAPE go before the chunk ends, so a crash in between cannot keep them.
  if (missing.size) await releaseClaims(record, deps, missing);
  const finished = await store.finishChunk(uploadId, chunk, ['in-doubt'], 'reconciled', chunkTally(exceptions, found.length), {
    endedAt: now().toISOString(),
    exceptions,
  });
  if (!finished) return 'already-handled';
  telemetry.info('in-doubt chunk reconciled', { ...log, found: found.length, missing: missing.size, unknown: unknown.length });
  telemetry.metric('ChunksReconciled', 1);
  if (unknown.length) telemetry.metric('LeadsInDoubt', unknown.length);
  await deps.onChunkFinished(finished);
  return 'reconciled';
}
