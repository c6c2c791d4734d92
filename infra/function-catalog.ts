/**
 * Every function of the stack and exactly what it may touch. The stack grants from this table and
 * nothing else, and the template tests read it back from the synthesised policies, so a new permission
 * is a reviewed line here.
 *
 * THE place to add a function: a queue consumer under {@link queueConsumers} (its queue, DLQ, alarms
 * and outputs exist already, from the resource description), the privacy team's HTTP entry as
 * {@link erasureIntake} (it gets the IAM-authenticated function URL), an always-on scheduled check
 * under {@link monitors}, the function the maintenance schedule invokes as {@link maintenanceStarter}
 * (disabled and dry-run by default). Maintenance's two entries live in ./maintenance.ts, with its alarms.
 */
import type { DocumentVariable } from '../shared/config/config-documents';
import { resources, type QueueName } from '../shared/resources/resources';
import { maintenanceConsumer, maintenanceStarter as maintenanceStarterNeeds } from './maintenance';

/** A key prefix of the uploads bucket. */
export type UploadsPrefix = keyof typeof resources.bucket.prefixes;
/** A key prefix of the privacy bucket. */
export type PrivacyPrefix = keyof typeof resources.privacyBucket.prefixes;

/** What one function needs; anything not named here it cannot do. */
export interface FunctionNeeds {
  /** Folder under `functions/`. */
  readonly entry: string;
  readonly description: string;
  /** Uploads bucket prefixes it reads (GetObject, GetObjectVersion). */
  readonly reads: readonly UploadsPrefix[];
  /** Uploads bucket prefixes it writes (PutObject). */
  readonly writes: readonly UploadsPrefix[];
  /** Uploads bucket prefixes it deletes from (DeleteObject). */
  readonly deletes: readonly UploadsPrefix[];
  /** Uploads bucket prefixes whose old versions it deletes (DeleteObjectVersion): erasure purges every version. */
  readonly deletesVersions?: readonly UploadsPrefix[];
  /** Lists object versions (ListBucketVersions) to find every copy of a key. */
  readonly listsVersions?: boolean;
  /** Privacy bucket prefixes it reads (GetObject, GetObjectVersion: a notification names a version); only erasure functions. */
  readonly privacyReads?: readonly PrivacyPrefix[];
  /** Privacy bucket prefixes it writes (PutObject); only erasure functions. */
  readonly privacyWrites?: readonly PrivacyPrefix[];
  /** Queues it sends to (SendMessage), and so gets the URL of. */
  readonly sendsTo: readonly QueueName[];
  /** Queues whose URL it must be given without sending to them (a shared runtime that checks its configuration). */
  readonly knowsQueues?: readonly QueueName[];
  /** Secrets it reads at cold start. */
  readonly secrets: readonly ('apiKey' | 'dedupe')[];
  /** Documents it reads by SSM pointer. */
  readonly documents: readonly DocumentVariable[];
  /** Publishes upload-finished events on the product's event bus. */
  readonly publishesEvents: boolean;
  /** Calls ipSCAPE: counts against the tenant's request budget. */
  readonly callsIpscape: boolean;
}

/**
 * The queue consumers, by the queue they consume.
 *
 * All three read the ipSCAPE API key: the ingestion composition root (shared/aws/ingestion-ports.ts)
 * reads it at cold start even in ingest, which never calls ipSCAPE.
 */
export const queueConsumers: Partial<Record<QueueName, FunctionNeeds>> = {
  ingest: {
    entry: 'ingest',
    description: 'leadflow ingest: reads an upload, writes chunks and the parse rejections, announces chunks to submit; hands a long parse over to itself',
    // chunks/: a continued parse reads its checkpoint back; reports/: the parse-rejection parts are
    // read back when the upload ends here.
    reads: ['incoming', 'chunks', 'reports'],
    writes: ['chunks', 'reports'],
    // An ingest that fails half way removes the chunks, checkpoints and rejection parts it wrote.
    deletes: ['chunks', 'reports'],
    // ingest: a parse too long for one invocation hands over to the next through its own queue.
    sendsTo: ['submit', 'ingest'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES'],
    publishesEvents: true,
    callsIpscape: false,
  },
  submit: {
    entry: 'submit',
    description: 'leadflow submit: one bulk create per chunk, then schedules its poll',
    // incoming/: finishing an upload reads it again for the original cells of rows taken out after parsing.
    reads: ['incoming', 'chunks', 'reports'],
    // A chunk that ends on its last delivery can finish its upload: summary and rejected.csv.
    writes: ['reports'],
    deletes: ['reports'],
    sendsTo: ['poll'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES'],
    publishesEvents: true,
    callsIpscape: true,
  },
  poll: {
    entry: 'poll',
    description: 'leadflow poll: follows a bulk job or reconciles an in-doubt chunk, finishes the upload',
    // incoming/: finishing an upload reads it again for the original cells of rows taken out after parsing.
    reads: ['incoming', 'chunks', 'reports'],
    writes: ['reports'],
    deletes: ['reports'],
    // Polls re-enqueue themselves with a growing delay.
    sendsTo: ['poll'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES'],
    publishesEvents: true,
    callsIpscape: true,
  },
  erasure: {
    entry: 'erasure',
    description: 'leadflow erasure worker: suppresses, erases in ipSCAPE, purges every version of our objects holding the person, writes the receipt',
    // The raw upload, chunks and rejection reports are rewritten without the person, older versions deleted.
    reads: ['incoming', 'chunks', 'reports'],
    writes: ['incoming', 'chunks', 'reports'],
    deletes: ['chunks', 'reports'],
    deletesVersions: ['incoming', 'chunks', 'reports'],
    listsVersions: true,
    // Re-enqueues itself while ingestion holding the person is in flight, or after an ipSCAPE error.
    sendsTo: ['erasure'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG'],
    publishesEvents: false,
    callsIpscape: true,
  },
  requests: {
    entry: 'erasure-file',
    description: 'leadflow erasure-file: a CSV of erasure requests dropped under requests/ in the privacy bucket: one request per row through the intake, a per-row report under reports/',
    // Nothing of the uploads bucket: request files and their reports live in the privacy bucket.
    reads: [],
    writes: [],
    deletes: [],
    privacyReads: ['requests'],
    privacyWrites: ['reports'],
    // The intake queues each new request for the worker.
    sendsTo: ['erasure'],
    // The erasure runtime reads both at cold start; identifiers are keyed-hashed and sealed with the dedupe secret.
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG'],
    publishesEvents: false,
    callsIpscape: false,
  },
  // Maintenance's entries live with its alarms in ./maintenance.ts.
  maintenance: maintenanceConsumer,
};

/** The function behind the privacy team's IAM-authenticated endpoint (routes in shared/erasure/http-api.ts). */
export const erasureIntake: FunctionNeeds | undefined = {
  entry: 'erasure-api',
  description: "leadflow erasure API: the privacy team's requests (IAM-authenticated function URL); queues the work, never calls ipSCAPE",
  reads: [],
  writes: [],
  deletes: [],
  sendsTo: ['erasure'],
  // The erasure runtime reads both at cold start; identifiers are keyed-hashed with the dedupe secret.
  secrets: ['apiKey', 'dedupe'],
  documents: ['IPSCAPE_TENANT_CONFIG'],
  publishesEvents: false,
  callsIpscape: false,
};

/** A function on an always-on schedule (a check that only reads and reports). */
export interface ScheduledFunction extends FunctionNeeds {
  readonly schedule: string;
  readonly timeoutSeconds: number;
}

/** Always-on scheduled checks. */
export const monitors: readonly ScheduledFunction[] = [
  {
    entry: 'sweep',
    description: 'leadflow sweep: ends uploads whose parse stopped for good (ingest message in the DLQ) as failed, ingest-abandoned (metric UploadsAbandoned)',
    schedule: 'rate(1 hour)',
    timeoutSeconds: 120,
    // Finishing an abandoned upload: reads its report parts, writes summary.json and rejected.csv.
    reads: ['reports'],
    writes: ['reports'],
    // Its chunk bodies and checkpoints (never announced) and its report parts go.
    deletes: ['chunks', 'reports'],
    sendsTo: [],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES'],
    publishesEvents: true,
    callsIpscape: false,
  },
  {
    entry: 'erasure-due',
    description: 'leadflow erasure-due: counts open erasure requests near or past their due date (metrics ErasureRequestsNearDue, ErasureRequestsOverdue)',
    schedule: 'rate(1 hour)',
    timeoutSeconds: 60,
    reads: [],
    writes: [],
    deletes: [],
    sendsTo: [],
    // The erasure runtime refuses to start without the queue URL; the check itself sends nothing.
    knowsQueues: ['erasure'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG'],
    publishesEvents: false,
    callsIpscape: false,
  },
];

/** What the maintenance schedule invokes (disabled and dry-run by default): from ./maintenance.ts. */
export const maintenanceStarter: (FunctionNeeds & { readonly timeoutSeconds: number }) | undefined = maintenanceStarterNeeds;
