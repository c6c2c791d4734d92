/**
 * Where every CSV row ends: exactly one outcome each, so that
 * `rows = accepted + rejected + duplicate + suppressed + failed + inDoubt` (row conservation) holds
 * for every upload and is written in its summary.
 */

/** The final place of a row. `pending` only while its chunk is on its way. */
export const rowOutcomes = ['accepted', 'rejected', 'duplicate', 'suppressed', 'failed', 'inDoubt'] as const;
export type RowOutcome = (typeof rowOutcomes)[number];

/** Counts by outcome; `rows` is their sum once the upload has ended. */
export type OutcomeCounts = Record<RowOutcome, number> & { readonly rows: number };

/** Reason codes, one per way a row can miss being accepted. Stable: reports and dashboards key on them. */
export const reasonCodes = {
  // rejected: the row itself is wrong
  'field-count': 'the row has a different number of fields than the header',
  'malformed-row': 'the row is not valid CSV (an unclosed or stray quote)',
  'phone-missing': 'no phone number in phone1, phone2 or phone3',
  'phone-invalid': 'not a valid phone number',
  'phone-too-short': 'the phone number has too few digits',
  'phone-too-long': 'the phone number has too many digits',
  'phone-not-dialable': 'a number a dialler must not call as a lead (premium, 13/1300, 1800...)',
  'list-missing': 'no target list: no listId column, no list in the upload key, no profile default',
  'list-invalid': 'listId is not a positive whole number',
  'timezone-invalid': 'not an IANA time zone (e.g. Australia/Sydney)',
  'timestamp-invalid': 'nextAttemptTimestamp is not a date and time',
  'number-invalid': 'statusCode or agentId is not a whole number',
  'field-too-long': 'a field is longer than ipSCAPE accepts',
  // duplicate: the lead is already there or earlier in the file
  'duplicate-phone-in-file': 'an earlier row of this file has the same list and phone1',
  'duplicate-customer-key-in-file': 'an earlier row of this file has the same customerKey',
  'duplicate-in-list': 'an earlier upload already put this lead in the list',
  'duplicate-upload': 'the same content was already uploaded to the same list',
  // suppressed: the person asked to be erased or not contacted
  suppressed: 'the person is on the suppression list',
  // failed / in doubt: ipSCAPE did not confirm the lead
  'job-failed': 'the bulk job ended in failure',
  'not-sent': 'ipSCAPE refused every attempt to send the chunk (rate limit, authentication or route), so it was never created',
  'job-deadline': 'the bulk job did not end before its deadline',
  'outcome-unknown': 'bulk create may or may not have run, and reconciliation could not confirm the lead',
  'not-found-after-reconcile': 'the bulk create outcome was unknown and the lead is not in the list',
} as const;
export type ReasonCode = keyof typeof reasonCodes;

/** The outcome a reason code belongs to. */
export function outcomeOf(reason: ReasonCode): Exclude<RowOutcome, 'accepted'> {
  if (reason.startsWith('duplicate-')) return 'duplicate';
  if (reason === 'suppressed') return 'suppressed';
  if (reason === 'job-failed' || reason === 'job-deadline' || reason === 'not-found-after-reconcile' || reason === 'not-sent') return 'failed';
  if (reason === 'outcome-unknown') return 'inDoubt';
  return 'rejected';
}

/** A zeroed counter set. */
export function emptyCounts(): Record<RowOutcome, number> {
  return { accepted: 0, rejected: 0, duplicate: 0, suppressed: 0, failed: 0, inDoubt: 0 };
}
