/**
 * The keyed hashes that identify a lead outside memory: its identities in its list (list + phone1,
 * list + customerKey), claimed at submit so no two uploads put the same lead in a list, and its
 * person identifiers (every phone, the email), looked up in the suppression list. HMAC-SHA256 with a
 * secret: a 9-digit mobile has about a billion values, so a plain or salted hash would be reversible.
 */
import { createKeyedHasher, toBase64Url, type KeyedHasher } from '../dedupe/keyed-hash';
import { customerKeyDedupeDigest, phoneDedupeDigest } from '../dedupe/lead-dedupe-keys';

/** Label of the person-identifier hashes (shared with erasure, which writes the suppression list). */
export const IDENTIFIER_LABEL = 'person-identifier/v1';

/** What identifies one lead. */
export interface LeadIdentity {
  /** Identities in its list, for list claims. */
  readonly keys: readonly string[];
  /** Person identifiers, for the suppression list. */
  readonly identifiers: readonly string[];
}

/** The fields identity is computed from (a create-lead body). */
export interface IdentifiableLead {
  readonly listId: number;
  readonly phone1?: string | null;
  readonly phone2?: string | null;
  readonly phone3?: string | null;
  readonly customerKey?: string | null;
  readonly leadData?: Readonly<Record<string, unknown>> | null;
}

/** Computes lead identities under one secret. */
export interface LeadIdentifier {
  identify(lead: IdentifiableLead): LeadIdentity;
  /** The suppression hash of one identifier: an E.164 phone or an email (lower-cased here). */
  identifier(value: string): string;
}

/**
 * Creates a lead identifier bound to the dedupe secret.
 *
 * @example createLeadIdentifier(secret).identifier('+61412345678') // 43 base64url characters
 */
export function createLeadIdentifier(secret: Uint8Array | string): LeadIdentifier {
  const hash: KeyedHasher = createKeyedHasher(secret);
  const identifier = (value: string) => toBase64Url(hash(IDENTIFIER_LABEL, value.includes('@') ? value.trim().toLowerCase() : value));
  return {
    identifier,
    identify(lead) {
      const keys: string[] = [];
      if (lead.phone1) keys.push(toBase64Url(phoneDedupeDigest(hash, lead.listId, lead.phone1)));
      if (lead.customerKey) keys.push(toBase64Url(customerKeyDedupeDigest(hash, lead.listId, lead.customerKey)));
      const identifiers = [lead.phone1, lead.phone2, lead.phone3].filter((p): p is string => Boolean(p)).map(identifier);
      const email = lead.leadData?.email;
      if (typeof email === 'string' && email.trim()) identifiers.push(identifier(email));
      return { keys, identifiers };
    },
  };
}
