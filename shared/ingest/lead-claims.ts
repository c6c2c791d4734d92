/**
 * List claims: the conditional `LEAD#<listId>#<hash>` items through which no two chunks put the same
 * lead in a list. A chunk claims its leads right before bulk create and releases the claims of leads
 * that did not reach ipSCAPE, so a later upload can bring them.
 */
import type { ChunkStore } from './chunk-store';
import type { LeadIdentifier } from './lead-identity';
import type { ChunkRecord, UploadStore } from './upload-state';

/** The owner string of a chunk's lead claims. */
export function chunkOwner(uploadId: string, chunk: number): string {
  return `${uploadId}#${chunk}`;
}

/**
 * Releases a chunk's claims on the leads at `lines` (all its leads when omitted).
 */
export async function releaseClaims(
  record: ChunkRecord,
  deps: { readonly chunks: ChunkStore; readonly store: UploadStore; readonly identity: LeadIdentifier },
  lines?: ReadonlySet<number>,
): Promise<void> {
  const body = await deps.chunks.readChunk(record.key);
  const owner = chunkOwner(record.uploadId, record.chunk);
  const byList = new Map<number, string[]>();
  for (const lead of body.leads) {
    if (lines && !lines.has(lead.line)) continue;
    byList.set(lead.lead.listId, [...(byList.get(lead.lead.listId) ?? []), ...deps.identity.identify(lead.lead).keys]);
  }
  for (const [listId, hashes] of byList) await deps.store.releaseLeads(listId, hashes, owner);
}
