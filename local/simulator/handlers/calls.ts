/** Call operations: dialler attempts (list, get) and call recording. */
import type { CallRecording, ListDiallerCallsQuery } from '../../../shared/ipscape/schemas/calls';
import { notFound } from '../http-errors';
import { renderDiallerAttempt } from '../representations';
import { sortedById } from '../state';
import { agentOr404 } from './agents';
import type { OperationHandler } from './operation-handler';
import { cursorPage } from './paging';
import { inRange, timeRange } from './time-range';

/** GET /calls/dialler: filters by campaign, lead and dial time. */
export const listDiallerCalls: OperationHandler = (request) => {
  const q = request.query as ListDiallerCallsQuery;
  const dialled = timeRange(request.query, 'dialledTimestampFrom', 'dialledTimestampTo');
  const attempts = sortedById(request.sim.state.attempts).filter(
    (a) =>
      (q.campaignId == null || a.campaignId === q.campaignId) &&
      (q.leadId == null || a.leadId === q.leadId) &&
      inRange(dialled, a.dialledMs),
  );
  return cursorPage(request, attempts, (a) => a.attemptId, (a) => renderDiallerAttempt(request.render, a));
};

/** GET /calls/dialler/{attemptId}. */
export const getDiallerAttempt: OperationHandler = (request) => {
  const id = request.params.attemptId as number;
  const attempt = request.sim.state.attempts.get(id);
  if (!attempt) throw notFound('dialler attempt', id);
  return renderDiallerAttempt(request.render, attempt);
};

/** PUT /calls/recording: records the agent's recording state and echoes the body (404 for an unknown agent). */
export const setCallRecording: OperationHandler = (request) => {
  const body = request.body as CallRecording;
  agentOr404(request.sim.state, body.agentId).recording = body.recording;
  return { agentId: body.agentId, recording: body.recording };
};
