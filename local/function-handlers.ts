/**
 * The deployed functions as the local stack runs them: which handler consumes which queue, and which
 * run on a schedule. `leadflow dev` and throwaway `--local` stacks both take them from here, so a new
 * function is wired locally in one place.
 *
 * No function handlers exist yet (functions/ is empty); register them here as they land, e.g.
 * `ingest: (await import('../functions/ingest/handler')).handler`.
 */
import type { LocalStackContext, QueueHandlers, ScheduledJob } from './dev-stack';

/** Queue consumers for the local stack. */
export async function localQueueHandlers(_context: LocalStackContext): Promise<QueueHandlers> {
  return {};
}

/** Scheduled handlers for the local stack. */
export async function localSchedules(_context: LocalStackContext): Promise<readonly ScheduledJob[]> {
  return [];
}
