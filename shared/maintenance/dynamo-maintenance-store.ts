/**
 * {@link MaintenanceStore} over the single state table:
 * - plan `MAINTENANCE#<planId>` / `PLAN`, in the `byStatus` index as `MAINTENANCE_PLANS` /
 *   `<status>#<planId>` (plan ids begin with their time, so a status lists oldest first);
 * - lead outcome `MAINTENANCE#<planId>` / `LEAD#<position, 6 digits>`;
 * - the lock `MAINTENANCE#LOCK` / `LOCK`: owner, plan, `expiresAtMs`.
 * Every change is conditional on the state it moves from (and on the run id for a run's writes), so a
 * stale message or a second run can never move a plan. Records expire `ttlDays` after they are written.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadOutcome, LockHolder, MaintenanceStore, PlanRecord, PlanStatus } from './maintenance-store';

export interface DynamoMaintenanceStoreOptions {
  readonly client: DynamoDBClient | DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days plan records and lead outcomes are kept; default 90. */
  readonly ttlDays?: number;
  /** Wall clock for expiry; defaults to Date.now. */
  readonly now?: () => number;
}

const LOCK_KEY = { pk: 'MAINTENANCE#LOCK', sk: 'LOCK' } as const;
export const MAINTENANCE_PLANS_PARTITION = 'MAINTENANCE_PLANS';
const planKey = (planId: string) => ({ pk: `MAINTENANCE#${planId}`, sk: 'PLAN' });
const leadKey = (planId: string, position: number) => ({ pk: `MAINTENANCE#${planId}`, sk: `LEAD#${String(position).padStart(6, '0')}` });
const statusSortKey = (status: PlanStatus, planId: string) => `${status}#${planId}`;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write; false when its condition failed. */
async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

function toPlan(item: Record<string, unknown>): PlanRecord {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, expiresAt: _e, rulesJson, ...rest } = item;
  return { ...(rest as unknown as Omit<PlanRecord, 'rulesByList'>), rulesByList: JSON.parse(String(rulesJson)) as PlanRecord['rulesByList'] };
}

function toOutcome(item: Record<string, unknown>): LeadOutcome {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _e, ...rest } = item;
  return rest as unknown as LeadOutcome;
}

/** Creates the store. */
export function createDynamoMaintenanceStore(options: DynamoMaintenanceStoreOptions): MaintenanceStore {
  const client =
    options.client instanceof DynamoDBDocumentClient
      ? options.client
      : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  const TableName = options.tableName;
  const now = options.now ?? Date.now;
  const ttl = () => Math.floor(now() / 1000) + (options.ttlDays ?? 90) * 86_400;

  /** A transition of a run's plan, conditioned on the run still owning it. */
  const runUpdate = (planId: string, runId: string, set: string, values: Record<string, unknown>, names: Record<string, string> = {}) =>
    conditional(() =>
      client.send(
        new UpdateCommand({
          TableName,
          Key: planKey(planId),
          UpdateExpression: set,
          ConditionExpression: 'attribute_exists(pk) AND #status = :applying AND runId = :runId',
          ExpressionAttributeNames: { '#status': 'status', ...names },
          ExpressionAttributeValues: { ':applying': 'applying', ':runId': runId, ...values },
        }),
      ),
    );

  return {
    createPlan(record) {
      const { rulesByList, ...rest } = record;
      return conditional(() =>
        client.send(
          new PutCommand({
            TableName,
            Item: {
              ...planKey(record.planId),
              type: 'maintenance-plan',
              ...rest,
              rulesJson: JSON.stringify(rulesByList),
              gsi1pk: MAINTENANCE_PLANS_PARTITION,
              gsi1sk: statusSortKey(record.status, record.planId),
              expiresAt: ttl(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
    async getPlan(planId) {
      const out = await client.send(new GetCommand({ TableName, Key: planKey(planId), ConsistentRead: true }));
      return out.Item ? toPlan(out.Item) : undefined;
    },
    startRun(planId, from, runId, at) {
      const fromRun = from.status === 'applying';
      return conditional(() =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: planKey(planId),
            UpdateExpression: 'SET #status = :applying, runId = :runId, startedAt = :at, updatedAt = :at, gsi1sk = :sk',
            ConditionExpression: fromRun ? 'attribute_exists(pk) AND #status = :applying AND runId = :previous' : 'attribute_exists(pk) AND #status = :planned',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':applying': 'applying',
              ':runId': runId,
              ':at': at,
              ':sk': statusSortKey('applying', planId),
              ...(fromRun ? { ':previous': from.previousRunId } : { ':planned': 'planned' }),
            },
          }),
        ),
      );
    },
    countInvocation(planId, runId, at) {
      return runUpdate(planId, runId, 'SET updatedAt = :at ADD invocations :one', { ':at': at, ':one': 1 });
    },
    savePosition(planId, runId, position, at) {
      return runUpdate(planId, runId, 'SET #position = :position, updatedAt = :at', { ':position': position, ':at': at }, { '#position': 'position' });
    },
    finishRun(planId, runId, status, position, at) {
      return runUpdate(
        planId,
        runId,
        'SET #status = :final, #position = :position, finishedAt = :at, updatedAt = :at, gsi1sk = :sk',
        { ':final': status, ':position': position, ':at': at, ':sk': statusSortKey(status, planId) },
        { '#position': 'position' },
      );
    },
    expirePlan(planId, at) {
      return conditional(() =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: planKey(planId),
            UpdateExpression: 'SET #status = :expired, updatedAt = :at, gsi1sk = :sk',
            ConditionExpression: 'attribute_exists(pk) AND #status = :planned',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':expired': 'expired', ':planned': 'planned', ':at': at, ':sk': statusSortKey('expired', planId) },
          }),
        ),
      );
    },
    async getLeadOutcome(planId, position) {
      const out = await client.send(new GetCommand({ TableName, Key: leadKey(planId, position), ConsistentRead: true }));
      return out.Item ? toOutcome(out.Item) : undefined;
    },
    async putLeadOutcome(planId, outcome) {
      await client.send(
        new PutCommand({ TableName, Item: { ...leadKey(planId, outcome.position), type: 'maintenance-lead', ...outcome, expiresAt: ttl() } }),
      );
    },
    async leadOutcomes(planId) {
      const found: LeadOutcome[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lead)',
            ExpressionAttributeValues: { ':pk': planKey(planId).pk, ':lead': 'LEAD#' },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) found.push(toOutcome(item));
        start = out.LastEvaluatedKey;
      } while (start);
      return found;
    },
    async acquireLock(request) {
      const { owner, holder, step, planId, nowMs, ttlMs, mode } = request;
      const expiresAtMs = nowMs + ttlMs;
      const condition = {
        start: 'attribute_not_exists(pk) OR expiresAtMs < :now',
        continue: 'attribute_not_exists(pk) OR expiresAtMs < :now OR (#owner = :owner AND step = :previous)',
        renew: '#owner = :owner AND holder = :holder',
      }[mode];
      const values: Record<string, unknown> = { start: { ':now': nowMs }, continue: { ':now': nowMs, ':owner': owner, ':previous': step - 1 }, renew: { ':owner': owner, ':holder': holder } }[mode];
      const acquired = await conditional(() =>
        client.send(
          new PutCommand({
            TableName,
            Item: {
              ...LOCK_KEY,
              type: 'maintenance-lock',
              owner,
              holder,
              step,
              planId,
              acquiredAt: new Date(nowMs).toISOString(),
              expiresAtMs,
              // TTL deletion lags by up to days: the lock's own expiry is expiresAtMs, checked in the condition.
              expiresAt: Math.ceil(expiresAtMs / 1000) + 86_400,
            },
            ConditionExpression: condition,
            ...(mode !== 'start' && { ExpressionAttributeNames: { '#owner': 'owner' } }),
            ExpressionAttributeValues: values,
          }),
        ),
      );
      if (acquired) return { acquired: true };
      const out = await client.send(new GetCommand({ TableName, Key: LOCK_KEY, ConsistentRead: true }));
      const holderItem = out.Item
        ? ({
            owner: String(out.Item.owner),
            planId: String(out.Item.planId),
            acquiredAt: String(out.Item.acquiredAt),
            expiresAtMs: Number(out.Item.expiresAtMs),
            step: Number(out.Item.step),
          } satisfies LockHolder)
        : undefined;
      return { acquired: false, holder: holderItem };
    },
    async releaseLock(owner, holder) {
      await conditional(() =>
        client.send(
          new DeleteCommand({
            TableName,
            Key: LOCK_KEY,
            ConditionExpression: '#owner = :owner AND holder = :holder',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':holder': holder },
          }),
        ),
      );
    },
  };
}
