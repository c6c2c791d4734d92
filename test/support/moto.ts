/**
 * One moto per test file: `startTestMoto()` at the top of a file registers beforeAll/afterAll hooks
 * that start it, point this process's AWS SDK at it, and stop it again.
 */
import { afterAll, beforeAll } from 'vitest';
import { applyLocalAwsEnv, localClients, LOCAL_REGION, type LocalClients } from '../../local/aws-clients';
import { startMoto, type MotoServer } from '../../local/moto';
import { provisionResources, type LocalResources } from '../../local/provision';

/** The file's moto; its fields are readable once `beforeAll` has run. */
export interface TestMoto {
  readonly server: MotoServer;
  readonly endpoint: string;
  /** Clients for this moto, created on first use and destroyed in afterAll. */
  readonly clients: LocalClients;
}

/**
 * Starts a moto for the current test file (beforeAll) and stops it (afterAll). Sets
 * `AWS_ENDPOINT_URL`, `AWS_REGION=ap-southeast-2` and fake credentials while it runs.
 */
export function startTestMoto(): TestMoto {
  let server: MotoServer | undefined;
  let clients: LocalClients | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    server = await startMoto();
    restoreEnv = applyLocalAwsEnv(server.endpoint, LOCAL_REGION);
  }, 30_000);
  afterAll(async () => {
    clients?.destroy();
    restoreEnv?.();
    await server?.stop();
  }, 30_000);
  const running = (): MotoServer => {
    if (!server) throw new Error('moto is not running: use startTestMoto() at the top of the file and read it inside tests');
    return server;
  };
  return {
    get server() {
      return running();
    },
    get endpoint() {
      return running().endpoint;
    },
    get clients() {
      clients ??= localClients(running().endpoint, LOCAL_REGION);
      return clients;
    },
  };
}

/**
 * Provisions a stage in the file's moto (from `AWS_ENDPOINT_URL`). Use a distinct stage per test when
 * tests in one file must not see each other's messages.
 */
export function provisionTestStack(stage: string, options: { timeScale?: number } = {}): Promise<LocalResources> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL is not set: call startTestMoto() first');
  return provisionResources({ endpoint, stage, region: process.env.AWS_REGION ?? LOCAL_REGION, timeScale: options.timeScale ?? 1 });
}
