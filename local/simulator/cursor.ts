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

/** Index of the first item whose id is at least `id` (binary search; items sorted by ascending id). */
function lowerBound<T>(sorted: readonly T[], idOf: (item: T) => number, id: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idOf(sorted[mid]!) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether any item in [from, to) matches, scanning outwards from the page (nearest items first). */
function anyMatch<T>(sorted: readonly T[], from: number, to: number, matches: (item: T) => boolean, backwards = false): boolean {
  if (backwards) {
    for (let i = to - 1; i >= from; i -= 1) if (matches(sorted[i]!)) return true;
  } else {
    for (let i = from; i < to; i += 1) if (matches(sorted[i]!)) return true;
  }
  return false;
}

/**
 * Cuts one page of matching items from items sorted by ascending id. Scans only around the cursor,
 * so paging through a large tenant costs per page what the page holds, not the whole set.
 *
 * @returns the page and the cursors around it (null at either end).
 */
export function sliceByCursor<T>(
  sorted: readonly T[],
  idOf: (item: T) => number,
  position: CursorPosition | undefined,
  pageSize: number,
  matches: (item: T) => boolean = () => true,
): CursorSlice<T> {
  const items: T[] = [];
  // [first, last] bound the page in `sorted`, for the "is there more" checks either side.
  let first: number;
  let last: number;
  if (position?.before) {
    let i = lowerBound(sorted, idOf, position.id) - 1;
    last = i;
    for (; i >= 0 && items.length < pageSize; i -= 1) if (matches(sorted[i]!)) items.unshift(sorted[i]!);
    first = i + 1;
    if (items.length) last = sorted.indexOf(items[items.length - 1]!, first);
  } else {
    let i = position ? lowerBound(sorted, idOf, position.id + 1) : 0;
    first = i;
    for (; i < sorted.length && items.length < pageSize; i += 1) if (matches(sorted[i]!)) items.push(sorted[i]!);
    last = i - 1;
    if (items.length) first = sorted.indexOf(items[0]!, first);
  }
  const head = items[0];
  const tail = items[items.length - 1];
  return {
    items,
    next: tail !== undefined && anyMatch(sorted, last + 1, sorted.length, matches) ? encodeCursor({ id: idOf(tail) }) : null,
    previous: head !== undefined && anyMatch(sorted, 0, first, matches, true) ? encodeCursor({ id: idOf(head), before: true }) : null,
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
