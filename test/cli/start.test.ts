import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadSummarySchema } from '../../shared/ingest/upload-summary';
import { exitOf, spawnCli, tempStateDir } from '../support/cli';

let home: string;
beforeAll(() => {
  home = tempStateDir();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('leadflow start --local (what npm start runs)', () => {
  it('ingests the example files through the whole pipeline and prints one JSON array of summaries', async () => {
    const { child, output } = spawnCli(['start', '--local', '--json'], { LEADFLOW_HOME: home });
    expect(await exitOf(child)).toBe(0);
    const summaries = uploadSummarySchema.array().parse(JSON.parse(output.stdout));
    expect(summaries).toHaveLength(1);
    const [leads] = summaries;
    expect(leads!.conservation.holds).toBe(true);
    expect(leads!.status).toBe('completed-with-rejections');
    expect(leads!.outcomes.accepted).toBeGreaterThan(250);
    expect(leads!.outcomes.rejected).toBeGreaterThan(0);
    expect(leads!.outcomes.duplicate).toBeGreaterThan(0);
    expect(leads!.outcomes.failed + leads!.outcomes.inDoubt).toBe(0);
    expect(leads!.chunks.length).toBeGreaterThan(1);
    expect(leads!.chunks.every((c) => c.jobUuid && c.state === 'succeeded')).toBe(true);
    // Progress went to stderr, and names no phone number, email or key.
    expect(output.stderr).toMatch(/leads\.csv: completed-with-rejections/);
    expect(output.stderr).not.toMatch(/5550|0491|@example\.com|local-dev-key/);
  }, 90_000);
});
