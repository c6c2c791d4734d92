/**
 * Everything one running simulator holds: configuration, clock, state, faults, request log and the
 * compiled routes. The API and the admin API both work on it; reset puts it back to its start.
 */
import type { TenantConfig } from '../../shared/ipscape/tenant-config';
import { uriPrefix } from './cursor';
import { FaultController } from './faults';
import type { SimulatorOptions } from './index';
import { mulberry32, uuidFrom, type RandomSource } from './random';
import type { RenderContext } from './representations';
import { RequestLog } from './request-log';
import { Router } from './router';
import { seedTenant } from './seed-data';
import { SimulatorState } from './state';
import { SimulatorClock } from './clock';

export const DEFAULT_SEED = 20200706;
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_BULK_JOB_DURATION_MS = 2_000;
export const DEFAULT_TIME_ZONE = 'Australia/Sydney';

/** The simulator's mutable world and fixed configuration. */
export class SimulatorRuntime {
  readonly tenant: TenantConfig;
  readonly apiKey: string;
  /** Path part of the tenant's base URL, e.g. `/platform-api/v3.0` (empty when served at the root). */
  readonly basePath: string;
  /** Prefix of `nextUri` values, e.g. `/v3.0`. */
  readonly uriPrefix: string;
  readonly zone: string;
  readonly pageSize: number;
  readonly bulkJobDurationMs: number;
  readonly seed: number;
  readonly clock: SimulatorClock;
  readonly faults: FaultController;
  readonly requests = new RequestLog();
  readonly router: Router;
  readonly logger: ((line: string) => void) | undefined;
  state = new SimulatorState();
  /** Drives fault decisions. */
  private faultRandom: RandomSource;
  /** Drives ids such as bulk job uuids; separate so fault sequences do not depend on traffic mix. */
  private idRandom: RandomSource;

  constructor(options: SimulatorOptions) {
    this.tenant = options.tenant;
    this.apiKey = options.apiKey;
    this.basePath = new URL(options.tenant.baseUrl).pathname.replace(/\/+$/, '');
    this.uriPrefix = uriPrefix(this.basePath);
    this.zone = options.timeZone ?? DEFAULT_TIME_ZONE;
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
    this.bulkJobDurationMs = Math.max(0, options.bulkJobDurationMs ?? DEFAULT_BULK_JOB_DURATION_MS);
    this.seed = options.seed ?? DEFAULT_SEED;
    this.logger = options.logger;
    const startMs = options.startTime === undefined ? undefined : Date.parse(options.startTime);
    if (startMs !== undefined && Number.isNaN(startMs)) throw new Error('startTime must be an ISO-8601 timestamp');
    this.clock = new SimulatorClock(startMs, options.freezeClock ?? false);
    this.faultRandom = mulberry32(this.seed);
    this.idRandom = mulberry32(this.seed ^ 0x5eed);
    this.faults = new FaultController(options.faults ?? {}, () => this.faultRandom);
    this.router = new Router(options.tenant.routes);
    seedTenant(this.state, this.clock.now());
  }

  /** Back to the start: seeded tenant, clock, faults and random sequences; the request log emptied. */
  reset(): void {
    this.clock.reset();
    this.faultRandom = mulberry32(this.seed);
    this.idRandom = mulberry32(this.seed ^ 0x5eed);
    this.faults.reset();
    this.requests.clear();
    this.state = new SimulatorState();
    seedTenant(this.state, this.clock.now());
  }

  /** A fresh uuid from the seeded id sequence. */
  nextUuid(): string {
    return uuidFrom(this.idRandom);
  }

  /** What rendering records needs, at an instant. */
  renderContext(nowMs: number): RenderContext {
    return { state: this.state, zone: this.zone, uriPrefix: this.uriPrefix, basePath: this.basePath, nowMs };
  }
}
