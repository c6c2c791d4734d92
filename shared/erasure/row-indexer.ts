/**
 * What ingestion calls to fill the person index as it reads a file: the identifiers of each row that
 * went into a chunk, or was refused with identifiers that could be read, buffered and written in
 * batches. Refused rows are indexed too: their cells are in the rejection report.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../leads/phone';
import { createPersonIndexKeys, type PersonIndex, type PersonIndexEntry, type PersonIndexKeys } from './person-index';

/** Entries handed to the index in one call (it batches them 25 a request). */
export const ROW_INDEX_BATCH = 2_000;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The person-identifying fields of a lead as ingestion holds it (validated or only mapped). */
export interface RowIdentifiers {
  readonly phone1?: string | null | undefined;
  readonly phone2?: string | null | undefined;
  readonly phone3?: string | null | undefined;
  readonly leadData?: Readonly<Record<string, unknown>> | null | undefined;
}

export interface RowIndexer {
  /** A row that went into `chunk` (its phones are E.164 already). Buffered; {@link RowIndexer.flush} writes. */
  accepted(line: number, chunk: number, lead: RowIdentifiers): void;
  /** A row refused at parse time: its identifiers are normalised as far as they can be. Buffered. */
  refused(line: number, lead: RowIdentifiers | undefined): void;
  /** Entries waiting for {@link RowIndexer.flush}. */
  readonly buffered: number;
  /** Writes what is buffered (ingest calls it once per chunk written, when many refused rows wait, and at the end). */
  flush(): Promise<void>;
}

/**
 * An indexer for one upload. Synchronous per row (no await, no intermediate arrays: ingest calls it for
 * every row), asynchronous once per batch.
 *
 * @param region - of phones written without a country code (the ingest settings' default region).
 */
export function createRowIndexer(index: PersonIndex, secret: Uint8Array | string, uploadId: string, region: string): RowIndexer {
  const keys: PersonIndexKeys = createPersonIndexKeys(secret);
  let buffer: PersonIndexEntry[] = [];
  const push = (line: number, chunk: number | undefined, identifier: string) => {
    buffer.push(chunk === undefined ? { key: keys.key(identifier), uploadId, line } : { key: keys.key(identifier), uploadId, line, chunk });
  };
  const emailOf = (lead: RowIdentifiers): string | undefined => {
    const value = lead.leadData?.email;
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim().toLowerCase();
    return EMAIL.test(trimmed) ? trimmed : undefined;
  };
  return {
    accepted(line, chunk, lead) {
      const { phone1, phone2, phone3 } = lead;
      if (phone1) push(line, chunk, phone1);
      if (phone2 && phone2 !== phone1) push(line, chunk, phone2);
      if (phone3 && phone3 !== phone1 && phone3 !== phone2) push(line, chunk, phone3);
      const email = emailOf(lead);
      if (email) push(line, chunk, email);
    },
    refused(line, lead) {
      if (!lead) return;
      const seen = new Set<string>();
      for (const p of [lead.phone1, lead.phone2, lead.phone3]) {
        if (!p) continue;
        const result = normalisePhone(p, region as CountryCode);
        if (result.ok && !seen.has(result.e164)) {
          seen.add(result.e164);
          push(line, undefined, result.e164);
        }
      }
      const email = emailOf(lead);
      if (email) push(line, undefined, email);
    },
    get buffered() {
      return buffer.length;
    },
    async flush() {
      while (buffer.length) {
        const batch = buffer.length > ROW_INDEX_BATCH ? buffer.slice(0, ROW_INDEX_BATCH) : buffer;
        buffer = buffer.length > ROW_INDEX_BATCH ? buffer.slice(ROW_INDEX_BATCH) : [];
        await index.record(batch);
      }
    },
  };
}
