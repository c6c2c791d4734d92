/**
 * zod's classic API (`z.object`, `z.string`, `z.iso`, `z.coerce`...) without what the functions never
 * call at run time: the 40 translated locales (~255 KB minified; English stays, registered by the
 * schemas themselves), JSON Schema conversion and the schema compiler. The function bundles import
 * this in place of `zod` (esbuild alias in leadflow-function.ts); the code keeps `import { z } from 'zod'`.
 *
 * Mirrors node_modules/zod/v4/classic/external.js of the pinned zod; test/infra/zod-lean.test.ts
 * fails if the code uses a runtime member of `z` that is missing here.
 */
export * from '../../node_modules/zod/v4/classic/schemas.js';
export * from '../../node_modules/zod/v4/classic/checks.js';
export * from '../../node_modules/zod/v4/classic/errors.js';
export * from '../../node_modules/zod/v4/classic/parse.js';
export * from '../../node_modules/zod/v4/classic/compat.js';
export {
  globalRegistry,
  registry,
  config,
  $output,
  $input,
  $brand,
  clone,
  regexes,
  treeifyError,
  prettifyError,
  formatError,
  flattenError,
  TimePrecision,
  util,
  NEVER,
} from '../../node_modules/zod/v4/core/index.js';
// Types and values both (z.input<typeof s> / z.output<typeof s>).
export { input, output } from '../../node_modules/zod/v4/classic/in-out.js';
export { ZodISODateTime, ZodISODate, ZodISOTime, ZodISODuration } from '../../node_modules/zod/v4/classic/iso.js';
export * as iso from '../../node_modules/zod/v4/classic/iso.js';
export * as coerce from '../../node_modules/zod/v4/classic/coerce.js';
