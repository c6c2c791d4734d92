/**
 * Reconcile: settle a chunk whose bulk create may or may not have run (a 5xx or timeout after the
 * request left, or a crash between the call and recording its job). After the job deadline, when any
 * job it started would have ended, the leads its list gained since the chunk was sent are read (paged:
 * a request per page, not per lead) and each lead it sent is matched by phone1 (E.164) or
 * customerKey: found leads are accepted, missing ones failed (and their list claims released so a
 * later upload can bring them). A lead with neither key cannot be looked up and stays in doubt.
 * Nothing is ever sent again from here: a blind resend is how duplicates are made.
 */
import { IpscapeError } from '../ipscape/errors';
import type { Telemetry } from '../observability/telemetry';
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

/** How far before the chunk was sent to look for its leads (clock skew between us and the tenant). */
const LOOKBACK_MS = 10 * 60_000;

/** What a list gained since an instant: its leads' phone1 and customer keys. */
interface ListGains {
  readonly phones: Set<string>;
  readonly keys: Set<string>;
}

/**
 * Reads the leads a list gained since `from`, page by page: one request per page of leads, not one per
 * lead, so a 500-lead chunk reconciles in a handful of calls within one invocation.
 */
async function listGains(ipscape: ReconcileDeps['ipscape'], listId: number, from: string): Promise<ListGains> {
  const gains: ListGains = { phones: new Set(), keys: new Set() };
  for await (const page of ipscape.pages('listLeads', { listId, uploadedTimestampFrom: from })) {
    for (const item of page.items) {
      const phone1 = item.phones?.find((p) => p.phoneIndex === 1)?.phone ?? item.phones?.[0]?.phone;
      if (phone1) gains.phones.add(phone1);
      if (item.customerKey) gains.keys.add(item.customerKey);
    }
  }
  return gains;
}

/** Whether a sent lead is among a list's gains; undefined when it has neither phone1 nor customerKey. */
function isAmong(lead: ChunkLead, gains: ListGains): boolean | undefined {
  const { phone1, customerKey } = lead.lead;
  if (phone1) return gains.phones.has(phone1);
  if (customerKey) return gains.keys.has(customerKey);
  return undefined;
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
    const from = new Date(Date.parse(record.sentAt ?? record.deadline ?? now().toISOString()) - LOOKBACK_MS).toISOString();
    const gainsByList = new Map<number, ListGains>();
    for (const listId of new Set(sent.map((l) => l.lead.listId))) gainsByList.set(listId, await listGains(deps.ipscape, listId, from));
    for (const lead of sent) {
      const exists = isAmong(lead, gainsByList.get(lead.lead.listId)!);
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
