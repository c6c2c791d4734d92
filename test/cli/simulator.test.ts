import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitOf, spawnCli, tempStateDir } from '../support/cli';
import { waitFor } from '../support/wait';

describe('leadflow simulator', () => {
  it('serves the simulator until SIGTERM, printing its URLs as one JSON document', async () => {
    const home = tempStateDir();
    const { child, output } = spawnCli(['simulator', '--port', '0', '--seed', '3', '--api-key', 'sim-test-key', '--json'], { LEADFLOW_HOME: home });
    try {
      const document = await waitFor(
        () => {
          try {
            return JSON.parse(output.stdout) as { url: string; baseUrl: string; adminUrl: string; port: number };
          } catch {
            return undefined;
          }
        },
        { what: `the simulator to start (stderr so far: ${output.stderr})` },
      );
      expect(document.baseUrl).toBe(`${document.url}/platform-api/v3.0`);
      const res = await fetch(`${document.adminUrl}/faults`);
      expect(res.ok).toBe(true);
      await res.body?.cancel();
      expect(output.stderr).not.toContain('sim-test-key');
      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
      await expect(fetch(`${document.adminUrl}/faults`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
