/**
 * Ingestion with in-memory stores and queues against the real ipSCAPE simulator over HTTP: the domain
 * end to end in milliseconds. Queue delays are not waited for; the simulator's clock is moved instead.
 */
import { createMemoryObjectStore, type MemoryObjectStore } from '../../shared/ingest/memory-object-store';
import { createMemoryUploadStore } from '../../shared/ingest/memory-upload-store';
import { createObjectChunkStore } from '../../shared/ingest/object-chunk-store';
import { createIngestion, type Ingestion } from '../../shared/ingest/ingestion';
import { createLeadIdentifier } from '../../shared/ingest/lead-identity';
import type { IngestContinueMessage, PollMessage, SubmitMessage } from '../../shared/ingest/messages';
import { defaultIngestSettings, type IngestSettings } from '../../shared/ingest/settings';
import { emptySuppressionList, type SuppressionList } from '../../shared/ingest/suppression';
import type { UploadStore } from '../../shared/ingest/upload-state';
import type { UploadSummary } from '../../shared/ingest/upload-summary';
import type { WorkQueue } from '../../shared/ingest/work-queue';
import { createProfileRegistry } from '../../shared/leads/mapping-profile-registry';
import type { MappingProfile } from '../../shared/leads/mapping-profile';
import { capturingTelemetry } from '../../shared/observability/telemetry';
import { FAST_LIMITS, type SimulatorFixture } from './simulator';

export const TEST_SECRET = 'test-dedupe-secret-0123456789abcdef';

export interface MemoryQueue<T> extends WorkQueue<T> {
  readonly messages: { message: T; delaySeconds: number }[];
}

export function memoryQueue<T>(): MemoryQueue<T> {
  const messages: { message: T; delaySeconds: number }[] = [];
  return {
    messages,
    async send(message, delaySeconds = 0) {
      messages.push({ message, delaySeconds });
    },
    async sendAll(list) {
      for (const message of list) messages.push({ message, delaySeconds: 0 });
    },
  };
}

export interface Harness {
  readonly ingestion: Ingestion;
  readonly objects: MemoryObjectStore;
  readonly store: UploadStore;
  readonly ingestQueue: MemoryQueue<IngestContinueMessage>;
  readonly submitQueue: MemoryQueue<SubmitMessage>;
  readonly pollQueue: MemoryQueue<PollMessage>;
  readonly telemetry: ReturnType<typeof capturingTelemetry>;
  readonly finished: UploadSummary[];
  /** Drains the ingest (hand-overs), submit and poll queues, moving the simulator clock by each poll's delay. */
  drain(maxSteps?: number): Promise<number>;
}

export function createHarness(
  fixture: SimulatorFixture,
  options: { settings?: Partial<IngestSettings>; suppression?: SuppressionList; profiles?: MappingProfile[]; now?: () => Date } = {},
): Harness {
  const objects = createMemoryObjectStore();
  const store = createMemoryUploadStore();
  const ingestQueue = memoryQueue<IngestContinueMessage>();
  const submitQueue = memoryQueue<SubmitMessage>();
  const pollQueue = memoryQueue<PollMessage>();
  const telemetry = capturingTelemetry();
  const finished: UploadSummary[] = [];
  let clockOffsetMs = 0;
  const now = options.now ?? (() => new Date(Date.now() + clockOffsetMs));
  const ingestion = createIngestion({
    store,
    objects,
    chunks: createObjectChunkStore(objects, 'chunks/'),
    ingestQueue,
    submitQueue,
    pollQueue,
    ipscape: fixture.client({ limits: FAST_LIMITS }),
    tenant: fixture.tenant,
    suppression: options.suppression ?? emptySuppressionList,
    identity: createLeadIdentifier(TEST_SECRET),
    profiles: createProfileRegistry(options.profiles ?? []),
    settings: { ...defaultIngestSettings, ...options.settings },
    secret: TEST_SECRET,
    prefixes: { incoming: 'incoming/', reports: 'reports/', chunks: 'chunks/' },
    telemetry,
    events: { uploadFinished: async (summary) => void finished.push(summary) },
    now,
  });
  return {
    ingestion,
    objects,
    store,
    ingestQueue,
    submitQueue,
    pollQueue,
    telemetry,
    finished,
    async drain(maxSteps = 10_000) {
      let steps = 0;
      while (steps < maxSteps) {
        const handOver = ingestQueue.messages.shift();
        if (handOver) {
          await ingestion.continueIngest(handOver.message);
          steps++;
          continue;
        }
        const submit = submitQueue.messages.shift();
        if (submit) {
          await ingestion.submit(submit.message);
          steps++;
          continue;
        }
        const poll = pollQueue.messages.shift();
        if (!poll) break;
        // The message would wait its delay: let the simulator's jobs and our clock move as far.
        clockOffsetMs += poll.delaySeconds * 1000;
        await fixture.advanceClock(poll.delaySeconds * 1000);
        await ingestion.poll(poll.message);
        steps++;
      }
      return steps;
    },
  };
}
