/**
 * The suppression list as ingestion sees it: keyed hashes of identifiers (E.164 phones, lower-case
 * emails) of people who asked to be erased or not contacted. Privacy erasure fills it; ingestion
 * checks every row against it at parse time and again right before a chunk is sent.
 */

/** Looks identifiers up in the suppression list. */
export interface SuppressionList {
  /** The subset of `identifierHashes` that is suppressed. */
  suppressed(identifierHashes: readonly string[]): Promise<ReadonlySet<string>>;
}

/** A suppression list with nobody on it (until erasure lands, and in tests). */
export const emptySuppressionList: SuppressionList = {
  suppressed: async () => new Set<string>(),
};
