/**
 * Configuration documents behind a pointer. Lambda's environment holds 4 KB in all, so the large
 * documents (the tenant with its route overrides, mapping profiles, maintenance policies) live in
 * SSM Parameter Store and the environment names the parameter: `IPSCAPE_TENANT_CONFIG_PARAMETER=/leadflow/prod/tenant`.
 * {@link resolveConfigDocuments} fetches them at cold start into the variables `parseConfig` reads,
 * so the same validation applies to a document wherever it came from.
 */

/** Variables whose value may be a document held elsewhere. */
export const documentVariables = ['IPSCAPE_TENANT_CONFIG', 'MAPPING_PROFILES', 'MAINTENANCE_POLICIES'] as const;
export type DocumentVariable = (typeof documentVariables)[number];

/** The pointer variable of a document variable: its name with `_PARAMETER`. */
export function documentPointerVariable(variable: DocumentVariable): `${DocumentVariable}_PARAMETER` {
  return `${variable}_PARAMETER`;
}

/** Reads one parameter's value by name; `undefined` when there is no such parameter. */
export type ParameterReader = (names: readonly string[]) => Promise<Readonly<Record<string, string | undefined>>>;

/** A pointer that could not be followed. Names the variable and parameter, never a value. */
export class ConfigDocumentError extends Error {
  override readonly name = 'ConfigDocumentError';
  constructor(readonly problems: readonly string[]) {
    super(`configuration documents could not be read:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * The environment with every document pointer replaced by the document it points at.
 * A variable given both inline and by pointer is an error (which one would win is not obvious).
 *
 * @example const env = await resolveConfigDocuments(process.env, ssmParameterReader(new SSMClient({})));
 *          const config = parseConfig(env);
 * @throws ConfigDocumentError naming each variable whose parameter is missing or set twice.
 */
export async function resolveConfigDocuments(
  env: Readonly<Record<string, string | undefined>>,
  read: ParameterReader,
): Promise<Record<string, string | undefined>> {
  const pointers = documentVariables.flatMap((variable) => {
    const parameter = env[documentPointerVariable(variable)];
    return parameter ? [{ variable, parameter }] : [];
  });
  const problems = pointers
    .filter(({ variable }) => env[variable] !== undefined)
    .map(({ variable }) => `${variable} / ${documentPointerVariable(variable)}: set exactly one of them`);
  if (problems.length) throw new ConfigDocumentError(problems);
  if (!pointers.length) return { ...env };
  const values = await read(pointers.map((p) => p.parameter));
  const resolved: Record<string, string | undefined> = { ...env };
  for (const { variable, parameter } of pointers) {
    const value = values[parameter];
    if (value === undefined) problems.push(`${documentPointerVariable(variable)}: parameter ${parameter} does not exist`);
    else resolved[variable] = value;
  }
  if (problems.length) throw new ConfigDocumentError(problems);
  return resolved;
}
