/** The cursor page answer shared by every cursor list operation. */
import { decodeCursor, pageUri, sliceByCursor } from '../cursor';
import { validationError } from '../http-errors';
import type { OperationRequest } from './operation-handler';

/**
 * Answers `{metadata: {nextUri, previousUri}, items}` for one page of already filtered items.
 *
 * @param sorted - the items in ascending id order.
 * @param matches - the request's filters; applied while paging, so only the page's neighbourhood is scanned.
 * @throws HttpError 400 when the cursor is not one the simulator wrote.
 */
export function cursorPage<T>(
  request: OperationRequest,
  sorted: readonly T[],
  idOf: (item: T) => number,
  render: (item: T) => unknown,
  matches?: (item: T) => boolean,
): { metadata: { nextUri: string | null; previousUri: string | null }; items: unknown[] } {
  const raw = request.query.cursor;
  let position;
  if (typeof raw === 'string' && raw !== '') {
    position = decodeCursor(raw);
    if (!position) throw validationError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  }
  const slice = sliceByCursor(sorted, idOf, position, request.sim.pageSize, matches);
  const { uriPrefix } = request.sim;
  return {
    metadata: {
      nextUri: pageUri(uriPrefix, request.relativePath, request.query, slice.next),
      previousUri: pageUri(uriPrefix, request.relativePath, request.query, slice.previous),
    },
    items: slice.items.map(render),
  };
}
