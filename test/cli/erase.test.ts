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

describe('leadflow erase --file', () => {
  it('submits one request per row and reports each row by line: created, already known (same external id), refused (values never printed)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'leadflow-erase-file-'));
    const file = join(dir, 'requests.csv');
    writeFileSync(
      file,
      ['Phone,E-Mail,Jurisdiction,External ID', '0491 570 881,,AU,F-1', ',file.person@example.com,GDPR,F-2', '0491 570 883,,AU,F-1', '0491 57,,AU,F-4', ',,,'].join('\r\n') + '\r\n',
    );
    const run = await runCliCaptured(['erase', '--file', file, '--local', '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { line: number; outcome: string; requestId?: string; problem?: string }[];
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'existing'],
      [5, 'refused'],
    ]);
    expect(rows[2]!.requestId).toBe(rows[0]!.requestId);
    expect(rows[3]!.problem).toMatch(/^phone /);
    expect(run.stdout + run.stderr).not.toMatch(/0491|491570|file\.person/);

    writeFileSync(file, 'Phone,Name\r\n0491 570 882,Jo\r\n');
    const bad = await runCliCaptured(['erase', '--file', file, '--local']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/column 2 of the header is not a request field/);
  }, 60_000);
});
