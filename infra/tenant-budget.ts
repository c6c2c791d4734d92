/**
 * The tenant's request budget, checked at synth. Each function instance has its own limiter (a
 * process cannot see another's), so what the tenant can receive at worst is every ipSCAPE-calling
 * function at its maximum concurrency, each instance at its full per-process rate and in-flight cap.
 * The synth refuses a configuration where that could exceed the tenant's own ceiling.
 */
import type { TenantConfig } from '../shared/ipscape/tenant-config';

/** One function that calls ipSCAPE, with the most instances it can run at once. */
export interface IpscapeCaller {
  readonly name: string;
  readonly maxConcurrency: number;
}

/** The worst case the tenant could see. */
export interface TenantLoad {
  readonly requestsPerSecond: number;
  readonly inFlight: number;
}

/** A configuration whose functions could together exceed the tenant's limit. */
export class TenantBudgetError extends Error {
  override readonly name = 'TenantBudgetError';
}

/**
 * The worst-case load of `callers` on the tenant, each instance limited by `limits`.
 *
 * @example tenantLoad([{ name: 'submit', maxConcurrency: 2 }], { requestsPerSecond: 5, maxConcurrency: 4 }) // { requestsPerSecond: 10, inFlight: 8 }
 */
export function tenantLoad(callers: readonly IpscapeCaller[], limits: Pick<TenantConfig['limits'], 'requestsPerSecond' | 'maxConcurrency'>): TenantLoad {
  const instances = callers.reduce((n, c) => n + c.maxConcurrency, 0);
  return { requestsPerSecond: instances * limits.requestsPerSecond, inFlight: instances * limits.maxConcurrency };
}

/**
 * Throws when the callers' worst case exceeds the tenant's ceiling, saying by how much and what to change.
 *
 * @throws TenantBudgetError
 */
export function assertTenantBudget(
  callers: readonly IpscapeCaller[],
  limits: Pick<TenantConfig['limits'], 'requestsPerSecond' | 'maxConcurrency'>,
  ceiling: { readonly requestsPerSecond: number; readonly maxConcurrency: number },
): TenantLoad {
  const load = tenantLoad(callers, limits);
  const sum = callers.map((c) => `${c.name} ${c.maxConcurrency}`).join(' + ');
  const problems: string[] = [];
  if (load.requestsPerSecond > ceiling.requestsPerSecond + 1e-9) {
    problems.push(
      `requests per second: concurrency (${sum}) × tenant.limits.requestsPerSecond ${limits.requestsPerSecond} = ${load.requestsPerSecond} > tenantLimit.requestsPerSecond ${ceiling.requestsPerSecond}`,
    );
  }
  if (load.inFlight > ceiling.maxConcurrency) {
    problems.push(
      `requests in flight: concurrency (${sum}) × tenant.limits.maxConcurrency ${limits.maxConcurrency} = ${load.inFlight} > tenantLimit.maxConcurrency ${ceiling.maxConcurrency}`,
    );
  }
  if (problems.length) {
    throw new TenantBudgetError(
      `the functions could exceed the ipSCAPE tenant's limit:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        '  lower leadflow.concurrency.<function> or leadflow.tenant.limits, or raise leadflow.tenantLimit if the tenant allows more',
    );
  }
  return load;
}
