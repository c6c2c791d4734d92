/**
 * The ipSCAPE simulator: a real HTTP server that behaves like the Platform API contract.
 * (Interface pinned here; implementation in this folder.)
 */
import type { TenantConfig } from '../../shared/ipscape/tenant-config';

/** Faults the simulator injects; all settable at start and at run time through `/__admin/faults`. */
export interface SimulatorFaults {
  /** Token-bucket limit: requests per second before answering 429 with `Retry-After`. 0 = unlimited. */
  rateLimitPerSecond?: number;
  /** Share of requests (0..1) answered with a 5xx. */
  errorRate?: number;
  /** Milliseconds added to every answer. */
  latencyMs?: number;
  /** Share of requests (0..1) that never get an answer (the socket stays open). */
  hangRate?: number;
  /** What bulk jobs do: finish normally, fail, never finish, or report an unknown status string. */
  bulkJobs?: 'normal' | 'fail' | 'never-finish' | 'unknown-status';
}

export interface SimulatorOptions {
  /** 0 picks a free port. Always binds 127.0.0.1. */
  port?: number;
  /** The key the simulator expects in the tenant's auth header. */
  apiKey: string;
  /** The resolved tenant configuration (routes, auth header, bulk status values). Its baseUrl's path is served. */
  tenant: TenantConfig;
  /** Seed for the simulator's random source, so runs repeat. */
  seed?: number;
  /** How long a bulk job takes from submitted to completed, in simulator milliseconds. */
  bulkJobDurationMs?: number;
  /** Page size of cursor lists. */
  pageSize?: number;
  faults?: SimulatorFaults;
}

export interface RunningSimulator {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Base URL to give the client: origin plus the tenant base path, e.g. `http://127.0.0.1:41234/platform-api/v3.0`. */
  readonly baseUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

export { startSimulator } from './server';
