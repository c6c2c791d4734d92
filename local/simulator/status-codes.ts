/** Lead outcome and dial status codes the simulated tenant uses (ipSCAPE tenants configure their own). */

/** Lead status codes with their descriptions; `3: Abandoned` as in the reference's example lead. */
export const leadStatusDescriptions: Readonly<Record<number, string>> = {
  1: 'Answered',
  2: 'No Answer',
  3: 'Abandoned',
  4: 'Busy',
  5: 'Disconnected',
  6: 'Answering Machine',
  7: 'Callback',
  8: 'Do Not Call',
};

/** The description of a lead status code, or null for a code the tenant does not define. */
export function describeLeadStatus(code: number | null): string | null {
  return code === null ? null : (leadStatusDescriptions[code] ?? null);
}
