/**
 * Local request validation: structural (the operation's zod schemas) and semantic (`./semantic`),
 * run before a request takes a rate-limit token, so a bad request costs no call and no 400.
 */
import type { z } from 'zod';
import { redactText } from '../privacy/redact';
import { ValidationError } from './errors';
import { operations } from './operations';
import type { OperationId, Route } from './routes';
import { checkCreateLead, checkPhoneFilter, checkPrivacyErasure, checkUpdateLead, type FieldProblem } from './semantic';
import type { CreateLeadRequest, UpdateLeadRequest, BulkCreateLeadsRequest, ListLeadsQuery } from './schemas/leads';
import type { PrivacyErasureRequest } from './schemas/privacy';

export interface RequestParts {
  readonly pathParams?: Readonly<Record<string, unknown>>;
  readonly query?: unknown;
  readonly body?: unknown;
}

export interface ValidRequest {
  readonly pathParams: Readonly<Record<string, string | number>>;
  readonly query?: Record<string, string | number | boolean | null | undefined>;
  readonly body?: unknown;
}

/** Zod issues as field problems. Zod 4 messages name types and formats, never the input value. */
export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const at = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        // A key is caller-provided text: redact it in case a value was passed where a key belongs.
        problems.push({ field: redactText(at ? `${at}.${key}` : key), message: 'is not a field of this request' });
      }
    } else {
      problems.push({ field: redactText(at), message: issue.message });
    }
  }
  return problems;
}

function pathParamProblems(operation: OperationId, params: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const name of operations[operation].pathParams) {
    const value = params[name];
    if (name === 'uuid') {
      if (typeof value !== 'string' || value.trim() === '') problems.push({ field: name, message: 'must be a non-empty job id' });
    } else if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      problems.push({ field: name, message: 'must be a positive integer id' });
    }
  }
  return problems;
}

function semanticProblems(operation: OperationId, query: unknown, body: unknown): FieldProblem[] {
  switch (operation) {
    case 'createLead':
      return checkCreateLead(body as CreateLeadRequest);
    case 'bulkCreateLeads':
      return ((body as BulkCreateLeadsRequest).leads ?? []).flatMap((lead, i) => checkCreateLead(lead, `leads.${i}.`));
    case 'updateLead':
      return checkUpdateLead(body as UpdateLeadRequest);
    case 'privacyErasure':
      return checkPrivacyErasure(body as PrivacyErasureRequest);
    case 'listLeads':
      return checkPhoneFilter((query as ListLeadsQuery).phone1);
    default:
      return [];
  }
}

/**
 * Validates a request for `operation`; returns the parsed parts or throws a {@link ValidationError}
 * (attempts 0, no status) naming every bad field.
 *
 * @example validateRequest('getLead', defaultRoutes.getLead, { pathParams: { leadId: 7 } })
 */
export function validateRequest(operation: OperationId, route: Route, parts: RequestParts): ValidRequest {
  const spec = operations[operation] as { query?: z.ZodType; body?: z.ZodType };
  const problems = pathParamProblems(operation, parts.pathParams ?? {});
  let query: ValidRequest['query'];
  let body: unknown;
  if (spec.query) {
    const parsed = spec.query.safeParse(parts.query ?? {});
    if (parsed.success) query = parsed.data as ValidRequest['query'];
    else problems.push(...zodProblems(parsed.error, 'query'));
  }
  if (spec.body) {
    const parsed = spec.body.safeParse(parts.body);
    if (parsed.success) body = parsed.data;
    else problems.push(...zodProblems(parsed.error, parts.body === undefined ? 'body' : ''));
  }
  // Semantic checks read fields the structural schema vouched for, so they run only on a sound shape.
  if (problems.length === 0) problems.push(...semanticProblems(operation, query, body));
  if (problems.length) {
    throw new ValidationError(
      'request refused before sending',
      { operation, method: route.method, pathTemplate: route.path, attempts: 0 },
      problems,
    );
  }
  const result: { pathParams: Record<string, string | number>; query?: ValidRequest['query']; body?: unknown } = {
    pathParams: (parts.pathParams ?? {}) as Record<string, string | number>,
  };
  if (spec.query) result.query = query;
  if (spec.body) result.body = body;
  return result;
}
