/**
 * Erasure wired to its ports: what the erasure functions call. Knows nothing of AWS;
 * `shared/aws/erasure-ports.ts` builds the ports from the configuration and AWS clients.
 */
import type { ExecuteDeps, ExecuteOutcome } from './execute-erasure';
import { executeErasure, failAfterLastDelivery } from './execute-erasure';
import { handleErasureApi, type ApiRequest, type ApiResponse, type ErasureApiDeps } from './http-api';
import type { ErasureMessage } from './messages';
import { reportDueness } from './officer-actions';

export type ErasurePorts = ExecuteDeps & ErasureApiDeps;

/** The erasure steps. */
export interface Erasure {
  /** The worker: one queue message. */
  execute(message: ErasureMessage): Promise<ExecuteOutcome>;
  /** Fails a request whose message is on its last delivery and still failing. */
  giveUp(requestId: string, errorName: string): Promise<boolean>;
  /** The HTTP API: one request. */
  api(request: ApiRequest): Promise<ApiResponse>;
  /** The due-date metrics (scheduled). */
  dueness(): Promise<{ open: number; nearDue: number; overdue: number }>;
}

/** Wires the steps to one set of ports. */
export function createErasure(ports: ErasurePorts): Erasure {
  return {
    execute: (message) => executeErasure(message, ports),
    giveUp: (requestId, errorName) => failAfterLastDelivery(requestId, errorName, ports),
    api: (request) => handleErasureApi(request, ports),
    dueness: () => reportDueness(ports),
  };
}
