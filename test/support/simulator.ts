/**
 * The ipSCAPE client against a started simulator, over real HTTP: one tenant document drives both
 * (the simulator serves its routes, the client calls them), plus typed helpers for the admin API.
 */
import { createIpscapeClient, type IpscapeClient, type IpscapeClientOptions } from '../../shared/ipscape/client';
import { parseTenantConfig, type TenantConfig, type TenantConfigInput } from '../../shared/ipscape/tenant-config';
import {
  startSimulator,
  type ClockReading,
  type FaultSettings,
  type RequestLogEntry,
  type RunningSimulator,
  type SeedRequest,
  type SeedResult,
  type SimulatorFaults,
  type SimulatorOptions,
} from '../../local/simulator/index';
import { mulberry32 } from '../../local/simulator/random';

/** The tenant base the simulator is configured with; it serves that URL's path on its own origin. */
export const TENANT_BASE = 'https://acme.ipscape.com.au/platform-api/v3.0';

/** A tenant document without its base URL (each side fills in its own). */
export type TenantDocument = Omit<TenantConfigInput, 'baseUrl'>;

/** Limits for tests that are not about pacing: never wait on the client's own limiter, back off briefly. */
export const FAST_LIMITS = {
  requestsPerSecond: 1000,
  burst: 1000,
  maxConcurrency: 16,
  timeoutMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 5,
  maxDelayMs: 20,
} as const;

export interface BulkJobView {
  readonly uuid: string;
  readonly status: string;
  readonly mode: string;
  readonly total: number;
  readonly submitted: string;
  readonly leadIds: number[];
}

export interface SimulatorFixture {
  readonly sim: RunningSimulator;
  /** The document both sides were built from (without the base URL). */
  readonly document: TenantDocument;
  /** The client's resolved tenant: the document with the simulator's base URL. */
  readonly tenant: TenantConfig;
  /** A client of this tenant; `limits` are merged onto the document's. */
  client(options?: Partial<Omit<IpscapeClientOptions, 'tenant'>> & { limits?: TenantDocument['limits']; document?: TenantDocument }): IpscapeClient;
  /** Raw admin call; throws on a non-2xx answer. */
  admin<T = unknown>(path: string, body?: unknown, method?: string): Promise<T>;
  reset(): Promise<void>;
  faults(changes: SimulatorFaults): Promise<FaultSettings>;
  seed(request: SeedRequest): Promise<SeedResult>;
  advanceClock(ms: number): Promise<ClockReading>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  bulkJobs(): Promise<BulkJobView[]>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** The tenant document (routes, auth, bulk status values, limits) shared by simulator and client. */
  readonly document?: TenantDocument;
  readonly apiKey: string;
  readonly simulator?: Partial<Omit<SimulatorOptions, 'tenant' | 'apiKey'>>;
}

/** Starts a simulator on a free port and returns the fixture around it. */
export async function startSimulatorFixture(options: FixtureOptions): Promise<SimulatorFixture> {
  const document: TenantDocument = options.document ?? {};
  const sim = await startSimulator({
    port: 0,
    ...options.simulator,
    apiKey: options.apiKey,
    tenant: parseTenantConfig({ ...document, baseUrl: TENANT_BASE }, 'simulator tenant'),
  });
  const tenantFor = (doc: TenantDocument, limits?: TenantDocument['limits']) =>
    parseTenantConfig({ ...doc, baseUrl: sim.baseUrl, limits: { ...doc.limits, ...limits } }, 'client tenant');
  const tenant = tenantFor(document);

  const admin = simulatorAdmin(`${sim.url}/__admin`);

  return {
    sim,
    document,
    tenant,
    client({ limits, document: doc, ...rest } = {}) {
      return createIpscapeClient({ apiKey: options.apiKey, ...rest, tenant: tenantFor(doc ?? document, limits) });
    },
    admin,
    reset: async () => void (await admin('/reset', {})),
    faults: (changes) => admin<FaultSettings>('/faults', changes),
    seed: (request) => admin<SeedResult>('/seed', request),
    advanceClock: (ms) => admin<ClockReading>('/clock', { advanceMs: ms }),
    requests: async () => (await admin<{ requests: RequestLogEntry[] }>('/requests')).requests,
    clearRequests: async () => void (await admin('/requests', undefined, 'DELETE')),
    bulkJobs: async () => (await admin<{ jobs: BulkJobView[] }>('/bulk-jobs')).jobs,
    close: () => sim.close(),
  };
}

/** Every item of an async iterable, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Log entries grouped by the client's request id (one group per logical call), each in arrival order. */
export function byRequestId(entries: readonly RequestLogEntry[]): Map<string, RequestLogEntry[]> {
  const groups = new Map<string, RequestLogEntry[]>();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const id = entry.requestId ?? '(none)';
    const group = groups.get(id) ?? [];
    group.push(entry);
    groups.set(id, group);
  }
  return groups;
}

/** A small seeded [0, 1) source (the simulator's mulberry32), so backoff jitter repeats from run to run. */
export const seededRandom = mulberry32;

/**
 * A caller of the simulator's admin API at `adminUrl` (`.../__admin`): GET without a body, POST with one.
 *
 * @example await simulatorAdmin(url)<{ leads: unknown[] }>('/leads')
 */
export function simulatorAdmin(adminUrl: string) {
  return async function admin<T>(path: string, body?: unknown, method?: string): Promise<T> {
    const res = await fetch(`${adminUrl}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method ?? ''} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
}
