import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, runCliCaptured, spawnCli, tempStateDir } from '../support/cli';

let home: string;
let previousHome: string | undefined;
beforeAll(() => {
  home = tempStateDir();
  previousHome = process.env.LEADFLOW_HOME;
  process.env.LEADFLOW_HOME = home;
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
  else process.env.LEADFLOW_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

describe('targets', () => {
  it('refuses to act without a target (exit 2) and says how to give one', async () => {
    const { code, stdout, stderr } = await runCliCaptured(['start']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no target: pass --local .* or --stack NAME/);
    expect(stderr).toMatch(/Nothing runs against AWS by default/);
    expect(stdout).toBe('');
  });

  it('refuses both targets at once', async () => {
    const { code, stderr } = await runCliCaptured(['start', '--local', '--stack', 'prod']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not both/);
  });

  it('start never sends the example leads to a deployed stack (exit 2)', async () => {
    const { code, stderr } = await runCliCaptured(['start', '--stack', 'prod']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--stack prod: this command runs on the local stack only/);
  });

  it('rejects a malformed stack name', async () => {
    const { code, stderr } = await runCliCaptured(['start', '--stack', 'Prod_1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/lower-case/);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['bogus']],
    [['start', '--no-such-option']],
    [['simulator', '--port', 'abc']],
    [['simulator', '--port', '70000']],
    [['dev', '--time-scale', '2']],
    [[]],
  ])('leadflow %j', async (argv) => {
    const { code, stderr } = await runCliCaptured(argv);
    expect(code).toBe(2);
    expect(stderr).not.toBe('');
  });

  it('help exits 0', async () => {
    const { code, stdout } = await runCliCaptured(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: leadflow/);
    expect(stdout).toMatch(/dev/);
    expect(stdout).toMatch(/simulator/);
    expect(stdout).toMatch(/start/);
  });
});

describe('--json', () => {
  it('prints exactly one JSON document on stdout, even for a usage error', async () => {
    const { code, stdout } = await runCliCaptured(['start', '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({ error: { exitCode: 2, message: expect.stringMatching(/no target/) } });
  });

  it('keeps stdout to one JSON document for commander errors too', async () => {
    const { code, stdout } = await runCliCaptured(['simulator', '--port', 'x', '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error.exitCode).toBe(2);
  });

  it('start --local --json: one document on stdout, progress on stderr, exit 0 (real process, throwaway stack)', async () => {
    const { child, output } = spawnCli(['start', '--local', '--json'], { LEADFLOW_HOME: home });
    expect(await exitOf(child)).toBe(0);
    const document = JSON.parse(output.stdout);
    expect(Array.isArray(document)).toBe(true);
    expect(output.stderr).toMatch(/started a local stack/);
    // The throwaway stack is gone with the command.
    const aws = /moto answers at (http:\/\/127\.0\.0\.1:\d+)/.exec(output.stderr)?.[1];
    expect(aws).toBeDefined();
    await expect(fetch(`${aws}/moto-api/`)).rejects.toThrow();
  }, 90_000);

  it('a real process exits 2 without a target', async () => {
    const { child, output } = spawnCli(['start'], { LEADFLOW_HOME: home });
    expect(await exitOf(child)).toBe(2);
    expect(output.stderr).toMatch(/no target/);
    expect(output.stdout).toBe('');
  });
});
