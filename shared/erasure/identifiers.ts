/**
 * The identifiers an erasure request names: a phone, normalised to E.164 by the same normaliser as
 * ingestion (so `0412 345 678` in a request and `+61 412 345 678` in a CSV are one person), and an
 * email, trimmed and lower-cased. Problems name the field and a reason, never the value.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../leads/phone';

/** The person an erasure request is about. At least one of the two is present. */
export interface ErasureIdentifiers {
  /** E.164. */
  readonly phone?: string;
  /** Lower case, trimmed. */
  readonly email?: string;
}

/** Which identifier: the kinds are erased by separate ipSCAPE calls. */
export type IdentifierKind = 'phone' | 'email';
export const identifierKinds: readonly IdentifierKind[] = ['phone', 'email'];

/** A field that cannot be used, with why (never its value). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MAX_EMAIL = 254;

/**
 * Normalises what a request gave.
 *
 * @example normaliseIdentifiers({ phone: '0412 345 678', email: ' Jo@Example.com ' })
 * // { ok: true, identifiers: { phone: '+61412345678', email: 'jo@example.com' } }
 */
export function normaliseIdentifiers(
  input: { readonly phone?: string | null | undefined; readonly email?: string | null | undefined },
  region: string = 'AU',
): { readonly ok: true; readonly identifiers: ErasureIdentifiers } | { readonly ok: false; readonly problems: readonly FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let phone: string | undefined;
  let email: string | undefined;
  if (input.phone !== undefined && input.phone !== null && input.phone.trim() !== '') {
    const result = normalisePhone(input.phone, region as CountryCode);
    if (result.ok) phone = result.e164;
    else problems.push({ field: 'phone', message: `is not a phone number that can be normalised (${result.reason})` });
  }
  if (input.email !== undefined && input.email !== null && input.email.trim() !== '') {
    const trimmed = input.email.trim().toLowerCase();
    if (trimmed.length > MAX_EMAIL || !EMAIL.test(trimmed)) problems.push({ field: 'email', message: 'is not an email address' });
    else email = trimmed;
  }
  if (!problems.length && phone === undefined && email === undefined) problems.push({ field: 'phone', message: 'give a phone or an email (or both)' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, identifiers: { ...(phone && { phone }), ...(email && { email }) } };
}

/** The kinds present, phone first. */
export function kindsOf(identifiers: ErasureIdentifiers): IdentifierKind[] {
  return identifierKinds.filter((k) => identifiers[k] !== undefined);
}
