/**
 * The suppression list as ingestion sees it: people who asked to be erased or not contacted, known
 * only by keyed hashes of their identifiers (E.164 phones, lower-case emails). Privacy erasure fills
 * it; ingestion checks every row at parse time (64-bit keyed fingerprints, fast) and again right
 * before a chunk is sent (HMAC identifiers, exact).
 */
import { DedupeIndex } from '../dedupe/dedupe-index';

/** Looks identifiers up in the suppression list. */
export interface SuppressionList {
  /** The subset of `identifierHashes` (HMAC, see `lead-identity.ts`) that is suppressed. */
  suppressed(identifierHashes: readonly string[]): Promise<ReadonlySet<string>>;
  /** Fingerprints (label `suppression/v1`) of every suppressed identifier, for the parse-time check. */
  fingerprints(): Promise<DedupeIndex>;
}

/** A suppression list with nobody on it (until erasure lands, and in tests). */
export const emptySuppressionList: SuppressionList = {
  suppressed: async () => new Set<string>(),
  fingerprints: async () => new DedupeIndex(),
};
