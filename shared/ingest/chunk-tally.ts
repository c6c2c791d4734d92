/** How a chunk's rows add up when it ends. */
import { outcomeOf, type ReasonCode } from './outcomes';
import type { ChunkException, Tally } from './upload-state';

/**
 * The tally of a chunk that ended: its exceptions (each counted under its reason's outcome), plus
 * `accepted` rows and `failed` rows with `failedReason`.
 *
 * @example chunkTally([{ line: 3, reason: 'suppressed' }], 499, 0) // { outcomes: { suppressed: 1, accepted: 499 }, reasons: { suppressed: 1 } }
 */
export function chunkTally(exceptions: readonly ChunkException[], accepted: number, failed = 0, failedReason?: ReasonCode): Tally {
  const outcomes: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  const add = (reason: ReasonCode, n: number) => {
    const outcome = outcomeOf(reason);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + n;
    reasons[reason] = (reasons[reason] ?? 0) + n;
  };
  for (const e of exceptions) add(e.reason, 1);
  if (failed > 0 && failedReason) add(failedReason, failed);
  if (accepted > 0) outcomes.accepted = accepted;
  return { outcomes, reasons };
}
