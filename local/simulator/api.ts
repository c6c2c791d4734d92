/**
 * The ipSCAPE side of the simulator: one request from arrival to answer. Order: log the arrival,
 * apply faults (rate limit, hang, latency, 5xx), then auth, routing, validation and the handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { operations, type OperationSpec } from '../../shared/ipscape/operations';
import { isAuthorised } from './auth';
import { settleBulkJobs } from './bulk-jobs';
import type { FaultDecision } from './faults';
import { operationHandlers } from './handlers/index';
import { HttpError } from './http-errors';
import { readJsonBody, sendJson, sendText } from './http-io';
import type { RequestLogEntry } from './request-log';
import type { SimulatorRuntime } from './runtime';
import { parseBody, parsePathParams, parseQuery } from './validation';

/** Lets the server cancel pending latency waits on close. */
export interface DelayScheduler {
  delay(ms: number): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

function faultAnswer(decision: Extract<FaultDecision, { kind: 'error' }>): Answer {
  if (decision.status === 502) {
    // Gateways answer 502 with HTML, not the API's JSON: clients must act on the status alone.
    return { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } };
  }
  if (decision.status === 503) {
    return { status: 503, body: { error: 'service_unavailable', message: 'simulated outage' }, headers: { 'retry-after': '1' } };
  }
  return { status: 500, body: { error: 'internal_error', message: 'simulated server error' } };
}

async function answerOperation(sim: SimulatorRuntime, req: IncomingMessage, url: URL, relativePath: string | null): Promise<Answer> {
  if (relativePath === null) throw new HttpError(404, { error: 'not_found', message: 'no such path' });
  if (!isAuthorised(req.headers, sim.tenant.auth, sim.apiKey)) {
    throw new HttpError(401, { error: 'unauthorized', message: `missing or invalid credentials in the ${sim.tenant.auth.header} header` });
  }
  const match = sim.router.match(req.method ?? 'GET', relativePath);
  if (match.kind === 'not-found') throw new HttpError(404, { error: 'not_found', message: 'no such path' });
  if (match.kind === 'bad-path') throw new HttpError(400, { error: 'validation', fields: [{ field: '(path)', message: 'is not a valid URL path' }] });
  if (match.kind === 'method-not-allowed') {
    throw new HttpError(405, { error: 'method_not_allowed', message: `use ${match.allow.join(', ')}` }, { allow: match.allow.join(', ') });
  }
  const spec: OperationSpec = operations[match.operationId];
  const params = parsePathParams(match.params);
  const query = parseQuery(spec.query, url.searchParams);
  const raw = spec.body ? await readJsonBody(req) : undefined;
  const body = spec.body ? parseBody(spec.body, raw) : undefined;
  const nowMs = sim.clock.now();
  settleBulkJobs(sim.state, nowMs);
  const result = operationHandlers[match.operationId]({
    sim,
    params,
    query,
    body,
    relativePath,
    nowMs,
    render: sim.renderContext(nowMs),
  });
  return { status: 200, body: result };
}

/**
 * Handles one non-admin request.
 *
 * @param relativePath - the path below the tenant's base path, or null when outside it (a 404).
 */
export async function handleApiRequest(
  sim: SimulatorRuntime,
  scheduler: DelayScheduler,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  relativePath: string | null,
): Promise<void> {
  const started = performance.now();
  const requestIdHeader = req.headers['x-request-id'];
  const requestId = (Array.isArray(requestIdHeader) ? requestIdHeader[0] : requestIdHeader)?.slice(0, 200) ?? null;
  const match = relativePath === null ? undefined : sim.router.match(req.method ?? 'GET', relativePath);
  // Log lines name the route template, never the path itself: a client bug could put a phone number in it.
  const logPath = match?.kind === 'matched' ? `${sim.basePath}${match.routePath}` : '(unmatched path)';
  const entry: RequestLogEntry = sim.requests.add({
    time: new Date(sim.clock.now()).toISOString(),
    wallTimeMs: Date.now(),
    method: req.method ?? 'GET',
    path: url.pathname,
    queryKeys: [...new Set(url.searchParams.keys())],
    operationId: match?.kind === 'matched' ? match.operationId : null,
    status: null,
    requestId,
    faulted: false,
    fault: null,
    durationMs: null,
  });

  const decision = sim.faults.decide();
  if (decision.kind === 'hang') {
    // Never answered: the socket stays open until the client gives up or the simulator closes.
    entry.faulted = true;
    entry.fault = 'hang';
    sim.logger?.(`${entry.method} ${logPath} (hung) ${entry.operationId ?? '-'}`);
    return;
  }
  const latency = sim.faults.settings.latencyMs;
  if (latency > 0) await scheduler.delay(latency);

  let answer: Answer;
  if (decision.kind === 'rate-limited') {
    entry.faulted = true;
    entry.fault = 'rate-limited';
    answer = {
      status: 429,
      body: { error: 'rate_limited', message: 'too many requests' },
      headers: { 'retry-after': String(decision.retryAfterSeconds) },
    };
  } else if (decision.kind === 'error' && !decision.afterProcessing) {
    entry.faulted = true;
    entry.fault = 'error';
    answer = faultAnswer(decision);
  } else {
    try {
      answer = await answerOperation(sim, req, url, relativePath);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answer = { status: error.status, body: error.body, headers: error.headers };
    }
    if (decision.kind === 'error') {
      entry.faulted = true;
      entry.fault = 'error';
      answer = faultAnswer(decision);
    }
  }

  const headers: Record<string, string> = { ...answer.headers, ...(requestId ? { 'x-request-id': requestId } : {}) };
  if (typeof answer.body === 'string') {
    sendText(res, answer.status, headers['content-type'] ?? 'text/plain', answer.body, headers);
  } else {
    sendJson(res, answer.status, answer.body, headers);
  }
  entry.status = answer.status;
  entry.durationMs = Math.round(performance.now() - started);
  sim.logger?.(`${entry.method} ${logPath} ${entry.status} ${entry.operationId ?? '-'} ${entry.durationMs}ms${entry.fault ? ` fault=${entry.fault}` : ''}`);
}
