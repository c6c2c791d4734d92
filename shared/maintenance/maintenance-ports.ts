/** What maintenance needs from the world, behind small interfaces (built in `aws-maintenance-ports.ts`). */
import type { ObjectStore } from '../ingest/object-store';
import type { SuppressionList } from '../ingest/suppression';
import type { WorkQueue } from '../ingest/work-queue';
import type { IpscapeClient } from '../ipscape/client';
import type { Telemetry } from '../observability/telemetry';
import type { MaintenanceStore } from './maintenance-store';
import type { MaintenanceMessage } from './messages';
import type { MaintenanceSettings } from './settings';

export interface MaintenancePorts {
  readonly ipscape: IpscapeClient;
  readonly store: MaintenanceStore;
  /** The uploads bucket: plans go under `prefix`. */
  readonly objects: ObjectStore;
  readonly prefix: string;
  /** Where a run hands over to its next invocation. */
  readonly queue: WorkQueue<MaintenanceMessage>;
  readonly suppression: Pick<SuppressionList, 'suppressed'>;
  /** The suppression hash of an E.164 phone (HMAC under the dedupe secret, as erasure writes them). */
  readonly identifier: (phone: string) => string;
  readonly settings: MaintenanceSettings;
  readonly telemetry: Telemetry;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  /** Waits between completions; a timer by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Another maintenance run holds the lock: this one is refused and changes nothing. */
export class MaintenanceLockedError extends Error {
  override readonly name = 'MaintenanceLockedError';
  constructor(
    readonly heldBy: { readonly planId: string; readonly expiresAt: string } | undefined,
  ) {
    super(
      heldBy
        ? `another maintenance run (plan ${heldBy.planId}) holds the lock until ${heldBy.expiresAt}; refused`
        : 'another maintenance run holds the lock; refused',
    );
  }
}
