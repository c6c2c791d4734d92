/** The shape of a handler for one ipSCAPE operation. */
import type { RenderContext } from '../representations';
import type { SimulatorRuntime } from '../runtime';

/** A request that passed routing, auth and structural validation. */
export interface OperationRequest {
  readonly sim: SimulatorRuntime;
  /** Path parameters: ids as numbers, `uuid` as text. */
  readonly params: Readonly<Record<string, string | number>>;
  /** Query parameters, parsed by the operation's query schema. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The body, parsed by the operation's body schema (undefined for operations without one). */
  readonly body: unknown;
  /** The path actually requested, relative to the base path (page URIs repeat it). */
  readonly relativePath: string;
  readonly nowMs: number;
  readonly render: RenderContext;
}

/** Answers an operation with a JSON body (status 200), or throws an HttpError. */
export type OperationHandler = (request: OperationRequest) => unknown;
