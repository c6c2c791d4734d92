/**
 * The admin API under `/__admin/`: outside ipSCAPE's routes, no auth, JSON in and out, never
 * faulted and never in the request log. Tests and local runs use it to reset, seed, inject faults,
 * move the clock and read what the simulator received.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { parseIpscapeTimestamp } from '../../shared/ipscape/schemas/common';
import { applySeed, seedRequestSchema } from './admin-seed';
import { bulkJobStatus, settleBulkJobs } from './bulk-jobs';
import { faultSettingsSchema } from './faults';
import { HttpError } from './http-errors';
import { readJsonBody } from './http-io';
import { renderLead } from './representations';
import type { SimulatorRuntime } from './runtime';
import { sortedById } from './state';
import { parseBody } from './validation';

/** The admin path prefix. */
export const ADMIN_PREFIX = '/__admin';

const clockChangeSchema = z
  .strictObject({
    advanceMs: z.number().int().optional(),
    nowIso: z.string().refine((t) => parseIpscapeTimestamp(t) !== undefined, { message: 'must be an ISO-8601 timestamp with an offset' }).optional(),
    frozen: z.boolean().optional(),
  })
  .refine((b) => !(b.advanceMs !== undefined && b.nowIso !== undefined), { message: 'give advanceMs or nowIso, not both', path: ['advanceMs'] });

function stateSummary(sim: SimulatorRuntime) {
  const { state } = sim;
  const leads = [...state.leads.values()];
  const nowMs = sim.clock.now();
  const jobs: Record<string, number> = {};
  for (const job of state.bulkJobs.values()) {
    const status = bulkJobStatus(job, nowMs, sim.tenant.bulkStatus);
    jobs[status] = (jobs[status] ?? 0) + 1;
  }
  return {
    campaigns: state.campaigns.size,
    leadLists: state.lists.size,
    leads: { total: leads.length, completed: leads.filter((l) => l.completed).length, open: leads.filter((l) => !l.completed).length },
    users: state.users.size,
    activities: state.activities.size,
    diallerAttempts: state.attempts.size,
    media: state.media.size,
    bulkJobs: { total: state.bulkJobs.size, byStatus: jobs },
    requests: sim.requests.list().length,
  };
}

/**
 * Handles one admin request.
 *
 * @returns status and JSON body.
 */
export async function handleAdminRequest(sim: SimulatorRuntime, req: IncomingMessage, path: string): Promise<{ status: number; body: unknown }> {
  const method = req.method ?? 'GET';
  const route = `${method} ${path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '')}`;
  settleBulkJobs(sim.state, sim.clock.now());
  switch (route) {
    case 'POST /reset':
      sim.reset();
      return { status: 200, body: { reset: true, clock: sim.clock.read(), faults: sim.faults.settings } };
    case 'GET /faults':
      return { status: 200, body: sim.faults.settings };
    case 'POST /faults':
      return { status: 200, body: sim.faults.update(parseBody(faultSettingsSchema, (await readJsonBody(req)) ?? {})) };
    case 'DELETE /faults':
      sim.faults.reset();
      return { status: 200, body: sim.faults.settings };
    case 'POST /seed': {
      const body = parseBody(seedRequestSchema, (await readJsonBody(req)) ?? {});
      return { status: 200, body: applySeed(sim.state, body, sim.clock.now()) };
    }
    case 'GET /clock':
      return { status: 200, body: sim.clock.read() };
    case 'POST /clock': {
      const body = parseBody(clockChangeSchema, (await readJsonBody(req)) ?? {});
      if (body.advanceMs !== undefined) sim.clock.advance(body.advanceMs);
      if (body.nowIso !== undefined) sim.clock.set(parseIpscapeTimestamp(body.nowIso)!.getTime());
      if (body.frozen !== undefined) sim.clock.setFrozen(body.frozen);
      settleBulkJobs(sim.state, sim.clock.now());
      return { status: 200, body: sim.clock.read() };
    }
    case 'GET /requests':
      return { status: 200, body: { requests: sim.requests.list() } };
    case 'DELETE /requests':
      sim.requests.clear();
      return { status: 200, body: { cleared: true } };
    case 'GET /state':
      return { status: 200, body: stateSummary(sim) };
    case 'GET /leads': {
      const render = sim.renderContext(sim.clock.now());
      return { status: 200, body: { leads: sortedById(sim.state.leads).map((l) => renderLead(render, l)) } };
    }
    case 'GET /bulk-jobs': {
      const nowMs = sim.clock.now();
      return {
        status: 200,
        body: {
          jobs: [...sim.state.bulkJobs.values()].map((job) => ({
            uuid: job.uuid,
            status: bulkJobStatus(job, nowMs, sim.tenant.bulkStatus),
            mode: job.mode,
            total: job.leads.length,
            submitted: new Date(job.submittedMs).toISOString(),
            leadIds: job.leadIds,
          })),
        },
      };
    }
    default:
      throw new HttpError(404, { error: 'not_found', message: `no admin route ${route}` });
  }
}
