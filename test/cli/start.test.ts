import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, spawnCli, tempStateDir } from '../support/cli';

let home: string;
beforeAll(() => {
  home = tempStateDir();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('leadflow start --local (what npm start runs)', () => {
  it('runs the smoke flow over real HTTP and S3 and prints exactly one JSON document', async () => {
    const { child, output } = spawnCli(['start', '--local', '--json'], { LEADFLOW_HOME: home });
    expect(await exitOf(child)).toBe(0);
    const doc = JSON.parse(output.stdout) as {
      result: { ok: boolean; leadsSubmitted: number; leadsInList: number; pagesRead: number; job: { outcome: string }; report: string };
    };
    expect(doc.result.ok).toBe(true);
    expect(doc.result.job.outcome).toBe('succeeded');
    expect(doc.result.leadsInList).toBe(doc.result.leadsSubmitted);
    expect(doc.result.pagesRead).toBeGreaterThan(1);
    expect(doc.result.report).toMatch(/^s3:\/\/leadflow-dev-uploads\/reports\/smoke\//);
    // Progress is on stderr, and names no phone number.
    expect(output.stderr).toMatch(/bulk job .*: completed/);
    expect(output.stderr).not.toMatch(/\+61\d{9}/);
    expect(output.stderr).not.toContain('local-dev-key');
  }, 60_000);
});
