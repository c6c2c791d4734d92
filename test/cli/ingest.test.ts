import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadSummarySchema } from '../../shared/ingest/upload-summary';
import { exitOf, runCliCaptured, spawnCli, tempStateDir } from '../support/cli';

let home: string;
let dir: string;
beforeAll(() => {
  home = tempStateDir();
  dir = mkdtempSync(join(tmpdir(), 'leadflow-ingest-cli-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('leadflow ingest', () => {
  it('ingests files it has never seen through the local pipeline: one JSON array, exit 0 even when every row is rejected', async () => {
    const good = join(dir, 'new-leads.csv');
    writeFileSync(good, 'Mobile;Customer Key;Email\n0491 570 156;N-1;one@example.com\n(02) 5550 0101;N-2;\n', 'utf8');
    const bad = join(dir, 'all-bad.csv');
    writeFileSync(bad, 'Mobile,Customer Key\n1300 000 000,B-1\nnot a number,B-2\n', 'utf8');
    const { child, output } = spawnCli(['ingest', good, bad, '--list-id', '2', '--local', '--json'], { LEADFLOW_HOME: home });
    expect(await exitOf(child)).toBe(0);
    const [first, second] = uploadSummarySchema.array().length(2).parse(JSON.parse(output.stdout));
    expect(first!.key).toBe('incoming/2/new-leads.csv');
    expect(first!.delimiter).toBe(';');
    expect(first!.outcomes).toMatchObject({ accepted: 2, rejected: 0 });
    expect(second!.outcomes).toMatchObject({ accepted: 0, rejected: 2 });
    expect(second!.status).toBe('completed-with-rejections');
    expect([first, second].every((s) => s!.conservation.holds)).toBe(true);
    expect(output.stderr).not.toMatch(/0491|5550|@example\.com/);
  }, 90_000);

  it('refuses a file that does not exist (exit 2) before starting anything', async () => {
    const { code, stderr } = await runCliCaptured(['ingest', join(dir, 'missing.csv'), '--local']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing\.csv: no such file/);
  });

  it('refuses a list id that is not a positive whole number (exit 2)', async () => {
    const { code } = await runCliCaptured(['ingest', join(dir, 'x.csv'), '--list-id', '0', '--local']);
    expect(code).toBe(2);
  });
});
