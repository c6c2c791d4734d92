/**
 * The function bundles use the lean zod (infra/bundling/zod-lean.ts). This fails when function code
 * uses a runtime member of `z` the lean zod does not have, before a deployed function would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z as full } from 'zod';
import { z as lean } from '../../infra/bundling/zod';

/** Members used only in type positions (`z.core.$ZodIssue`): no run-time value needed. */
const TYPE_ONLY = new Set(['core']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('lean zod', () => {
  it('has every run-time member of z that shared/ and functions/ use', () => {
    const used = new Set<string>();
    for (const file of [...sources('shared'), ...sources('functions')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bz\.([A-Za-z_$][\w$]*)/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((name) => name in full && !TYPE_ONLY.has(name) && !(name in lean));
    expect(missing).toEqual([]);
  });

  it('validates and reports like zod', () => {
    const schema = lean.strictObject({ at: lean.iso.datetime({ offset: true }), n: lean.coerce.number().int().min(1) });
    expect(schema.parse({ at: '2026-01-01T00:00:00+10:00', n: '3' })).toEqual({ at: '2026-01-01T00:00:00+10:00', n: 3 });
    const result = schema.safeParse({ at: 'x', n: 0, extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(full.strictObject({ at: full.iso.datetime({ offset: true }), n: full.coerce.number().int().min(1) }).safeParse({ at: 'x', n: 0, extra: 1 }).error?.issues.map((i) => i.message));
  });
});
