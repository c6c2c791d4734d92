/** Temporary changes to `process.env`, undone in one call. */

/**
 * Sets (string) or deletes (undefined) environment variables and returns a function restoring the
 * previous values. In-process handlers read their configuration from the environment, as on Lambda.
 */
export function applyEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const set = (entries: Record<string, string | undefined>): void => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(values);
  return () => set(previous);
}
