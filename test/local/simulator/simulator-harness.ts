/** Starts a simulator for one test file and offers small fetch helpers (the ipSCAPE client is not used here). */
import { parseTenantConfig, type TenantConfigInput } from '../../../shared/ipscape/tenant-config';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../local/simulator/index';

export const API_KEY = 'sim-test-key';
export const TENANT_BASE = 'https://acme.ipscape.com.au/platform-api/v3.0';

export interface Harness {
  readonly sim: RunningSimulator;
  /** Calls an ipSCAPE path below the base URL with the right credentials. */
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Calls an absolute path on the simulator's origin (e.g. a resolved nextUri), with credentials. */
  raw(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Calls the admin API. */
  admin(path: string, body?: unknown, method?: string): Promise<any>;
}

/** Starts a simulator on a free port. */
export async function startHarness(
  options: Partial<Omit<SimulatorOptions, 'tenant'>> & { tenant?: Partial<TenantConfigInput> } = {},
): Promise<Harness> {
  const { tenant, ...rest } = options;
  const config = parseTenantConfig({ baseUrl: TENANT_BASE, ...tenant });
  const sim = await startSimulator({ port: 0, apiKey: API_KEY, freezeClock: true, ...rest, tenant: config });
  const authHeader = { [config.auth.header]: config.auth.format.replace('{key}', API_KEY) };
  const call = async (url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...authHeader, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // non-JSON answers (a gateway 502) stay text
    }
    return { status: res.status, body: body as any, headers: res.headers };
  };
  return {
    sim,
    api: (path, init) => call(`${sim.baseUrl}${path}`, init),
    raw: (path, init) => call(`${sim.url}${path}`, init),
    async admin(path, body, method) {
      const res = await fetch(`${sim.url}/__admin${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as any;
      if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
  };
}
