/**
 * How maintenance runs in a function (not what it does: that is the policy). One zod object with
 * documented defaults, from `MAINTENANCE_SETTINGS`.
 */
import { z } from 'zod';

export const maintenanceSettingsSchema = z.strictObject({
  /** Leads one invocation completes before handing the rest to the next through the queue. */
  maxLeadsPerInvocation: z.int().min(1).max(100_000).default(5_000),
  /** Lead pages one planning invocation reads before handing the walk to the next through the queue. */
  maxPagesPerInvocation: z.int().min(1).max(100_000).default(2_000),
  /** An invocation hands over when less than this much of its time is left. */
  reserveMs: z.int().min(0).max(600_000).default(30_000),
  /** The run lock's lifetime; renewed while the run works, so it only matters when a run dies. Longer than an invocation plus a queue hand-over. */
  lockSeconds: z.int().min(10).max(86_400).default(900),
  /** Days plan records and per-lead outcomes are kept in the state table. */
  ttlDays: z.int().min(1).max(3650).default(90),
});
export type MaintenanceSettings = z.output<typeof maintenanceSettingsSchema>;

/** The defaults. */
export const defaultMaintenanceSettings: MaintenanceSettings = maintenanceSettingsSchema.parse({});
