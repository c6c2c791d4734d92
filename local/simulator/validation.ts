/**
 * Request validation with the contract's own schemas: query strings coerced to the types the schema
 * expects, JSON bodies parsed, path ids read as integers. Every problem names its field; none quotes
 * the value.
 */
import { z } from 'zod';
import { validationError, type FieldError } from './http-errors';

/** The base type under `.optional()`/`.nullable()` wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function coerceValue(schema: z.ZodType | undefined, raw: string): unknown {
  const base = schema ? unwrap(schema) : undefined;
  if (base instanceof z.ZodNumber) {
    // Leave anything that is not plainly a number as text, so the schema reports the field.
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  if (base instanceof z.ZodBoolean) {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
  }
  return raw;
}

/** Turns zod issues into field errors; `unrecognized_keys` becomes one error per key. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of issues) {
    const path = prefix + issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ field: path ? `${path}.${key}` : key, message: 'is not a known field' });
    } else {
      fields.push({ field: path || '(body)', message: issue.message });
    }
  }
  return fields;
}

/**
 * Reads a query string against an operation's query schema (strict: unknown parameters are refused).
 *
 * @throws HttpError 400 naming each bad parameter.
 */
export function parseQuery(schema: z.ZodType | undefined, params: URLSearchParams): Record<string, unknown> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  const values: Record<string, unknown> = {};
  const problems: FieldError[] = [];
  for (const name of new Set(params.keys())) {
    const all = params.getAll(name);
    if (all.length > 1) problems.push({ field: name, message: 'must be given once' });
    values[name] = coerceValue(shape[name], all[all.length - 1]!);
  }
  if (!schema) {
    for (const name of Object.keys(values)) problems.push({ field: name, message: 'is not a known field' });
    if (problems.length) throw validationError(problems);
    return {};
  }
  const result = schema.safeParse(values);
  if (!result.success) problems.push(...issuesToFields(result.error.issues));
  if (problems.length) throw validationError(problems);
  return result.data as Record<string, unknown>;
}

/**
 * Validates a parsed JSON body against an operation's body schema.
 *
 * @throws HttpError 400 naming each bad field.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(issuesToFields(result.error.issues));
  return result.data;
}

/**
 * Reads path parameters: ids (every name but `uuid`) must be positive integers.
 *
 * @throws HttpError 400 naming the parameter.
 */
export function parsePathParams(raw: Readonly<Record<string, string>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const problems: FieldError[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'uuid') {
      out[name] = value;
    } else if (/^\d{1,15}$/.test(value) && Number(value) > 0) {
      out[name] = Number(value);
    } else {
      problems.push({ field: name, message: 'must be a positive integer id' });
    }
  }
  if (problems.length) throw validationError(problems);
  return out;
}
