/**
 * What became of each row of a request file, kept per file content (the object's ETag), so a
 * redelivered event or the same file dropped again submits no row twice, even after the row's request
 * completed and released its open-request lock. Rows refused as invalid are not recorded: they would be
 * refused again. Holds request ids only, never an identifier.
 */

/** One recorded row. `version` is the object version (or ETag) whose intake created the entry. */
export interface LedgerRow {
  readonly requestId: string;
  readonly outcome: 'created' | 'existing';
  readonly version: string;
}

export interface RequestFileLedger {
  /** Every recorded row of a file, by line. */
  rows(fileId: string): Promise<Map<number, LedgerRow>>;
  /** Records a row (overwriting nothing: the first record of a line stands). */
  record(fileId: string, line: number, row: LedgerRow): Promise<void>;
}

/** A ledger in memory, for unit tests. */
export function createMemoryRequestFileLedger(): RequestFileLedger {
  const files = new Map<string, Map<number, LedgerRow>>();
  return {
    async rows(fileId) {
      return new Map(files.get(fileId) ?? []);
    },
    async record(fileId, line, row) {
      const rows = files.get(fileId) ?? new Map<number, LedgerRow>();
      if (!rows.has(line)) rows.set(line, row);
      files.set(fileId, rows);
    },
  };
}
