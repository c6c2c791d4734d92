/**
 * The ipSCAPE simulator: a real HTTP server that behaves like the Platform API contract.
 * (Interface pinned here; implementation in this folder.)
 */
import type { TenantConfig } from '../../shared/ipscape/tenant-config';

/** Faults the simulator injects; all settable at start and at run time through `/__admin/faults`. */
export interface SimulatorFaults {
  /** Token-bucket limit: requests per second before answering 429 with `Retry-After`. 0 = unlimited. */
  rateLimitPerSecond?: number;
  /** Token-bucket size (requests accepted at once after a quiet spell). 0 = one second's worth, at least 1. */
  rateLimitBurst?: number;
  /** Share of requests (0..1) answered with a 5xx. */
  errorRate?: number;
  /**
   * When true, a request picked for a 5xx is processed first and only its answer is replaced, as when
   * a gateway times out on a request the backend completed. Default false: the 5xx comes before processing.
   */
  errorsAfterProcessing?: boolean;
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
  /** The tenant's IANA zone for timestamps. Default `Australia/Sydney`. */
  timeZone?: string;
  /** Simulator time at start (and after reset), as ISO-8601. Default: wall time. */
  startTime?: string;
  /** Start with the clock frozen, so only `/__admin/clock` moves it. Default false (it runs with wall time). */
  freezeClock?: boolean;
  /**
   * Receives one line per ipSCAPE request (method, route template, status, operation, duration). Lines
   * carry no actual path, query string, body or header, so no phone number, email or key. Default: no logging.
   */
  logger?: (line: string) => void;
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
export { seededIds } from './seed-data';
export type { SeedRequest, SeedResult } from './admin-seed';
export type { RequestLogEntry, FaultKind } from './request-log';
export type { FaultSettings } from './faults';
export type { ClockReading } from './clock';
