/**
 * Cursor pagination as ipSCAPE answers it: `{metadata: {nextUri, previousUri}, items}`, cursors
 * being base64 of a small JSON object (`{"id":123}`, so they start `eyJpZCI6`), and the URIs written
 * `/v3.0/<path>?<filters>&cursor=...` without the `/platform-api` prefix, as the real API does.
 */

/** Where a page starts: after `id` (forwards) or before it (following a previousUri). */
interface CursorPosition {
  readonly id: number;
  readonly before?: true;
}

/** Encodes a cursor (base64url without padding, so it needs no escaping in a query string). */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor; `undefined` when it is not one of ours. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  try {
    // Node's base64 decoder takes both alphabets, padded or not.
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { id, before } = value as Record<string, unknown>;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
    return before === true ? { id, before: true } : { id };
  } catch {
    return undefined;
  }
}

export interface CursorSlice<T> {
  readonly items: readonly T[];
  readonly next: string | null;
  readonly previous: string | null;
}

/**
 * Cuts one page from items sorted by ascending id.
 *
 * @returns the page and the cursors around it (null at either end).
 */
export function sliceByCursor<T>(
  sorted: readonly T[],
  idOf: (item: T) => number,
  position: CursorPosition | undefined,
  pageSize: number,
): CursorSlice<T> {
  let start: number;
  let end: number;
  if (position?.before) {
    end = sorted.findIndex((item) => idOf(item) >= position.id);
    if (end < 0) end = sorted.length;
    start = Math.max(0, end - pageSize);
  } else {
    start = position ? sorted.findIndex((item) => idOf(item) > position.id) : 0;
    if (start < 0) start = sorted.length;
    end = Math.min(sorted.length, start + pageSize);
  }
  const items = sorted.slice(start, end);
  const first = items[0];
  const last = items[items.length - 1];
  return {
    items,
    next: last !== undefined && end < sorted.length ? encodeCursor({ id: idOf(last) }) : null,
    previous: first !== undefined && start > 0 ? encodeCursor({ id: idOf(first), before: true }) : null,
  };
}

/**
 * The version prefix ipSCAPE writes in `nextUri`: the last segment of the base path
 * (`/platform-api/v3.0` → `/v3.0`).
 */
export function uriPrefix(basePath: string): string {
  const segments = basePath.split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  return last === undefined ? '' : `/${last}`;
}

/**
 * Builds a `nextUri`/`previousUri`, carrying the request's filters (every query parameter but the cursor).
 *
 * @example pageUri('/v3.0', '/leads', { listId: 1 }, 'eyJpZCI6MTB9') // '/v3.0/leads?listId=1&cursor=eyJpZCI6MTB9'
 */
export function pageUri(
  prefix: string,
  routePath: string,
  filters: Readonly<Record<string, unknown>>,
  cursor: string | null,
): string | null {
  if (cursor === null) return null;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (name === 'cursor' || value === undefined || value === null) continue;
    query.set(name, String(value));
  }
  query.set('cursor', cursor);
  return `${prefix}${routePath}?${query.toString()}`;
}
