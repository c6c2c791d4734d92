/**
 * The one description of the product's AWS resources.
 *
 * The local runtime (moto) and the CDK stack are both built from this object, so the bucket layout,
 * the queues and their dead-letter queues, the tables and the S3 → SQS notification cannot drift
 * between a laptop and a customer's account. Nothing here is environment specific: physical names
 * are derived per stage by {@link physicalNames}.
 */

/** A Lambda consumer of one queue. */
export interface FunctionSpec {
  /** Folder under `functions/` holding the handler. */
  readonly entry: string;
  /** Lambda timeout; the queue's visibility timeout is derived from it. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** An SQS queue with its dead-letter queue and the function that consumes it. */
export interface QueueSpec {
  readonly consumer: FunctionSpec;
  /** Lambda event source batch size. */
  readonly batchSize: number;
  /** Receives before a message is parked in the DLQ. */
  readonly maxReceiveCount: number;
  /** How long the DLQ keeps a parked message. */
  readonly dlqRetentionDays: number;
  /** What the messages on this queue carry (documented in docs/architecture.md). */
  readonly carries: string;
}

/** A DynamoDB table with a composite key. */
export interface TableSpec {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly ttlAttribute: string;
  readonly globalIndexes: readonly { readonly name: string; readonly partitionKey: string; readonly sortKey: string }[];
}

/** Visibility timeout is six times the consumer's timeout, as AWS recommends for SQS event sources. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export const resources = {
  bucket: {
    /** Key prefixes inside the one uploads bucket. Each has its own lifecycle and access rules. */
    prefixes: {
      /** Operators drop CSV files here: `incoming/<listId>/<name>.csv` (grammar in docs/architecture.md). */
      incoming: 'incoming/',
      /** Chunk bodies written by ingest and read by submit. Lead data lives only here, never on a queue. */
      chunks: 'chunks/',
      /** Per-upload summary and rejection files. */
      reports: 'reports/',
      /** Maintenance plans and their summaries. */
      maintenance: 'maintenance/',
    },
    /** Only keys with this suffix under `incoming/` trigger ingestion. */
    uploadSuffix: '.csv',
  },
  /** Erasure request files live in a bucket of their own: the operators' role can neither read nor write it. */
  privacyBucket: {
    prefixes: {
      /** The privacy team drops CSVs of requests here: `requests/<name>.csv`, one request per row. */
      requests: 'requests/',
      /** One report per request file: `reports/<name>.<version>.csv` (outside `requests/`, so it never triggers intake). */
      reports: 'reports/',
    },
    /** Only keys with this suffix under `requests/` are request files. */
    requestSuffix: '.csv',
  },
  queues: {
    ingest: {
      consumer: { entry: 'ingest', timeoutSeconds: 300, memoryMb: 512 },
      batchSize: 1,
      maxReceiveCount: 5,
      dlqRetentionDays: 14,
      carries: 'S3 ObjectCreated event notifications for uploads, and ingest-continue hand-overs of files too large for one invocation',
    },
    submit: {
      consumer: { entry: 'submit', timeoutSeconds: 60, memoryMb: 256 },
      batchSize: 5,
      maxReceiveCount: 5,
      dlqRetentionDays: 14,
      carries: 'chunk announcements: upload id, chunk index, chunk object key, row count',
    },
    poll: {
      consumer: { entry: 'poll', timeoutSeconds: 30, memoryMb: 256 },
      batchSize: 10,
      maxReceiveCount: 5,
      dlqRetentionDays: 14,
      carries: 'bulk job polls and in-doubt reconciles: kind, upload id, chunk index, attempt (the job uuid is on the chunk record)',
    },
    erasure: {
      // Purging a person from a large raw upload is CPU-bound (1M rows, 102 MB: ~16 s of CPU): 1 GB buys ~0.6 vCPU.
      consumer: { entry: 'erasure', timeoutSeconds: 300, memoryMb: 1024 },
      batchSize: 1,
      maxReceiveCount: 5,
      dlqRetentionDays: 14,
      carries: 'erasure request ids (never the identifiers themselves)',
    },
    requests: {
      // Intake only (no ipSCAPE, no purge): a file of a few thousand rows is a few thousand small table writes.
      consumer: { entry: 'erasure-file', timeoutSeconds: 300, memoryMb: 256 },
      batchSize: 1,
      maxReceiveCount: 5,
      dlqRetentionDays: 14,
      carries: 'S3 ObjectCreated event notifications for erasure request files (requests/*.csv in the privacy bucket): bucket, key, version, ETag; never a row',
    },
    maintenance: {
      consumer: { entry: 'maintenance', timeoutSeconds: 300, memoryMb: 256 },
      batchSize: 1,
      maxReceiveCount: 5,
      dlqRetentionDays: 14,
      carries: 'maintenance run checkpoints: plan id, position',
    },
  },
  tables: {
    /** Single-table state: uploads, chunks, bulk jobs, erasure requests, suppression, locks. */
    state: {
      partitionKey: 'pk',
      sortKey: 'sk',
      ttlAttribute: 'expiresAt',
      globalIndexes: [{ name: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    },
  },
  /**
   * S3 → SQS: new objects under the upload prefix with the upload suffix go to the ingest queue; new
   * request files in the privacy bucket go to the requests queue.
   */
  notifications: [
    { bucket: 'bucket', events: ['s3:ObjectCreated:*'], prefix: 'incoming/', suffix: '.csv', queue: 'ingest' },
    { bucket: 'privacyBucket', events: ['s3:ObjectCreated:*'], prefix: 'requests/', suffix: '.csv', queue: 'requests' },
  ],
} as const satisfies {
  bucket: { prefixes: Record<string, string>; uploadSuffix: string };
  privacyBucket: { prefixes: Record<string, string>; requestSuffix: string };
  queues: Record<string, QueueSpec>;
  tables: Record<string, TableSpec>;
  notifications: readonly {
    bucket: 'bucket' | 'privacyBucket';
    events: readonly string[];
    prefix: string;
    suffix: string;
    queue: string;
  }[];
};

export type QueueName = keyof typeof resources.queues;
export type TableName = keyof typeof resources.tables;

/** Every queue name, in a stable order. */
export const queueNames = Object.keys(resources.queues) as QueueName[];

/**
 * Visibility timeout of a queue, derived from its consumer's timeout.
 *
 * @param timeScale - local runs scale timeouts down (e.g. 0.01) so DLQ tests take seconds; 1 when deployed.
 * @example visibilityTimeoutSeconds('submit') // 360
 */
export function visibilityTimeoutSeconds(queue: QueueName, timeScale = 1): number {
  const spec: QueueSpec = resources.queues[queue];
  return Math.max(1, Math.round(spec.consumer.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR * timeScale));
}

/** Physical names of every resource for one stage (`dev`, `prod`, a test worker id...). */
export interface PhysicalNames {
  readonly bucket: string;
  readonly privacyBucket: string;
  readonly queues: Record<QueueName, { readonly queue: string; readonly dlq: string }>;
  readonly tables: Record<TableName, string>;
}

/**
 * Derives physical resource names for a stage. Names are lower case and valid for S3, SQS and DynamoDB.
 *
 * @example physicalNames('dev').queues.ingest.dlq // 'leadflow-dev-ingest-dlq'
 */
export function physicalNames(stage: string): PhysicalNames {
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(stage)) {
    throw new Error(`stage "${stage}" must be 1-31 lower-case letters, digits or dashes`);
  }
  const base = `leadflow-${stage}`;
  const queues = Object.fromEntries(
    queueNames.map((q) => [q, { queue: `${base}-${q}`, dlq: `${base}-${q}-dlq` }]),
  ) as PhysicalNames['queues'];
  return {
    bucket: `${base}-uploads`,
    privacyBucket: `${base}-privacy`,
    queues,
    tables: { state: `${base}-state` },
  };
}
