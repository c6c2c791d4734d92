/** Lead list operations: list, get and create. */
import type { CreateLeadListRequest, ListLeadListsQuery } from '../../../shared/ipscape/schemas/lead-lists';
import { notFound, validationError } from '../http-errors';
import { renderLeadList } from '../representations';
import { sortedById } from '../state';
import type { OperationHandler } from './operation-handler';
import { cursorPage } from './paging';

/** GET /leads/lists, optionally for one campaign. */
export const listLeadLists: OperationHandler = (request) => {
  const q = request.query as ListLeadListsQuery;
  const lists = sortedById(request.sim.state.lists).filter((l) => q.campaignId == null || l.campaignId === q.campaignId);
  return cursorPage(request, lists, (l) => l.id, (l) => renderLeadList(request.render, l));
};

/** GET /leads/lists/{listId}. */
export const getLeadList: OperationHandler = (request) => {
  const id = request.params.listId as number;
  const list = request.sim.state.lists.get(id);
  if (!list) throw notFound('lead list', id);
  return renderLeadList(request.render, list);
};

/**
 * POST /leads/lists: `{listName, campaignId, listId}`. The campaign must exist (400 naming
 * `campaignId` otherwise). New lists start in the dialler with weight 1.
 */
export const createLeadList: OperationHandler = (request) => {
  const body = request.body as CreateLeadListRequest;
  const { state } = request.sim;
  const problems = [];
  if (body.listName.trim() === '') problems.push({ field: 'listName', message: 'must not be empty' });
  if (!state.campaigns.has(body.campaignId)) problems.push({ field: 'campaignId', message: 'no campaign with this id' });
  if (problems.length) throw validationError(problems);
  const list = {
    id: state.nextId('list'),
    name: body.listName,
    campaignId: body.campaignId,
    inDialler: true,
    weight: 1,
    createdMs: request.nowMs,
  };
  state.lists.set(list.id, list);
  return { listName: list.name, campaignId: list.campaignId, listId: list.id };
};
