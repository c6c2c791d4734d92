/**
 * `npm run bench`: runs every `bench/**\/*.bench.ts` in its own Node process (so one benchmark's heap
 * does not colour the next one's memory figures), one after another, and prints what each prints.
 * Benchmarks print figures; nothing here asserts a timing.
 *
 * `npm run bench -- csv phone` runs only the benchmarks whose path contains one of the words.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');

function findBenchmarks(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : findBenchmarks(path);
    return entry.name.endsWith('.bench.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const benchmarks = findBenchmarks(benchDir)
  .map((p) => relative(root, p))
  .filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)))
  .sort();

if (benchmarks.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const bench of benchmarks) {
  console.log(`\n=== ${bench} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', bench], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.log(`(${bench} exited with ${run.status ?? run.signal})`);
  }
}
process.exit(failed ? 1 : 0);
