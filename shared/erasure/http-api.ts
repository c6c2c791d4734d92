/**
 * The erasure HTTP API, free of any server: a request in (method, path, query, body text, who asked),
 * a response out. `functions/erasure-api/handler.ts` adapts API Gateway / function URL events to it and
 * `local/erasure-http-server.ts` a node:http server on loopback, so both run this same code.
 *
 * | route | body | answer |
 * |---|---|---|
 * | `POST /erasure-requests` | `{phone?, email?, jurisdiction?, externalId?}` | 201 new / 200 existing: the request view |
 * | `GET /erasure-requests?status=&dueBefore=&limit=` | | `{requests: [view]}`, oldest due first |
 * | `GET /erasure-requests/{id}` | | the request view (with its receipt once completed) |
 * | `GET /erasure-requests/{id}/receipt` | | the receipt; 409 until completed |
 * | `POST /erasure-requests/{id}/cancel` | `{reason}` | the request view |
 * | `POST /erasure-requests/{id}/retry` | | the request view |
 * | `GET /erasure-receipts?format=json\|csv` | | completed requests' receipts |
 * | `POST /suppressions/lift` | `{phone?, email?, reason}` | `{lifted, notSuppressed, hashes}` |
 *
 * Errors: `{error, message, problems?}` with 400 (validation: fields named, values never), 404, 405,
 * 409, 413, 500 (no detail).
 */
import { z } from 'zod';
import type { Telemetry } from '../observability/telemetry';
import { erasureStatuses, REQUEST_ID, type ErasureRequestRecord } from './erasure-request';
import type { FieldProblem } from './identifiers';
import { ErasureInputError, fieldProblems, submitErasureRequest, type IntakeDeps } from './intake';
import { cancelErasure, ErasureConflictError, ErasureNotFoundError, liftSuppression, LiftInputError, retryErasure } from './officer-actions';
import { receiptOf, receiptsCsv, type ErasureReceipt } from './receipt';
import type { SuppressionWriter } from './suppression-writer';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body?: string | undefined;
  /** Who asked: the IAM principal deployed, the local user on the dev stack. */
  readonly actor: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ErasureApiDeps extends IntakeDeps {
  readonly suppression: SuppressionWriter;
}

/** Largest body accepted. */
export const MAX_BODY_BYTES = 16 * 1024;

/** What the API shows of a request: never the sealed identifiers. */
export interface RequestView {
  readonly requestId: string;
  readonly status: string;
  readonly jurisdiction: string;
  readonly externalId?: string;
  readonly kinds: readonly string[];
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
  readonly cancelledAt?: string;
  readonly attempts: number;
  readonly round: number;
  readonly waiting?: ErasureRequestRecord['waiting'];
  readonly lastError?: ErasureRequestRecord['lastError'];
  readonly receipt?: ErasureReceipt;
}

/** The public view of a request. */
export function viewOf(r: ErasureRequestRecord): RequestView {
  return {
    requestId: r.requestId,
    status: r.status,
    jurisdiction: r.jurisdiction,
    ...(r.externalId && { externalId: r.externalId }),
    kinds: r.kinds,
    receivedAt: r.receivedAt,
    dueAt: r.dueAt,
    updatedAt: r.updatedAt,
    ...(r.completedAt && { completedAt: r.completedAt }),
    ...(r.cancelledAt && { cancelledAt: r.cancelledAt }),
    attempts: r.attempts,
    round: r.round,
    ...(r.waiting && { waiting: r.waiting }),
    ...(r.lastError && { lastError: r.lastError }),
    ...(r.status === 'completed' && { receipt: receiptOf(r) }),
  };
}

const json = (status: number, value: unknown): ApiResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(value, null, 2),
});
const problem = (status: number, error: string, message: string, problems?: readonly FieldProblem[]) =>
  json(status, { error, message, ...(problems && { problems }) });

const cancelBodySchema = z.strictObject({ reason: z.string().trim().min(3, 'must say why').max(500) });
const liftBodySchema = z.strictObject({ phone: z.string().max(64).optional(), email: z.string().max(320).optional(), reason: z.string().max(500).optional() });
const listQuerySchema = z.strictObject({
  status: z.enum(erasureStatuses).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

class BadRequest extends Error {
  constructor(readonly problems: readonly FieldProblem[]) {
    super('bad request');
  }
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {};
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BadRequest([{ field: '(body)', message: `is larger than ${MAX_BODY_BYTES} bytes` }]);
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest([{ field: '(body)', message: 'is not valid JSON' }]);
  }
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequest(fieldProblems(parsed.error));
  return parsed.data;
}

/**
 * Serves one API request.
 *
 * @example await handleErasureApi({ method: 'GET', path: '/erasure-requests', query: {}, actor: 'local' }, deps)
 */
export async function handleErasureApi(request: ApiRequest, deps: ErasureApiDeps, telemetry: Telemetry = deps.telemetry): Promise<ApiResponse> {
  const segments = request.path.replace(/\/+$/, '').split('/').filter(Boolean);
  const method = request.method.toUpperCase();
  const allow = (methods: string, handler: () => Promise<ApiResponse>) =>
    methods.split(',').includes(method) ? handler() : Promise.resolve({ ...problem(405, 'method-not-allowed', `use ${methods}`), headers: { 'content-type': 'application/json; charset=utf-8', allow: methods } });
  const id = segments[1];
  const route = async (): Promise<ApiResponse> => {
    if (segments[0] === 'erasure-requests' && segments.length === 1) {
      if (method === 'POST') {
        const result = await submitErasureRequest(parseBody(request.body), request.actor, deps);
        return json(result.created ? 201 : 200, viewOf(result.request));
      }
      return allow('GET,POST', async () => {
        const q = parseWith(listQuerySchema, request.query);
        const requests = await deps.store.list({ ...(q.status && { status: q.status }), ...(q.dueBefore && { dueBefore: new Date(q.dueBefore).toISOString() }), limit: q.limit ?? 100 });
        return json(200, { requests: requests.map(viewOf) });
      });
    }
    if (segments[0] === 'erasure-requests' && id !== undefined) {
      if (!REQUEST_ID.test(id)) return problem(404, 'not-found', 'no such erasure request');
      if (segments.length === 2) {
        return allow('GET', async () => {
          const record = await deps.store.get(id);
          return record ? json(200, viewOf(record)) : problem(404, 'not-found', `no erasure request ${id}`);
        });
      }
      if (segments.length === 3 && segments[2] === 'receipt') {
        return allow('GET', async () => {
          const record = await deps.store.get(id);
          if (!record) return problem(404, 'not-found', `no erasure request ${id}`);
          if (record.status !== 'completed') return problem(409, 'not-completed', `erasure request ${id} is ${record.status}: its receipt comes when it completes`);
          return json(200, receiptOf(record));
        });
      }
      if (segments.length === 3 && segments[2] === 'cancel') {
        return allow('POST', async () => {
          const body = parseWith(cancelBodySchema, parseBody(request.body));
          return json(200, viewOf(await cancelErasure(id, body.reason, request.actor, deps)));
        });
      }
      if (segments.length === 3 && segments[2] === 'retry') {
        return allow('POST', async () => json(200, viewOf(await retryErasure(id, request.actor, deps))));
      }
    }
    if (segments[0] === 'erasure-receipts' && segments.length === 1) {
      return allow('GET', async () => {
        const format = request.query.format ?? 'json';
        if (format !== 'json' && format !== 'csv') return problem(400, 'validation', 'format must be json or csv', [{ field: 'format', message: 'must be json or csv' }]);
        const receipts = (await deps.store.list({ status: 'completed', limit: 10_000 })).map(receiptOf);
        if (format === 'csv') return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store' }, body: receiptsCsv(receipts) };
        return json(200, { receipts });
      });
    }
    if (segments[0] === 'suppressions' && segments[1] === 'lift' && segments.length === 2) {
      return allow('POST', async () => {
        const body = parseWith(liftBodySchema, parseBody(request.body));
        return json(200, await liftSuppression(body, request.actor, deps));
      });
    }
    return problem(404, 'not-found', 'no such route');
  };
  try {
    // Awaited here, so a rejection of any route's promise lands in the catch below.
    return await route();
  } catch (error) {
    if (error instanceof BadRequest) return problem(400, 'validation', 'the request is not valid', error.problems);
    if (error instanceof ErasureInputError || error instanceof LiftInputError) return problem(400, 'validation', 'the request is not valid', error.problems);
    if (error instanceof ErasureNotFoundError) return problem(404, 'not-found', error.message);
    if (error instanceof ErasureConflictError) return problem(409, 'conflict', error.message);
    // Never the error's message: it could quote anything.
    telemetry.error('erasure API request failed', { route: segments.slice(0, 1).join('/'), error: error instanceof Error ? error.name : 'unknown' });
    telemetry.metric('ErasureApiErrors', 1);
    return problem(500, 'internal', 'the request could not be served; it is safe to send it again');
  }
}
