/**
 * Checks on lead bodies beyond structure: the contract's semantic checks, plus references to
 * things that must exist in the tenant (a list, an agent). Unknown references are 400s naming the
 * field, not 404s: the path exists, the body is what is wrong.
 */
import { checkCreateLead, checkUpdateLead, type FieldProblem } from '../../../shared/ipscape/semantic';
import type { CreateLeadRequest, UpdateLeadRequest } from '../../../shared/ipscape/schemas/leads';
import type { SimulatorState } from '../state';

function referenceProblems(
  state: SimulatorState,
  body: { listId?: number | null; agentId?: number | null },
  prefix: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (body.listId != null && body.listId > 0 && !state.lists.has(body.listId)) {
    problems.push({ field: `${prefix}listId`, message: 'no lead list with this id' });
  }
  if (body.agentId != null && state.users.get(body.agentId)?.userType !== 'agent') {
    problems.push({ field: `${prefix}agentId`, message: 'no agent with this id' });
  }
  return problems;
}

/** Problems with a create-lead body (or one bulk element, with a prefix such as `leads.3.`). */
export function createLeadProblems(state: SimulatorState, body: CreateLeadRequest, prefix = ''): FieldProblem[] {
  return [...checkCreateLead(body, prefix), ...referenceProblems(state, body, prefix)];
}

/** Problems with an update-lead body. */
export function updateLeadProblems(state: SimulatorState, body: UpdateLeadRequest): FieldProblem[] {
  return [...checkUpdateLead(body), ...referenceProblems(state, body, '')];
}
