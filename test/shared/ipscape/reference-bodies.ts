/**
 * The example bodies of the public API reference, extracted in file order (test support).
 *
 * The reference is rendered HTML turned to text: a body starts on a line beginning with `{` and ends
 * where its brackets balance; `- ` markers follow `{`, `[`, `,` or start a line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** `../shared/reference/...` relative to the project root. */
/**
 * The reference as published, kept in the project (`docs/reference/`) so the tests need nothing from
 * outside the repository; `sharedReferencePath` is the team's copy beside it, checked for drift.
 */
export const referencePath = fileURLToPath(new URL('docs/reference/ipscape-platform-api-v3.txt', `file://${projectRoot}`));
export const sharedReferencePath = fileURLToPath(new URL('../shared/reference/ipscape-platform-api-v3.txt', `file://${projectRoot}`));

/** Extracts the example bodies of a reference text, as JSON text, in order. */
export function extractBodies(text: string): string[] {
  const lines = text.split('\n');
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('{')) continue;
    const collected: string[] = [];
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      collected.push(line);
      for (const ch of line) {
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === '\\') escaped = true;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') depth--;
      }
      if (depth === 0) break;
    }
    bodies.push(collected.join('\n').replace(/(^|[{[,])[ \t]*- /gm, '$1'));
  }
  return bodies;
}

/** The reference's bodies, parsed, in file order. */
export function referenceBodies(): unknown[] {
  return extractBodies(readFileSync(referencePath, 'utf8')).map((b) => JSON.parse(b) as unknown);
}
