/** `import { z } from 'zod'` (and the default import) in a function bundle: the lean zod of zod-lean.ts. */
import * as z from './zod-lean';

export * from './zod-lean';
export { z, z as default };
