/**
 * The bundle check: synthesises the stack with bundling on (local esbuild, as `cdk synth` does) and
 * checks what each function would ship: an ESM bundle that loads and exports its handler, no AWS SDK
 * v2, no layer, and a size under the ceiling. Prints each size and its largest packages.
 */
import { App } from 'aws-cdk-lib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalog from '../../infra/function-catalog';
import { LeadflowStack } from '../../infra/leadflow-stack';

/** The acceptance ceiling for a minified bundle. */
const MAX_BYTES = 1.5 * 1024 * 1024;

interface Bundle {
  readonly entry: string;
  readonly dir: string;
  readonly file: string;
  readonly bytes: number;
  readonly inputs: Record<string, { bytesInOutput: number }>;
}

let outdir: string;
const bundles: Bundle[] = [];
/** Every function of the catalog, once per handler. */
const entries = [
  ...new Set([
    ...Object.values(catalog.queueConsumers).map((n) => n!.entry),
    ...(catalog.erasureIntake ? [catalog.erasureIntake.entry] : []),
    ...catalog.monitors.map((m) => m.entry),
    ...(catalog.maintenanceStarter ? [catalog.maintenanceStarter.entry] : []),
  ]),
];

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'leadflow-bundles-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new LeadflowStack(app, 'leadflow-bundle', { stage: 'bundle' });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
  for (const f of stack.functions.filter((fn, i, all) => all.findIndex((x) => x.entry === fn.entry) === i)) {
    const id = stack.getLogicalId(f.fn.node.defaultChild as never);
    const dir = join(outdir, template.Resources[id]!.Metadata!['aws:asset:path']!);
    const file = join(dir, 'index.mjs');
    const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Bundle['inputs']; entryPoint?: string }> };
    const output = Object.values(meta.outputs).find((o) => o.entryPoint)!;
    bundles.push({ entry: f.entry, dir, file, bytes: statSync(file).size, inputs: output.inputs });
  }
  for (const b of bundles) {
    const byPackage = new Map<string, number>();
    for (const [path, { bytesInOutput }] of Object.entries(b.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
    const top = [...byPackage].sort((a, c) => c[1] - a[1]).slice(0, 6).map(([p, n]) => `${p} ${(n / 1024).toFixed(0)} KB`);
    console.log(`bundle ${b.entry}: ${(b.bytes / 1024).toFixed(0)} KB minified (largest: ${top.join(', ')})`);
  }
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('function bundles', () => {
  it('one bundle per catalogued function', () => {
    expect(bundles.map((b) => b.entry).sort()).toEqual([...entries].sort());
  });

  it.each(entries)('%s: minified, under 1.5 MB, with its source map beside it', (entry) => {
    const b = bundles.find((x) => x.entry === entry)!;
    expect(b.bytes).toBeLessThan(MAX_BYTES);
    expect(statSync(`${b.file}.map`).size).toBeGreaterThan(0);
    // Minified: a megabyte on a few hundred lines (template literals keep their newlines), not tens of thousands.
    expect(readFileSync(b.file, 'utf8').split('\n').length).toBeLessThan(1000);
  });

  it.each(entries)('%s: an ES module that loads in plain Node and exports its handler', (entry) => {
    const b = bundles.find((x) => x.entry === entry)!;
    // A child Node, as Lambda loads it: an .mjs, no loader, no TypeScript.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(b.file).href)}); console.log(typeof m.handler)`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(out.trim()).toBe('function');
  });

  it.each(entries)('%s: bundles the v3 SDK it uses and no AWS SDK v2', (entry) => {
    const b = bundles.find((x) => x.entry === entry)!;
    const inputs = Object.keys(b.inputs);
    expect(inputs.filter((p) => /node_modules\/aws-sdk\//.test(p))).toEqual([]);
    expect(inputs.some((p) => p.includes('node_modules/@aws-sdk/client-sqs/'))).toBe(true);
    expect(readFileSync(b.file, 'utf8')).not.toMatch(/require\(["']aws-sdk["']\)/);
  });
});
