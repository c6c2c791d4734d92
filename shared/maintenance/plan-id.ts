/** Plan ids: the time of planning plus randomness, safe in an S3 key and readable in a listing. */
import { randomBytes } from 'node:crypto';

const PLAN_ID = /^mp-\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/**
 * A new plan id for a plan made at `nowMs`.
 *
 * @example newPlanId(Date.parse('2026-11-26T13:00:00Z')) // 'mp-20261126T130000Z-1f2e3d4c'
 */
export function newPlanId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `mp-${stamp}-${randomBytes(4).toString('hex')}`;
}

/** Whether a text is a plan id (so it can go into a key or a message safely). */
export function isPlanId(text: string): boolean {
  return PLAN_ID.test(text);
}
