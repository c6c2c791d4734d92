/**
 * The ingestion steps wired to their ports: what each function's handler calls. Knows nothing of
 * AWS; `shared/aws/ingestion-ports.ts` builds the ports from the configuration and AWS clients, and
 * tests build them from memory stores, moto or the simulator.
 */
import type { PersonIndex } from '../erasure/person-index';
import type { IpscapeClient } from '../ipscape/client';
import type { TenantConfig } from '../ipscape/tenant-config';
import type { MappingProfileRegistry } from '../leads/mapping-profile-registry';
import type { Telemetry } from '../observability/telemetry';
import type { ChunkStore } from './chunk-store';
import { finishUploadIfDone, type UploadEvents } from './finish-upload';
import { continueUpload, ingestUpload, type IngestOutcome, type IngestRunOptions, type UploadObjectRef } from './ingest-upload';
import type { LeadIdentifier } from './lead-identity';
import type { IngestContinueMessage, PollMessage, SubmitMessage } from './messages';
import type { ObjectStore, UploadPrefixes } from './object-store';
import { pollChunk, type PollOutcome } from './poll-chunk';
import { reconcileChunk, type ReconcileOutcome } from './reconcile-chunk';
import type { IngestSettings } from './settings';
import { submitChunk, type SubmitOptions, type SubmitOutcome } from './submit-chunk';
import { sweepStrandedUploads, type SweepResult } from './sweep-stranded';
import type { SuppressionList } from './suppression';
import type { UploadStore } from './upload-state';
import type { WorkQueue } from './work-queue';

export interface IngestionPorts {
  readonly store: UploadStore;
  readonly objects: ObjectStore;
  readonly chunks: ChunkStore;
  readonly submitQueue: WorkQueue<SubmitMessage>;
  /** Where a long parse hands over (the ingest queue); without it a parse runs to the end in one invocation. */
  readonly ingestQueue?: WorkQueue<IngestContinueMessage>;
  readonly pollQueue: WorkQueue<PollMessage>;
  readonly ipscape: Pick<IpscapeClient, 'bulkCreateLeads' | 'getBulkJob' | 'listLeads' | 'pages'>;
  readonly tenant: Pick<TenantConfig, 'bulkStatus'>;
  readonly suppression: SuppressionList;
  readonly identity: LeadIdentifier;
  readonly profiles: MappingProfileRegistry;
  readonly settings: IngestSettings;
  readonly secret: Uint8Array | string;
  /** Where ingest indexes each row's identifiers for erasure. */
  readonly personIndex?: PersonIndex;
  readonly prefixes: UploadPrefixes;
  readonly telemetry: Telemetry;
  readonly events?: UploadEvents;
  readonly now?: () => Date;
}

/** The three steps of ingestion (ingest in one or more segments). */
export interface Ingestion {
  ingest(ref: UploadObjectRef, options?: IngestRunOptions): Promise<IngestOutcome>;
  /** Goes on with a parse that handed over (an `ingest-continue` message). */
  continueIngest(message: IngestContinueMessage, options?: IngestRunOptions): Promise<IngestOutcome>;
  submit(message: SubmitMessage, options?: SubmitOptions): Promise<SubmitOutcome>;
  poll(message: PollMessage): Promise<PollOutcome | ReconcileOutcome>;
  /** Ends uploads whose parse stopped for good (scheduled). */
  sweep(): Promise<SweepResult>;
}

/** Wires the steps to one set of ports. */
export function createIngestion(ports: IngestionPorts): Ingestion {
  const onChunkFinished = async (upload: Parameters<typeof finishUploadIfDone>[0]) => {
    await finishUploadIfDone(upload, { ...ports, reportsPrefix: ports.prefixes.reports });
  };
  return {
    ingest: (ref, options) => ingestUpload(ref, { ...ports, finishUpload: onChunkFinished }, options),
    continueIngest: (message, options) => continueUpload(message, { ...ports, finishUpload: onChunkFinished }, options),
    submit: (message, options) => submitChunk(message, { ...ports, onChunkFinished }, options),
    poll: (message) =>
      message.kind === 'reconcile' ? reconcileChunk(message, { ...ports, onChunkFinished }) : pollChunk(message, { ...ports, onChunkFinished }),
    sweep: () => sweepStrandedUploads({ ...ports, finishUpload: onChunkFinished }),
  };
}
