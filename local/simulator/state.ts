/**
 * The simulator's in-memory tenant: records as the simulator keeps them (instants in epoch
 * milliseconds, ids as numbers). `representations.ts` turns them into ipSCAPE's wire shapes.
 */
import type { CreateLeadRequest } from '../../shared/ipscape/schemas/leads';

export interface CampaignRecord {
  readonly campaignId: number;
  title: string;
  description: string;
  campaignType: string;
  groupName: string;
  isRunning: boolean;
  isActive: boolean;
  allowTransferToAnyPhone: boolean;
  payDetails: { paySettingsId: number; merchantAlias: string } | null;
  createdMs: number;
  updatedMs: number;
}

export interface LeadListRecord {
  readonly id: number;
  name: string;
  campaignId: number;
  inDialler: boolean;
  weight: number;
  createdMs: number;
}

export interface PhoneRecord {
  phone: string;
  readonly phoneIndex: 1 | 2 | 3;
  completed: boolean;
}

export interface LeadRecord {
  readonly leadId: number;
  listId: number;
  timezone: string;
  completed: boolean;
  customerKey: string | null;
  agentId: number | null;
  dataFields: Record<string, unknown>;
  lastStatusCode: number | null;
  /** Overrides the description looked up from the status code (seeded leads may carry their own). */
  lastStatusDescription: string | null;
  phones: PhoneRecord[];
  outcomeType: string;
  totalAttempts: number;
  createdMs: number;
  modifiedMs: number;
  nextAttemptMs: number | null;
  /** The bulk job that created the lead, if any (shown only through the admin API). */
  bulkJobUuid: string | null;
}

export interface UserRecord {
  readonly userId: number;
  timezone: string;
  firstName: string;
  lastName: string;
  username: string;
  isLoggedIn: boolean;
  userType: 'agent' | 'user';
  email: string;
  teams: string;
  assignedCampaigns: number[];
  status: string;
  statusSinceMs: number;
  accountIsActive: boolean;
  recording: boolean;
}

export interface ActivityRecord {
  readonly activityId: number;
  parentActivityId: number | null;
  rootActivityId: number | null;
  type: 'call.inbound' | 'call.outbound' | 'email.inbound' | 'email.outbound';
  campaignId: number;
  agentId: number | null;
  leadId: number | null;
  attemptId: number | null;
  phoneIndex: number | null;
  /** Phone numbers for calls, addresses for emails. */
  source: string;
  destination: string;
  createdMs: number;
  durations: Record<string, number>;
  statusId: number;
  statusName: string;
  wrapCode: number | null;
  wrapDescription: string | null;
  agentInteractionId: number | null;
  recordingMediaId: number | null;
  voicemailMediaIds: number[];
  callQualityScore: number | null;
  attachmentCount: number;
}

export interface DiallerAttemptRecord {
  readonly attemptId: number;
  dialStatusId: number;
  dialStatusName: string;
  phoneIndex: number;
  phoneNumber: string;
  leadId: number;
  campaignId: number;
  activityId: number | null;
  parentActivityId: number | null;
  rootActivityId: number | null;
  dialledMs: number;
  answeredMs: number | null;
  hangUpMs: number;
}

export interface MediaRecord {
  readonly mediaId: number;
  duration: number;
  deleted: boolean;
  deletedMs: number | null;
  deletedBy: number | null;
  deletionReason: string | null;
}

/** How a bulk job behaves, fixed when it is submitted (faults changed later do not affect it). */
export type BulkJobMode = 'normal' | 'fail' | 'never-finish' | 'unknown-status';

export interface BulkJobRecord {
  readonly uuid: string;
  readonly submittedMs: number;
  readonly durationMs: number;
  readonly mode: BulkJobMode;
  readonly leads: readonly CreateLeadRequest[];
  /** Set once the job's outcome (leads created, or none) has been applied to the state. */
  settled: boolean;
  leadIds: number[];
}

type IdKind = 'campaign' | 'list' | 'lead' | 'activity' | 'attempt' | 'media' | 'user';

/** Every resource of the simulated tenant, plus id counters. */
export class SimulatorState {
  readonly campaigns = new Map<number, CampaignRecord>();
  readonly lists = new Map<number, LeadListRecord>();
  readonly leads = new Map<number, LeadRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly activities = new Map<number, ActivityRecord>();
  readonly attempts = new Map<number, DiallerAttemptRecord>();
  readonly media = new Map<number, MediaRecord>();
  readonly bulkJobs = new Map<string, BulkJobRecord>();
  private readonly nextIds = new Map<IdKind, number>();

  /** A fresh id of a kind, above every id of that kind seen so far. */
  nextId(kind: IdKind): number {
    const id = this.nextIds.get(kind) ?? 1;
    this.nextIds.set(kind, id + 1);
    return id;
  }

  /** Records that an id is taken (seed data picks its own), so `nextId` never hands it out. */
  reserveId(kind: IdKind, id: number): void {
    if (id >= (this.nextIds.get(kind) ?? 1)) this.nextIds.set(kind, id + 1);
  }
}

/** Values of a map sorted by a numeric id, as cursor pages need them. */
export function sortedById<T>(map: ReadonlyMap<number, T>): T[] {
  // Ids are mostly handed out in insertion order: skip the sort when they already are (large lead sets).
  let previous = -Infinity;
  for (const id of map.keys()) {
    if (id <= previous) return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    previous = id;
  }
  return [...map.values()];
}
