/**
 * The record of every ipSCAPE request the simulator received, for tests (`GET /__admin/requests`).
 * It keeps the path and the names of query parameters but never their values, bodies or headers
 * other than the client's request id: those may hold phone numbers, emails or the key.
 */

/** Why a request was answered by a fault instead of the API. */
export type FaultKind = 'rate-limited' | 'error' | 'hang';

export interface RequestLogEntry {
  /** Order of arrival, from 1. */
  readonly seq: number;
  /** Simulator time of arrival (ISO-8601, UTC). */
  readonly time: string;
  /** Wall time of arrival in epoch ms: rate checks need real time even when the simulator clock is moved. */
  readonly wallTimeMs: number;
  readonly method: string;
  readonly path: string;
  readonly queryKeys: readonly string[];
  readonly operationId: string | null;
  /** The answer's status; null while unanswered (a hung request stays null). */
  status: number | null;
  /** The client's `X-Request-Id` header, if any. */
  readonly requestId: string | null;
  faulted: boolean;
  fault: FaultKind | null;
  /** Wall milliseconds from arrival to answer; null while unanswered. */
  durationMs: number | null;
}

/** An append-only list with an upper bound (the oldest entries go first). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 100_000) {}

  /** Appends an entry; the returned object is updated in place when the answer goes out. */
  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, seq: ++this.seq };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  /** A copy of every entry, oldest first. */
  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Forgets every entry (the sequence keeps counting, so ids stay unique). */
  clear(): void {
    this.entries = [];
  }
}
