/**
 * Fault injection for ipSCAPE routes (never the admin API): a token-bucket rate limit answering 429
 * with `Retry-After`, a share of 5xx answers, added latency, a share of requests never answered, and
 * the bulk job mode. Decisions come from the seeded random source, so a run repeats.
 */
import { z } from 'zod';
import type { SimulatorFaults } from './index';
import type { RandomSource } from './random';

/** Every fault setting with its value in force. */
export type FaultSettings = Required<SimulatorFaults>;

/** Body of `POST /__admin/faults`: any subset of the settings. */
export const faultSettingsSchema = z.strictObject({
  rateLimitPerSecond: z.number().nonnegative().optional(),
  rateLimitBurst: z.number().int().nonnegative().optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorsAfterProcessing: z.boolean().optional(),
  latencyMs: z.number().int().nonnegative().optional(),
  hangRate: z.number().min(0).max(1).optional(),
  bulkJobs: z.enum(['normal', 'fail', 'never-finish', 'unknown-status']).optional(),
});

const noFaults: FaultSettings = {
  rateLimitPerSecond: 0,
  rateLimitBurst: 0,
  errorRate: 0,
  errorsAfterProcessing: false,
  latencyMs: 0,
  hangRate: 0,
  bulkJobs: 'normal',
};

/** What happens to one request, decided when it arrives. */
export type FaultDecision =
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'error'; readonly status: 500 | 502 | 503; readonly afterProcessing: boolean }
  | { readonly kind: 'none' };

const errorStatuses = [500, 502, 503] as const;

/** Holds the fault settings and the rate limiter's bucket. */
export class FaultController {
  private current: FaultSettings;
  private tokens = 0;
  private lastRefillMs = 0;

  constructor(
    private readonly initial: SimulatorFaults,
    private readonly random: () => RandomSource,
    private readonly wallNow: () => number = () => performance.now(),
  ) {
    this.current = { ...noFaults, ...initial };
    this.refillBucket();
  }

  /** The settings in force. */
  get settings(): FaultSettings {
    return { ...this.current };
  }

  /** Changes some settings; a new rate limit starts with a full bucket. */
  update(changes: SimulatorFaults): FaultSettings {
    this.current = { ...this.current, ...changes };
    this.refillBucket();
    return this.settings;
  }

  /** Back to the settings given at start. */
  reset(): void {
    this.current = { ...noFaults, ...this.initial };
    this.refillBucket();
  }

  private burst(): number {
    const { rateLimitBurst, rateLimitPerSecond } = this.current;
    // Default burst: one second's worth of requests, at least one.
    return rateLimitBurst > 0 ? rateLimitBurst : Math.max(1, Math.ceil(rateLimitPerSecond));
  }

  private refillBucket(): void {
    this.tokens = this.burst();
    this.lastRefillMs = this.wallNow();
  }

  /** Takes a token; wall time, not simulator time, since rate limits are about real traffic. */
  private takeToken(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const rate = this.current.rateLimitPerSecond;
    if (rate <= 0) return { ok: true };
    const now = this.wallNow();
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.lastRefillMs) / 1000) * rate);
    this.lastRefillMs = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / rate)) };
  }

  /** Decides the fate of an arriving request. Rate limiting first: a limited request costs nothing else. */
  decide(): FaultDecision {
    const token = this.takeToken();
    if (!token.ok) return { kind: 'rate-limited', retryAfterSeconds: token.retryAfterSeconds };
    const random = this.random();
    if (this.current.hangRate > 0 && random() < this.current.hangRate) return { kind: 'hang' };
    if (this.current.errorRate > 0 && random() < this.current.errorRate) {
      const status = errorStatuses[Math.floor(random() * errorStatuses.length)]!;
      return { kind: 'error', status, afterProcessing: this.current.errorsAfterProcessing };
    }
    return { kind: 'none' };
  }
}
