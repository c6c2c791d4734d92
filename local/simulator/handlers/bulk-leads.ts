/** Bulk lead create and bulk job status. */
import type { BulkCreateLeadsRequest } from '../../../shared/ipscape/schemas/leads';
import type { FieldProblem } from '../../../shared/ipscape/semantic';
import { bulkJobStatus, renderBulkJob, submitBulkJob } from '../bulk-jobs';
import { notFound, validationError } from '../http-errors';
import { createLeadProblems } from './lead-checks';
import type { OperationHandler } from './operation-handler';

/**
 * POST /leads/bulk: validates every element (fields named `leads.<i>.<field>`), then answers
 * `{uuid, status}` at once. The job's behaviour follows the `bulkJobs` fault in force now.
 */
export const bulkCreateLeads: OperationHandler = (request) => {
  const body = request.body as BulkCreateLeadsRequest;
  const leads = body.leads ?? [];
  const { sim } = request;
  const problems: FieldProblem[] = [];
  if (leads.length === 0) problems.push({ field: 'leads', message: 'must hold at least one lead' });
  leads.forEach((lead, i) => problems.push(...createLeadProblems(sim.state, lead, `leads.${i}.`)));
  if (problems.length) throw validationError(problems);
  const job = submitBulkJob(sim.state, {
    uuid: sim.nextUuid(),
    leads,
    nowMs: request.nowMs,
    durationMs: sim.bulkJobDurationMs,
    mode: sim.faults.settings.bulkJobs,
  });
  return { uuid: job.uuid, status: bulkJobStatus(job, request.nowMs, sim.tenant.bulkStatus) };
};

/** GET /leads/bulk/{uuid}: `{uuid, status, total, processed, succeeded, failed, timestamps}`. */
export const getBulkJob: OperationHandler = (request) => {
  const uuid = String(request.params.uuid);
  const job = request.sim.state.bulkJobs.get(uuid);
  if (!job) throw notFound('bulk job', uuid);
  return renderBulkJob(job, request.nowMs, request.sim.tenant.bulkStatus, request.sim.zone);
};
