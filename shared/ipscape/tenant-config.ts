/**
 * The per-tenant ipSCAPE configuration document: base URL, auth header, route overrides, bulk job
 * status values and client limits. One JSON document, validated with zod, every field defaulted to
 * the documented value so an empty `{ "baseUrl": ... }` is a complete configuration.
 */
import { z } from 'zod';
import { defaultRoutes, operationIds, pathParameters, type OperationId, type RouteTable } from './routes';

const routeOverride = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9\-._~/{}]*$/, 'must start with "/" and hold only URL path characters and {params}')
    .optional(),
  idempotent: z.boolean().optional(),
});

const routeOverrides = z.strictObject(
  Object.fromEntries(operationIds.map((id) => [id, routeOverride.optional()])) as Record<
    OperationId,
    z.ZodOptional<typeof routeOverride>
  >,
);

/** The raw document as a tenant writes it. */
export const tenantConfigSchema = z.strictObject({
  /** e.g. `https://acme.ipscape.com.au/platform-api/v3.0` */
  baseUrl: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  auth: z
    .strictObject({
      /** Header carrying the key. */
      header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').default('Authorization'),
      /** Value template; `{key}` is replaced by the API key. */
      format: z.string().includes('{key}', { message: 'must contain {key}' }).default('Bearer {key}'),
    })
    .default({ header: 'Authorization', format: 'Bearer {key}' }),
  routes: routeOverrides.default({}),
  bulkStatus: z
    .strictObject({
      /** Terminal success values, compared case-insensitively. */
      success: z.array(z.string().min(1)).min(1).default(['completed', 'complete', 'success', 'succeeded', 'done', 'finished']),
      /** Terminal failure values, compared case-insensitively. */
      failure: z.array(z.string().min(1)).min(1).default(['failed', 'failure', 'error', 'rejected', 'cancelled']),
    })
    .default({
      success: ['completed', 'complete', 'success', 'succeeded', 'done', 'finished'],
      failure: ['failed', 'failure', 'error', 'rejected', 'cancelled'],
    }),
  limits: z
    .strictObject({
      /** Steady request rate against the tenant (token bucket refill). */
      requestsPerSecond: z.number().positive().default(5),
      /** Token bucket size. */
      burst: z.int().positive().default(5),
      /** Requests in flight at once against the tenant. */
      maxConcurrency: z.int().positive().default(4),
      /** Per-request timeout. */
      timeoutMs: z.int().positive().default(15_000),
      /** Attempts per call, the first included. */
      maxAttempts: z.int().min(1).max(20).default(8),
      /** Backoff base and ceiling (exponential, full jitter). */
      baseDelayMs: z.int().nonnegative().default(200),
      maxDelayMs: z.int().positive().default(20_000),
    })
    .default({
      requestsPerSecond: 5,
      burst: 5,
      maxConcurrency: 4,
      timeoutMs: 15_000,
      maxAttempts: 8,
      baseDelayMs: 200,
      maxDelayMs: 20_000,
    }),
});

export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/** The resolved configuration: every route filled in. */
export interface TenantConfig extends Omit<z.output<typeof tenantConfigSchema>, 'routes'> {
  readonly routes: RouteTable;
}

/** A configuration document that failed validation; `issues` lists one line per bad field. */
export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid ipSCAPE tenant configuration (${source}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

/**
 * Validates a tenant document and merges route overrides onto the defaults.
 *
 * @param source - where the document came from, for the error message (a file name, an env variable).
 * @example
 * const tenant = parseTenantConfig({ baseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0',
 *   routes: { getBulkJob: { path: '/leads/bulk/status/{uuid}' } } }, 'tenant.json');
 */
export function parseTenantConfig(input: unknown, source = 'tenant configuration'): TenantConfig {
  const result = tenantConfigSchema.safeParse(input);
  if (!result.success) {
    throw new TenantConfigError(
      source,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`),
    );
  }
  const routes = { ...defaultRoutes } as Record<OperationId, RouteTable[OperationId]>;
  const problems: string[] = [];
  for (const id of operationIds) {
    const override = result.data.routes[id];
    if (!override) continue;
    // Only fields the override sets: `{ method: undefined }` from a JS caller must not erase the default.
    const set = Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined));
    const merged = { ...defaultRoutes[id], ...set };
    // A path override must keep the parameters the operation fills in, or calls could not be built.
    const expected = pathParameters(defaultRoutes[id].path).sort();
    const actual = pathParameters(merged.path).sort();
    if (expected.join(',') !== actual.join(',')) {
      problems.push(
        expected.length
          ? `routes.${id}.path: must contain exactly the parameters ${expected.map((p) => `{${p}}`).join(', ')}`
          : `routes.${id}.path: must not contain {parameters}; this operation has none`,
      );
    }
    routes[id] = merged;
  }
  if (problems.length) throw new TenantConfigError(source, problems);
  return { ...result.data, routes };
}

/**
 * Classifies a bulk job status string against the tenant's terminal values.
 * Unknown strings are "running": the caller applies a deadline, never guesses.
 */
export function classifyBulkStatus(config: Pick<TenantConfig, 'bulkStatus'>, status: string): 'succeeded' | 'failed' | 'running' {
  const s = status.trim().toLowerCase();
  if (config.bulkStatus.success.some((v) => v.toLowerCase() === s)) return 'succeeded';
  if (config.bulkStatus.failure.some((v) => v.toLowerCase() === s)) return 'failed';
  return 'running';
}
