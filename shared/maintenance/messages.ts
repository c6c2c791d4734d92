/**
 * Messages on the maintenance queue: plan ids and run ids only (never a lead). `maintenance-apply`
 * without `runId` starts applying a plan; with it, it continues that run from the checkpoint on its
 * record. `maintenance-plan` continues a planning walk from its checkpoint.
 */
import { z } from 'zod';
import { isPlanId } from './plan-id';

const planId = z.string().refine(isPlanId, { message: 'is not a plan id' });

export const maintenanceMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('maintenance-apply'),
    planId,
    /** With `step`: the run to continue. */
    runId: z.uuid().optional(),
    /** The invocation this message hands over to (2 for the run's second); a duplicate of it is refused. */
    step: z.int().min(2).optional(),
  }).refine((m) => (m.runId === undefined) === (m.step === undefined), { message: 'runId and step go together' }),
  /** Continues a planning walk from `maintenance/<planId>/planning.json`. */
  z.strictObject({ kind: z.literal('maintenance-plan'), planId, step: z.int().min(2) }),
]);
export type MaintenanceMessage = z.output<typeof maintenanceMessageSchema>;
