/** Activity operations: list and get. */
import type { ListActivitiesQuery } from '../../../shared/ipscape/schemas/activities';
import { notFound } from '../http-errors';
import { renderActivity } from '../representations';
import { sortedById } from '../state';
import type { OperationHandler } from './operation-handler';
import { cursorPage } from './paging';
import { inRange, timeRange } from './time-range';

/** GET /activities: filters by campaign, lead, creation time and activity type. */
export const listActivities: OperationHandler = (request) => {
  const q = request.query as ListActivitiesQuery;
  const created = timeRange(request.query, 'createdTimestampFrom', 'createdTimestampTo');
  const activities = sortedById(request.sim.state.activities).filter(
    (a) =>
      (q.campaignId == null || a.campaignId === q.campaignId) &&
      (q.leadId == null || a.leadId === q.leadId) &&
      (q.activityType == null || a.type === q.activityType) &&
      inRange(created, a.createdMs),
  );
  return cursorPage(request, activities, (a) => a.activityId, (a) => renderActivity(request.render, a));
};

/** GET /activities/{activityId}. */
export const getActivity: OperationHandler = (request) => {
  const id = request.params.activityId as number;
  const activity = request.sim.state.activities.get(id);
  if (!activity) throw notFound('activity', id);
  return renderActivity(request.render, activity);
};
