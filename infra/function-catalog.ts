/**
 * Every function of the stack and exactly what it may touch. The stack grants from this table and
 * nothing else, and the template tests read it back from the synthesised policies, so a new permission
 * is a reviewed line here.
 *
 * THE place to add a function: the erasure and maintenance issues add their queue consumers to
 * {@link queueConsumers} (their queues, DLQs, alarms and outputs exist already), the erasure intake to
 * {@link erasureIntake} (it gets the IAM-authenticated function URL), and the maintenance starter to
 * {@link maintenanceStarter} (it gets the schedule, disabled and dry-run by default).
 */
import type { DocumentVariable } from '../shared/config/config-documents';
import { resources, type QueueName } from '../shared/resources/resources';

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
  /** Privacy bucket prefixes it reads; only erasure functions. */
  readonly privacyReads?: readonly PrivacyPrefix[];
  /** Queues it sends to (SendMessage), and so gets the URL of. */
  readonly sendsTo: readonly QueueName[];
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
    description: 'leadflow ingest: reads an upload, writes chunks and the parse rejections, announces chunks to submit',
    // reports/: the parse-rejections part is headed (HEAD needs GetObject) and read back if the upload ends here.
    reads: ['incoming', 'reports'],
    writes: ['chunks', 'reports'],
    // An ingest that fails half way removes the chunks and rejection part it wrote.
    deletes: ['chunks', 'reports'],
    sendsTo: ['submit'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES'],
    publishesEvents: true,
    callsIpscape: false,
  },
  submit: {
    entry: 'submit',
    description: 'leadflow submit: one bulk create per chunk, then schedules its poll',
    reads: ['chunks', 'reports'],
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
    reads: ['chunks', 'reports'],
    writes: ['reports'],
    deletes: ['reports'],
    // Polls re-enqueue themselves with a growing delay.
    sendsTo: ['poll'],
    secrets: ['apiKey', 'dedupe'],
    documents: ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES'],
    publishesEvents: true,
    callsIpscape: true,
  },
  // erasure: { entry: 'erasure', ... }        added by the erasure issue
  // maintenance: { entry: 'maintenance', ... } added by the maintenance issue
};

/** The function behind the privacy team's IAM-authenticated endpoint; none until the erasure issue adds it. */
export const erasureIntake: FunctionNeeds | undefined = undefined;

/** The function the maintenance schedule invokes; none until the maintenance issue adds it. */
export const maintenanceStarter: (FunctionNeeds & { readonly timeoutSeconds: number }) | undefined = undefined;
