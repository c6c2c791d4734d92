/**
 * `leadflow maintain` in-process on throwaway local stacks (moto + the seeded simulator, whose list 1
 * holds two open leads uploaded three days ago): a plan within its caps exits 0, one over a cap exits
 * 1 naming the cap, and bad usage or a bad policy exits 2 before anything starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack } from '../../local/dev-stack';
import type { MaintenanceSummary } from '../../shared/maintenance/plan-files';
import { runCliCaptured, tempStateDir } from '../support/cli';

let home: string;
let dir: string;
let previousHome: string | undefined;
beforeAll(() => {
  previousHome = process.env.LEADFLOW_HOME;
  home = tempStateDir();
  process.env.LEADFLOW_HOME = home;
  dir = mkdtempSync(join(tmpdir(), 'leadflow-maintain-cli-'));
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
  else process.env.LEADFLOW_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function policyFile(name: string, policy: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(policy), 'utf8');
  return file;
}

const staleInListOne = { version: 1, targets: [{ listIds: [1], rules: { stale: { olderThanDays: 1 } } }] };

describe('leadflow maintain', () => {
  it('plans on a throwaway stack: within its caps exits 0; over a cap exits 1 and names the cap', async () => {
    const within = policyFile('within.json', { ...staleInListOne, caps: { maxShareOfList: 1 } });
    const ok = await runCliCaptured(['maintain', '--policy', within, '--local', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout) as MaintenanceSummary;
    expect(summary).toMatchObject({ status: 'planned', withinCaps: true, totals: { planned: 2, byRule: { stale: 2 } } });

    // The default caps allow 10 % of a list: none of list 1's two open leads.
    const over = await runCliCaptured(['maintain', '--policy', policyFile('over.json', staleInListOne), '--local']);
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/OVER A CAP: it will not be applied/);
    expect(over.stdout).toMatch(/over: maxShareOfList: list 1 would lose 2 of its 2 open leads/);
    expect(over.stderr).toMatch(/warning: maintenance plan over a cap: maxShareOfList/);
    expect(over.stdout + over.stderr).not.toMatch(/\+61|0491|Pat|@example\.com/);
  }, 90_000);

  it('refuses bad usage and a bad policy with exit 2, naming the problem', async () => {
    const unknownKey = policyFile('typo.json', { ...staleInListOne, caps: { maxLeadsPerPln: 5 } });
    const typo = await runCliCaptured(['maintain', '--policy', unknownKey, '--local']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/typo\.json: invalid maintenance policy:\n {2}- caps: unknown key\(s\) maxLeadsPerPln/);

    expect((await runCliCaptured(['maintain', '--local'])).code).toBe(2);
    expect((await runCliCaptured(['maintain', '--policy', unknownKey])).code).toBe(2);
    expect((await runCliCaptured(['maintain', '--policy', unknownKey, '--apply', 'mp-20261126T130000Z-0123abcd', '--local'])).code).toBe(2);
    const badId = await runCliCaptured(['maintain', '--apply', '../../etc', '--local', '--json']);
    expect(badId.code).toBe(2);
    expect(JSON.parse(badId.stdout)).toMatchObject({ error: { exitCode: 2 } });
    expect((await runCliCaptured(['maintain', '--policy', join(dir, 'missing.json'), '--local'])).code).toBe(2);
  });

  it('applying needs the running dev stack, where plans live (exit 1 without one)', async () => {
    const result = await runCliCaptured(['maintain', '--apply', 'mp-20261126T130000Z-0123abcd', '--local']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no local stack is running/);
  });

  it('on the running dev stack: plan, apply the reviewed plan (exit 0), and refuse it a second time (exit 1)', async () => {
    const dev = await startDevStack({ stateDir: home });
    try {
      const policy = policyFile('apply.json', { ...staleInListOne, caps: { maxShareOfList: 1 }, completionsPerSecond: 20 });
      const planned = await runCliCaptured(['maintain', '--policy', policy, '--local', '--json']);
      expect(planned.code, planned.stderr).toBe(0);
      const { planId } = JSON.parse(planned.stdout) as MaintenanceSummary;

      const applied = await runCliCaptured(['maintain', '--apply', planId, '--local']);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(new RegExp(`plan ${planId} → applied: 2 completed, 0 skipped, 0 not reached, of 2`));
      const { leads } = (await (await fetch(`${dev.endpoints.adminUrl}/leads`)).json()) as { leads: { leadId: number; completed: boolean }[] };
      expect(leads.filter((l) => l.completed).map((l) => l.leadId).sort()).toEqual([10001, 10002]);

      const again = await runCliCaptured(['maintain', '--apply', planId, '--local', '--json']);
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'refused', reason: 'already-applied' });
    } finally {
      await dev.stop();
    }
  }, 90_000);
});
