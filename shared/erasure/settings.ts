/**
 * Erasure settings (`ERASURE_SETTINGS`, JSON, validated in `shared/config/config.ts`; every field has a default): due periods per
 * jurisdiction, when a request counts as near its due date, and how the worker retries and waits.
 */
import { z } from 'zod';
import { defaultDuePeriods, jurisdictions, periodSchema, type Jurisdiction } from './jurisdiction';

export const erasureSettingsSchema = z.strictObject({
  due: z
    .strictObject({ AU: periodSchema.optional(), GDPR: periodSchema.optional(), CCPA: periodSchema.optional() })
    .optional()
    .transform((d) => ({ ...defaultDuePeriods, ...d }) as Record<Jurisdiction, string>),
  defaultJurisdiction: z.enum(jurisdictions).default('AU'),
  /** An open request this many days (or fewer) before its due date counts as near due. */
  nearDueDays: z.int().min(0).max(60).default(5),
  /** Executions of a request before it is failed (each retries ipSCAPE only for what is not done yet). */
  maxAttempts: z.int().min(1).max(20).default(3),
  /** Delay before the worker tries a request again after an ipSCAPE error. */
  retryDelaySeconds: z.int().min(0).max(900).default(60),
  /** Delay between looks at ingestion work in flight that holds the person. */
  inFlightRecheckSeconds: z.int().min(0).max(900).default(60),
  /** How long one execution holds the request against a duplicate message (longer than the worker's timeout). */
  leaseSeconds: z.int().min(10).max(3600).default(960),
  /**
   * Give up waiting for in-flight work after this long and fail the request (alarmable). Longer than
   * ingestion's `strandedAfterSeconds` (6 h) plus the hourly sweep, so an upload whose parse stopped
   * for good is ended by the sweep before the erasure waiting on it gives up.
   */
  inFlightMaxWaitSeconds: z.int().min(1).default(8 * 3600),
  /** Region of phones written without a country code. */
  defaultRegion: z.string().length(2).default('AU'),
});
export type ErasureSettings = z.output<typeof erasureSettingsSchema>;

/** The defaults. */
export const defaultErasureSettings: ErasureSettings = erasureSettingsSchema.parse({});
