/**
 * The person index: for each keyed hash of a person identifier (HMAC `person-identifier/v1`, the
 * suppression key), the rows of our uploads that hold it. Ingestion records it as it reads a file, so
 * erasure finds every object holding a person's row without scanning the bucket.
 */
import type { LeadIdentifier } from '../ingest/lead-identity';

/** One row of one upload holding an identifier. */
export interface PersonIndexEntry {
  /** HMAC of the identifier. */
  readonly hash: string;
  readonly uploadId: string;
  /** The row's physical line in the upload (the line the reports name). */
  readonly line: number;
  /** The chunk the row went into; absent for rows refused at parse time. */
  readonly chunk?: number;
}

export interface PersonIndex {
  /** Records entries (idempotent: the same entry twice is one). */
  record(entries: readonly PersonIndexEntry[]): Promise<void>;
  /** Every entry of one identifier hash. */
  find(hash: string): Promise<PersonIndexEntry[]>;
  /** Deletes entries (after the rows they point at are purged); returns how many. */
  forget(entries: readonly PersonIndexEntry[]): Promise<number>;
}

/** An index that records nothing (tests, functions that do not ingest). */
export const nullPersonIndex: PersonIndex = {
  record: async () => undefined,
  find: async () => [],
  forget: async () => 0,
};

/**
 * The entries of one row: one per distinct identifier (phones in E.164, the email lower-cased).
 *
 * @example personIndexEntries(identity, 'u1', 12, 0, ['+61412345678'], 'jo@example.com') // two entries
 */
export function personIndexEntries(
  identity: Pick<LeadIdentifier, 'identifier'>,
  uploadId: string,
  line: number,
  chunk: number | undefined,
  phones: readonly string[],
  email: string | undefined,
): PersonIndexEntry[] {
  const values = new Set([...phones, ...(email ? [email] : [])]);
  return [...values].map((v) => ({ hash: identity.identifier(v), uploadId, line, ...(chunk !== undefined && { chunk }) }));
}
