/**
 * Walking the two pagination styles of the API, independent of HTTP:
 * - cursor pages `{metadata: {nextUri}, items}`: follow `nextUri` until it is null/absent/empty or a
 *   page comes back empty;
 * - numbered pages `{pageNo, inPage, perPage, data}` (list campaigns): ask pageNo 0, 1, ... until a
 *   page holds fewer than `perPage` items.
 */

/** A page walk that cannot go on safely: a repeated cursor, a foreign URI, a page number mismatch. */
export class PaginationError extends Error {
  override readonly name = 'PaginationError';
}

export interface CursorPageResult<T> {
  readonly items: readonly T[];
  readonly nextUri?: string | null | undefined;
}

export interface WalkCursorPagesInput<T> {
  readonly firstUrl: string;
  readonly fetchPage: (url: string) => Promise<CursorPageResult<T>>;
  /** Turns a `nextUri` into the URL to fetch (see `resolveNextUri`); may throw to refuse it. */
  readonly resolveNextUri: (nextUri: string, currentUrl: string) => string;
}

/**
 * Yields every cursor page, following `nextUri` verbatim. A URL seen before ends the walk with a
 * {@link PaginationError} rather than looping forever.
 *
 * @example for await (const page of walkCursorPages({ firstUrl, fetchPage, resolveNextUri })) use(page.items);
 */
export async function* walkCursorPages<T>(input: WalkCursorPagesInput<T>): AsyncGenerator<CursorPageResult<T>> {
  const seen = new Set<string>();
  let url = input.firstUrl;
  for (;;) {
    seen.add(url);
    const page = await input.fetchPage(url);
    yield page;
    if (!page.nextUri || page.items.length === 0) return;
    const next = input.resolveNextUri(page.nextUri, url);
    if (seen.has(next)) throw new PaginationError('the server sent a nextUri already followed; stopping to avoid a loop');
    url = next;
  }
}

export interface NumberedPageResult<T> {
  readonly pageNo: number;
  readonly perPage: number;
  readonly data: readonly T[];
}

/**
 * Yields numbered pages from pageNo 0 until one holds fewer than `perPage` items (or none).
 * A page answered with another `pageNo` than asked means the server ignores the parameter: the walk
 * stops with a {@link PaginationError} instead of reading page 0 forever.
 *
 * @example for await (const page of walkNumberedPages((pageNo) => client.listCampaigns({ pageNo }))) use(page.data);
 */
export async function* walkNumberedPages<T>(
  fetchPage: (pageNo: number) => Promise<NumberedPageResult<T>>,
): AsyncGenerator<NumberedPageResult<T>> {
  for (let pageNo = 0; ; pageNo++) {
    const page = await fetchPage(pageNo);
    if (page.pageNo !== pageNo) {
      throw new PaginationError(`asked for page ${pageNo}, the server answered page ${page.pageNo}`);
    }
    yield page;
    if (page.data.length === 0 || page.perPage <= 0 || page.data.length < page.perPage) return;
  }
}
