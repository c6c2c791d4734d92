/**
 * Writing the suppression list (ingestion only reads it): an erased person's identifiers go on it by
 * keyed hash and `suppression/v1` fingerprint, so no later CSV brings them back; the privacy officer
 * can lift one, with a recorded reason.
 */
import { createFingerprinter } from '../dedupe/fingerprinter';
import { FINGERPRINT_LABELS } from '../ingest/ingest-upload';
import type { LeadIdentifier } from '../ingest/lead-identity';

export interface SuppressionEntry {
  readonly hash: string;
  readonly hi: number;
  readonly lo: number;
  readonly reason: string;
  readonly at: string;
}

export interface SuppressionWriter {
  add(entry: SuppressionEntry): Promise<void>;
  /** False when the hash was not suppressed. */
  remove(hash: string): Promise<boolean>;
  /** Records a lift for the audit (who, why, when). */
  recordLift(entry: { readonly hash: string; readonly reason: string; readonly actor: string; readonly at: string }): Promise<void>;
}

/** Hashes and fingerprints identifiers as ingestion checks them (E.164 phones, lower-case emails). */
export interface SuppressionKeys {
  entry(identifier: string, reason: string, at: string): SuppressionEntry;
}

/** Creates the keys under the dedupe secret. */
export function createSuppressionKeys(secret: Uint8Array | string, identity: Pick<LeadIdentifier, 'identifier'>): SuppressionKeys {
  const fingerprints = createFingerprinter(secret, FINGERPRINT_LABELS.suppression);
  return {
    entry(identifier, reason, at) {
      const hi = fingerprints.fingerprint(identifier);
      return { hash: identity.identifier(identifier), hi, lo: fingerprints.lo, reason, at };
    },
  };
}
