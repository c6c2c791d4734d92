/**
 * Intake: a request body (HTTP, CLI) becomes a stored request and a message on the erasure queue.
 *
 * Idempotent: the same identifiers while a request for them is open, or the same external id at any
 * time, return the existing request (and send nothing). Identifiers are sealed for the worker; the
 * record otherwise holds their keyed hashes only.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LeadIdentifier } from '../ingest/lead-identity';
import type { WorkQueue } from '../ingest/work-queue';
import type { Telemetry } from '../observability/telemetry';
import type { ErasureRequestRecord } from './erasure-request';
import type { ErasureStore } from './erasure-store';
import { kindsOf, normaliseIdentifiers, type FieldProblem } from './identifiers';
import { dueDate, jurisdictions } from './jurisdiction';
import type { ErasureMessage } from './messages';
import type { IdentifierSealer } from './sealed-identifiers';
import type { ErasureSettings } from './settings';

/** The body of a new request. Unknown fields are refused. */
export const erasureRequestBodySchema = z.strictObject({
  phone: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
  jurisdiction: z.enum(jurisdictions).optional(),
  /** The privacy team's own reference (ticket id). Letters, digits and `._:/-`, so it cannot be an email. */
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9._:/-]{1,64}$/, 'must be 1-64 letters, digits or . _ : / -')
    .optional(),
});
export type ErasureRequestBody = z.input<typeof erasureRequestBodySchema>;

/** A request body that cannot be accepted; `problems` name fields, never values. */
export class ErasureInputError extends Error {
  override readonly name = 'ErasureInputError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(`invalid erasure request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  }
}

/** Field problems from a zod error, naming fields only when they look like field names. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: /^[A-Za-z_][A-Za-z_]{0,39}$/.test(k) ? k : '(an unknown field)', message: 'is not a field of an erasure request' }));
    }
    return [{ field: issue.path.join('.') || '(body)', message: issue.message }];
  });
}

export interface IntakeDeps {
  readonly store: ErasureStore;
  readonly queue: WorkQueue<ErasureMessage>;
  readonly identity: Pick<LeadIdentifier, 'identifier'>;
  readonly sealer: IdentifierSealer;
  readonly settings: ErasureSettings;
  readonly telemetry: Telemetry;
  readonly now?: () => Date;
}

/** A new request id: `er` and 20 random hex digits. */
export function newRequestId(): string {
  return `er${randomBytes(10).toString('hex')}`;
}

/**
 * Validates and stores a request, and queues it for the worker.
 *
 * @param actor - who asked (the IAM principal, the local user): kept in the audit trail.
 * @throws ErasureInputError when the body is not a valid request.
 */
export async function submitErasureRequest(body: unknown, actor: string, deps: IntakeDeps): Promise<{ readonly created: boolean; readonly request: ErasureRequestRecord }> {
  const parsed = erasureRequestBodySchema.safeParse(body);
  if (!parsed.success) throw new ErasureInputError(fieldProblems(parsed.error));
  const normalised = normaliseIdentifiers(parsed.data, deps.settings.defaultRegion);
  if (!normalised.ok) throw new ErasureInputError(normalised.problems);
  const identifiers = normalised.identifiers;
  const kinds = kindsOf(identifiers);
  const hashes = Object.fromEntries(kinds.map((k) => [k, deps.identity.identifier(identifiers[k]!)]));
  const received = (deps.now ?? (() => new Date()))();
  const jurisdiction = parsed.data.jurisdiction ?? deps.settings.defaultJurisdiction;
  const requestId = newRequestId();
  const stamp = received.toISOString();
  const record: ErasureRequestRecord = {
    requestId,
    status: 'received',
    jurisdiction,
    ...(parsed.data.externalId && { externalId: parsed.data.externalId }),
    requestedBy: actor,
    receivedAt: stamp,
    dueAt: dueDate(received, jurisdiction, deps.settings.due).toISOString(),
    updatedAt: stamp,
    kinds,
    hashes,
    sealed: deps.sealer.seal(requestId, identifiers),
    openKey: kinds.map((k) => `${k}:${hashes[k]}`).join('|'),
    round: 1,
    attempts: 0,
    calls: {},
    audit: [{ at: stamp, actor, action: 'received', detail: `${kinds.join(' and ')}, ${jurisdiction}` }],
  };
  const result = await deps.store.create(record);
  if (!result.created) {
    deps.telemetry.info('erasure request already known: returning it', { requestId: result.existing.requestId });
    deps.telemetry.metric('ErasureRequestsDuplicate', 1);
    return { created: false, request: result.existing };
  }
  await deps.queue.send({ kind: 'erasure', requestId });
  deps.telemetry.info('erasure request received', { requestId, jurisdiction, kinds: kinds.join(',') });
  deps.telemetry.metric('ErasureRequestsReceived', 1);
  return { created: true, request: result.record };
}
