/**
 * Messages on the maintenance queue: plan ids and run ids only (never a lead). Without `runId` a
 * message starts applying a plan; with it, it continues that run from the checkpoint on its record.
 */
import { z } from 'zod';
import { isPlanId } from './plan-id';

export const maintenanceMessageSchema = z.strictObject({
  kind: z.literal('maintenance-apply'),
  planId: z.string().refine(isPlanId, { message: 'is not a plan id' }),
  runId: z.uuid().optional(),
});
export type MaintenanceMessage = z.output<typeof maintenanceMessageSchema>;
