/**
 * `leadflow erase` and `leadflow erasure-status` against a running dev stack (started in this process,
 * with its dev.json, the erasure API on loopback and the worker pumped), as an operator uses them.
 */
import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack';
import { localErasureApiTo, localQueueHandlersTo } from '../../local/function-handlers';
import type { RequestView } from '../../shared/erasure/http-api';
import { runCliCaptured, tempStateDir } from '../support/cli';
import { waitFor } from '../support/wait';

let home: string;
let stack: DevStack;
const previousHome = process.env.LEADFLOW_HOME;

beforeAll(async () => {
  home = tempStateDir();
  process.env.LEADFLOW_HOME = home;
  const stream = new PassThrough().resume();
  stack = await startDevStack({
    stateDir: home,
    handlers: localQueueHandlersTo({ stream }),
    erasureApi: localErasureApiTo({ stream }),
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
  else process.env.LEADFLOW_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
}, 60_000);

describe('leadflow erase on a running dev stack', () => {
  it('submits with --local --json (one document, exit 0) and erasure-status follows it to its receipt', async () => {
    await fetch(`${stack.endpoints.adminUrl}/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leads: [{ listId: 1, phones: ['+61491570777'] }, { listId: 2, phones: ['+61491570777'] }] }),
    });
    const erase = await runCliCaptured(['erase', '--phone', '0491 570 777', '--jurisdiction', 'ccpa', '--local', '--json']);
    expect(erase.code).toBe(0);
    const request = JSON.parse(erase.stdout) as RequestView;
    expect(request).toMatchObject({ status: 'received', jurisdiction: 'CCPA', kinds: ['phone'] });
    expect(erase.stderr).not.toMatch(/0491|491570777/);

    const done = await waitFor(
      async () => {
        const status = await runCliCaptured(['erasure-status', request.requestId, '--local', '--json']);
        expect(status.code).toBe(0);
        const view = JSON.parse(status.stdout) as RequestView;
        return view.status === 'completed' ? view : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the request to complete' },
    );
    expect(done.receipt!.identifiers[0]!.counts.leadData.leadsDeleted).toBe(2);
    const human = await runCliCaptured(['erasure-status', request.requestId, '--local']);
    expect(human.stdout).toMatch(/completed \(phone, CCPA, due .*\)\n  phone: 2 lead\(s\) deleted/);
  }, 60_000);

  it('exits 2 for a request the API refuses, naming the field and not the value', async () => {
    const refused = await runCliCaptured(['erase', '--phone', '0491 57', '--local', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/phone is not a phone number/);
    expect(refused.stderr + refused.stdout).not.toContain('0491 57');
    expect((await runCliCaptured(['erase', '--local'])).code).toBe(2);
    expect((await runCliCaptured(['erasure-status', 'not-an-id', '--local'])).code).toBe(2);
  });
});
