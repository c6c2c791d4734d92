/** Users and agent presence. */
import type { AgentPresence, ListUsersQuery } from '../../../shared/ipscape/schemas/users';
import { notFound } from '../http-errors';
import { renderUser } from '../representations';
import { sortedById, type SimulatorState, type UserRecord } from '../state';
import type { OperationHandler } from './operation-handler';
import { cursorPage } from './paging';

/**
 * The agent with an id.
 *
 * @throws HttpError 404 when no user has the id or the user is not an agent.
 */
export function agentOr404(state: SimulatorState, agentId: number): UserRecord {
  const user = state.users.get(agentId);
  if (!user || user.userType !== 'agent') throw notFound('agent', agentId);
  return user;
}

/** GET /users: filters by user type (`agent`/`user`) and account state. */
export const listUsers: OperationHandler = (request) => {
  const q = request.query as ListUsersQuery;
  const type = q.userType?.toLowerCase();
  const users = sortedById(request.sim.state.users).filter(
    (u) => (type == null || u.userType === type) && (q.accountActive == null || u.accountIsActive === q.accountActive),
  );
  return cursorPage(request, users, (u) => u.userId, (u) => renderUser(request.render, u));
};

/** PUT /agents/presence: sets the agent Available or Unavailable and echoes the body. */
export const updateAgentPresence: OperationHandler = (request) => {
  const body = request.body as AgentPresence;
  const agent = agentOr404(request.sim.state, body.agentId);
  const status = body.available ? 'Available' : 'Unavailable';
  if (agent.status !== status) {
    agent.status = status;
    agent.statusSinceMs = request.nowMs;
  }
  return { agentId: body.agentId, available: body.available };
};
