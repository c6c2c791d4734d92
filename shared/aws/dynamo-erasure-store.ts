/**
 * Erasure requests in the state table (see docs/architecture.md, State model):
 *
 * - `ERASURE#<requestId>` / `META`: the request; `gsi1pk` `ERASURES`, `gsi1sk` `<status>#<dueAt>#<requestId>`
 *   so the byStatus index lists requests by status, oldest due first.
 * - `ERASURE-OPEN#<openKey>` / `LOCK`: the open request with these identifiers (keyed hashes); deleted
 *   on completion or cancellation, so the same person can be erased again later.
 * - `ERASURE-EXT#<externalId>` / `REF`: the request of an external id, for ever.
 *
 * A request is created with its lock and reference in one transaction, so two submissions of the same
 * request racing each other create one.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ErasureCall, ErasureRequestRecord } from '../erasure/erasure-request';
import type { CreateResult, ErasureStore, ListQuery } from '../erasure/erasure-store';
import { expressionBuilder } from './dynamo-expression';

export const ERASURES_INDEX_PARTITION = 'ERASURES';
const STORAGE = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'expiresAt']);

/** The request item's key. */
export function erasureItemKey(requestId: string) {
  return { pk: `ERASURE#${requestId}`, sk: 'META' };
}
function openLockKey(openKey: string) {
  return { pk: `ERASURE-OPEN#${openKey}`, sk: 'LOCK' };
}
function externalRefKey(externalId: string) {
  return { pk: `ERASURE-EXT#${externalId}`, sk: 'REF' };
}
function statusSortKey(status: string, dueAt: string, requestId: string) {
  return `${status}#${dueAt}#${requestId}`;
}

function toRecord(item: Record<string, unknown>): ErasureRequestRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE.has(k))) as unknown as ErasureRequestRecord;
}

function isConditionFailure(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}

/** Creates the store over the state table. */
export function createDynamoErasureStore(client: DynamoDBDocumentClient, tableName: string): ErasureStore {
  const get = async (requestId: string) => {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: erasureItemKey(requestId), ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  };
  const pointer = async (key: { pk: string; sk: string }) => {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return out.Item ? String(out.Item.requestId) : undefined;
  };
  /** Sets `map.<entry>` on the request, creating the map first (DynamoDB cannot set a path into a missing map). */
  const setMapEntry = async (requestId: string, map: string, entry: string, value: unknown) => {
    const x = expressionBuilder();
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: erasureItemKey(requestId),
        UpdateExpression: `SET ${x.name(map)} = if_not_exists(${x.name(map)}, ${x.value({})})`,
        ExpressionAttributeNames: x.names,
        ExpressionAttributeValues: x.values(),
      }),
    );
    const y = expressionBuilder();
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: erasureItemKey(requestId),
        UpdateExpression: `SET ${y.path(map, entry)} = ${y.value(value)}`,
        ExpressionAttributeNames: y.names,
        ExpressionAttributeValues: y.values(),
      }),
    );
  };

  return {
    get,
    async create(record): Promise<CreateResult> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const items = [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...erasureItemKey(record.requestId),
                type: 'erasure-request',
                gsi1pk: ERASURES_INDEX_PARTITION,
                gsi1sk: statusSortKey(record.status, record.dueAt, record.requestId),
                ...record,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(record.openKey
            ? [{ Put: { TableName: tableName, Item: { ...openLockKey(record.openKey), type: 'erasure-open-lock', requestId: record.requestId }, ConditionExpression: 'attribute_not_exists(pk)' } }]
            : []),
          ...(record.externalId
            ? [{ Put: { TableName: tableName, Item: { ...externalRefKey(record.externalId), type: 'erasure-external-ref', requestId: record.requestId }, ConditionExpression: 'attribute_not_exists(pk)' } }]
            : []),
        ];
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return { created: true, record };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        // The external id wins over the identifiers: it names one request for ever.
        const existingId = (record.externalId && (await pointer(externalRefKey(record.externalId)))) || (record.openKey && (await pointer(openLockKey(record.openKey))));
        if (existingId) {
          const existing = await get(existingId);
          if (existing) return { created: false, existing };
        }
        // The lock was released between the failed write and the read: try again.
      }
      throw new Error(`erasure request ${record.requestId} could not be created: its open lock keeps changing`);
    },
    async recordCall(requestId, key, call: ErasureCall) {
      const x = expressionBuilder();
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: erasureItemKey(requestId),
            UpdateExpression: `SET ${x.path('calls', key)} = ${x.value(call)}, ${x.name('updatedAt')} = ${x.value(call.at)}`,
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${x.path('calls', key)})`,
            ExpressionAttributeNames: x.names,
            ExpressionAttributeValues: x.values(),
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    async recordPurged(requestId, object) {
      await setMapEntry(requestId, 'purged', `${object.bucket}/${object.key}`, object);
    },
    async recordUnknownOutcome(requestId, key, at) {
      await setMapEntry(requestId, 'unknownOutcomes', key, at);
    },
    async transition(requestId, from, to, changes = {}) {
      const current = await get(requestId);
      if (!current || !from.includes(current.status)) return undefined;
      const updatedAt = changes.set?.updatedAt ?? new Date().toISOString();
      const x = expressionBuilder();
      const sets: string[] = [];
      const fields: Record<string, unknown> = {
        ...changes.set,
        ...(changes.lease && { leaseUntil: changes.lease.until }),
        status: to,
        updatedAt,
        gsi1sk: statusSortKey(to, changes.set?.dueAt ?? current.dueAt, requestId),
      };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) sets.push(`${x.name(k)} = ${x.value(v)}`);
      if (changes.audit) sets.push(`${x.name('audit')} = list_append(${x.name('audit')}, ${x.value([changes.audit])})`);
      const removes = (changes.remove ?? []).map((k) => x.name(k));
      const update = {
        TableName: tableName,
        Key: erasureItemKey(requestId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: changes.lease
          ? `${x.isOneOf(x.name('status'), from)} AND (attribute_not_exists(${x.name('leaseUntil')}) OR ${x.name('leaseUntil')} < ${x.value(changes.lease.now)})`
          : x.isOneOf(x.name('status'), from),
        ExpressionAttributeNames: x.names,
        ExpressionAttributeValues: x.values(),
      };
      try {
        if (changes.releaseOpenLock && current.openKey) {
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: update },
                {
                  Delete: {
                    TableName: tableName,
                    Key: openLockKey(current.openKey),
                    ConditionExpression: 'attribute_not_exists(pk) OR requestId = :rid',
                    ExpressionAttributeValues: { ':rid': requestId },
                  },
                },
              ],
            }),
          );
        } else {
          await client.send(new UpdateCommand(update));
        }
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
      return get(requestId);
    },
    async list(query: ListQuery) {
      const out: ErasureRequestRecord[] = [];
      let start: Record<string, unknown> | undefined;
      const limit = query.limit ?? 1000;
      do {
        const x = expressionBuilder();
        let condition = `${x.name('gsi1pk')} = ${x.value(ERASURES_INDEX_PARTITION)}`;
        if (query.status && query.dueBefore) {
          condition += ` AND ${x.name('gsi1sk')} BETWEEN ${x.value(`${query.status}#`)} AND ${x.value(`${query.status}#${query.dueBefore}`)}`;
        } else if (query.status) condition += ` AND begins_with(${x.name('gsi1sk')}, ${x.value(`${query.status}#`)})`;
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byStatus',
            KeyConditionExpression: condition,
            ExpressionAttributeNames: x.names,
            ExpressionAttributeValues: x.values(),
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const record = toRecord(item);
          if (query.dueBefore && record.dueAt >= query.dueBefore) continue;
          out.push(record);
        }
        start = page.LastEvaluatedKey;
      } while (start && out.length < limit);
      // Across statuses the index sorts by status first; callers want the oldest due first.
      return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, limit);
    },
  };
}

/** A lifted suppression, kept for the audit: `SUPPRESSION-LIFT` / `<at>#<hash>`. */
export async function recordSuppressionLift(
  client: DynamoDBDocumentClient,
  tableName: string,
  entry: { readonly hash: string; readonly reason: string; readonly actor: string; readonly at: string },
): Promise<void> {
  await client.send(new PutCommand({ TableName: tableName, Item: { pk: 'SUPPRESSION-LIFT', sk: `${entry.at}#${entry.hash}`, type: 'suppression-lift', ...entry } }));
}

/** Deletes an item by key (used for the open lock in tests). */
export async function deleteItem(client: DynamoDBDocumentClient, tableName: string, key: { pk: string; sk: string }): Promise<void> {
  await client.send(new DeleteCommand({ TableName: tableName, Key: key }));
}
