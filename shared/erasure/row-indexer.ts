/**
 * What ingestion calls to fill the person index as it reads a file: the identifiers of each row that
 * went into a chunk, or was refused with identifiers that could be read, buffered and written in
 * batches. Refused rows are indexed too: their cells are in the rejection report.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../leads/phone';
import { createPersonIndexKeys, type PersonIndex, type PersonIndexEntry, type PersonIndexKeys } from './person-index';

/** Entries buffered before a write. */
const BATCH = 2_000;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The person-identifying fields of a lead as ingestion holds it (validated or only mapped). */
export interface RowIdentifiers {
  readonly phone1?: string | null | undefined;
  readonly phone2?: string | null | undefined;
  readonly phone3?: string | null | undefined;
  readonly leadData?: Readonly<Record<string, unknown>> | null | undefined;
}

export interface RowIndexer {
  /** A row that went into `chunk` (its phones are E.164 already). */
  accepted(line: number, chunk: number, lead: RowIdentifiers): Promise<void>;
  /** A row refused at parse time: its identifiers are normalised as far as they can be. */
  refused(line: number, lead: RowIdentifiers | undefined): Promise<void>;
  /** Writes what is buffered. */
  flush(): Promise<void>;
}

/**
 * An indexer for one upload.
 *
 * @param region - of phones written without a country code (the ingest settings' default region).
 */
export function createRowIndexer(index: PersonIndex, secret: Uint8Array | string, uploadId: string, region: string): RowIndexer {
  const keys: PersonIndexKeys = createPersonIndexKeys(secret);
  let buffer: PersonIndexEntry[] = [];
  const add = async (line: number, chunk: number | undefined, identifiers: Iterable<string>) => {
    for (const id of new Set(identifiers)) buffer.push({ key: keys.key(id), uploadId, line, ...(chunk !== undefined && { chunk }) });
    if (buffer.length >= BATCH) await flush();
  };
  const flush = async () => {
    if (!buffer.length) return;
    const batch = buffer;
    buffer = [];
    await index.record(batch);
  };
  const email = (lead: RowIdentifiers): string[] => {
    const value = lead.leadData?.email;
    if (typeof value !== 'string') return [];
    const trimmed = value.trim().toLowerCase();
    return EMAIL.test(trimmed) ? [trimmed] : [];
  };
  return {
    accepted: (line, chunk, lead) => add(line, chunk, [...[lead.phone1, lead.phone2, lead.phone3].filter((p): p is string => Boolean(p)), ...email(lead)]),
    async refused(line, lead) {
      if (!lead) return;
      const phones = [lead.phone1, lead.phone2, lead.phone3].flatMap((p) => {
        if (!p) return [];
        const result = normalisePhone(p, region as CountryCode);
        return result.ok ? [result.e164] : [];
      });
      await add(line, undefined, [...phones, ...email(lead)]);
    },
    flush,
  };
}
