/**
 * {@link UploadStore} over the single state table. The item design (uploads, chunks, key aliases,
 * content and lead claims) is in docs/architecture.md, State model; the keys are built in
 * `dynamo-upload-keys.ts`.
 *
 * Every change is conditional. Uploads, chunks and key aliases get `expiresAt` when they reach a
 * final state; claims never expire, because they are the list's memory of which leads and files it
 * already has.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
// lib-dynamodb does not unmarshall the item DynamoDB returns with a failed condition, so the codec it uses is used directly.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  finalChunkStates,
  finalUploadStatuses,
  type ChunkRecord,
  type ChunkState,
  type LeadClaim,
  type Tally,
  type UploadRecord,
  type UploadStatus,
  type UploadStore,
} from '../ingest/upload-state';
import { cancellationReasons, retryOnConflict, type ConflictRetryOptions } from './dynamo-conflict-retry';
import { expressionBuilder, type ExpressionBuilder } from './dynamo-expression';
import {
  CHUNK_SORT_PREFIX,
  chunkItemKey,
  contentClaimItemKey,
  keyAliasItemKey,
  leadClaimItemKey,
  uploadItemKey,
  UPLOADS_INDEX_PARTITION,
  uploadStatusSortKey,
  type TableKey,
} from './dynamo-upload-keys';

export interface DynamoUploadStoreOptions {
  /** A plain client is wrapped in a document client. */
  readonly client: DynamoDBClient | DynamoDBDocumentClient;
  readonly tableName: string;
  /** Clock for `updatedAt`, claim times and expiry; defaults to the system clock. */
  readonly now?: () => Date;
  /** Days a finished upload and its chunks are kept (TTL); default 90. */
  readonly ttlDays?: number;
  /** Lead claim writes in flight at once; default 16. */
  readonly claimConcurrency?: number;
  /** Retries of writes that lost a race with a transaction. */
  readonly conflictRetry?: ConflictRetryOptions;
}

/** A store operation failed; the message names the operation and ids, never lead data. */
export class UploadStoreError extends Error {
  override readonly name = 'UploadStoreError';
  constructor(
    readonly operation: string,
    subject: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}(${subject}): ${detail}`, options);
  }
}

/** Attributes that belong to the table layout, not to the records. */
const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'expiresAt']);
const DEFAULT_TTL_DAYS = 90;
const DEFAULT_CLAIM_CONCURRENCY = 16;

/** Creates the DynamoDB upload store. */
export function createDynamoUploadStore(options: DynamoUploadStoreOptions): UploadStore {
  const { tableName } = options;
  if (!tableName) throw new Error('createDynamoUploadStore: tableName is empty');
  const ttlDays = options.ttlDays ?? DEFAULT_TTL_DAYS;
  if (!(ttlDays > 0)) throw new Error(`createDynamoUploadStore: ttlDays must be positive, got ${ttlDays}`);
  const claimConcurrency = options.claimConcurrency ?? DEFAULT_CLAIM_CONCURRENCY;
  if (!(Number.isSafeInteger(claimConcurrency) && claimConcurrency >= 1)) {
    throw new Error(`createDynamoUploadStore: claimConcurrency must be a whole number >= 1, got ${claimConcurrency}`);
  }
  const now = options.now ?? (() => new Date());
  const doc =
    options.client instanceof DynamoDBDocumentClient
      ? options.client
      : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  const send = <T>(write: () => Promise<T>): Promise<T> => retryOnConflict(write, options.conflictRetry);
  const expiresAt = (): number => Math.floor(now().getTime() / 1000) + ttlDays * 86_400;

  /** Runs one operation, turning SDK failures into errors that say which operation on which ids. */
  async function run<T>(operation: string, subject: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof UploadStoreError) throw error;
      const fromDynamo = error instanceof Error && '$metadata' in error;
      const detail = fromDynamo ? `DynamoDB ${error.name}: ${error.message}` : error instanceof Error ? error.message : String(error);
      throw new UploadStoreError(operation, subject, detail, { cause: error });
    }
  }

  async function getItem(key: TableKey): Promise<Record<string, unknown> | undefined> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  /** The current item after a failed condition: from the error when DynamoDB returned it, else read. */
  async function itemAfterFailedCondition(error: unknown, key: TableKey): Promise<Record<string, unknown> | undefined> {
    const raw = (error as { Item?: Record<string, AttributeValue> }).Item;
    return raw ? unmarshall(raw) : getItem(key);
  }

  /**
   * Puts `item` unless an item with its key exists.
   * @returns the existing item when there was one (nothing written), undefined when `item` was put.
   */
  async function putIfAbsent(key: TableKey, item: Record<string, unknown>, what: string): Promise<Record<string, unknown> | undefined> {
    try {
      await send(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return undefined;
    } catch (error) {
      if (!isFailedCondition(error)) throw error;
      const existing = await itemAfterFailedCondition(error, key);
      if (!existing) throw new Error(`the ${what} exists and vanished before it could be read`, { cause: error });
      return existing;
    }
  }

  /** Keeps `KEY#<bucket>/<key>` on the newest upload of the key; an older or equal one leaves it alone. */
  async function pointKeyAt(record: UploadRecord): Promise<void> {
    const x = expressionBuilder();
    const receivedAt = x.name('receivedAt');
    const condition =
      `attribute_not_exists(${x.name('pk')}) OR ${receivedAt} < ${x.value(record.receivedAt)}` +
      ` OR (${receivedAt} = ${x.value(record.receivedAt)} AND ${x.name('uploadId')} < ${x.value(record.uploadId)})`;
    await ignoreFailedCondition(
      send(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keyAliasItemKey(record.bucket, record.key), type: 'upload-key', uploadId: record.uploadId, receivedAt: record.receivedAt },
            ConditionExpression: condition,
            ExpressionAttributeNames: x.names,
            ExpressionAttributeValues: x.values(),
          }),
        ),
      ),
    );
  }

  /** The alias expires with its upload, unless a newer upload has taken it over meanwhile. */
  async function setKeyExpiry(upload: UploadRecord, expiry: number | undefined): Promise<void> {
    const x = expressionBuilder();
    const action = expiry === undefined ? `REMOVE ${x.name('expiresAt')}` : `SET ${x.name('expiresAt')} = ${x.value(expiry)}`;
    await ignoreFailedCondition(
      send(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyAliasItemKey(upload.bucket, upload.key),
            UpdateExpression: action,
            ConditionExpression: `${x.name('uploadId')} = ${x.value(upload.uploadId)}`,
            ExpressionAttributeNames: x.names,
            ExpressionAttributeValues: x.values(),
          }),
        ),
      ),
    );
  }

  async function claimLead(listId: number, hash: string, owner: string): Promise<LeadClaim> {
    const key = leadClaimItemKey(listId, hash);
    // A claim released between the failed put and the read is claimable again: try once more.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await send(() =>
          doc.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...key, type: 'lead-claim', owner, claimedAt: now().toISOString() },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return 'claimed';
      } catch (error) {
        if (!isFailedCondition(error)) throw error;
        const holder = (await itemAfterFailedCondition(error, key))?.owner;
        if (holder !== undefined) return holder === owner ? 'mine' : 'taken';
      }
    }
    throw new Error(`the claim of hash ${hash} kept changing hands`);
  }

  return {
    createUpload(record) {
      return run('createUpload', `upload ${record.uploadId}`, async () => {
        const key = uploadItemKey(record.uploadId);
        const item = {
          ...withoutUndefined(record),
          ...key,
          type: 'upload',
          gsi1pk: UPLOADS_INDEX_PARTITION,
          gsi1sk: uploadStatusSortKey(record.status, record.updatedAt),
          // ADD on tally.outcomes.<x> needs both maps to exist.
          tally: { outcomes: withoutUndefined(record.tally.outcomes), reasons: withoutUndefined(record.tally.reasons) },
          ...(finalUploadStatuses.includes(record.status) ? { expiresAt: expiresAt() } : {}),
        };
        const existing = toRecord<UploadRecord>(await putIfAbsent(key, item, 'upload'));
        // Also on the existing path: a crash between the two writes would otherwise leave the key without its alias.
        await pointKeyAt(existing ?? record);
        return existing ? { created: false, existing } : { created: true, record: toRecord<UploadRecord>(item)! };
      });
    },

    getUpload(uploadId) {
      return run('getUpload', `upload ${uploadId}`, async () => toRecord<UploadRecord>(await getItem(uploadItemKey(uploadId))));
    },

    findUploadByKey(bucket, key) {
      return run('findUploadByKey', `bucket ${bucket}, key ${key}`, async () => {
        const alias = await getItem(keyAliasItemKey(bucket, key));
        if (typeof alias?.uploadId !== 'string') return undefined;
        return toRecord<UploadRecord>(await getItem(uploadItemKey(alias.uploadId)));
      });
    },

    transitionUpload(uploadId, from, to, fields = {}, guard = {}) {
      return run('transitionUpload', `upload ${uploadId}`, async () => {
        if (from.length === 0) throw new UploadStoreError('transitionUpload', `upload ${uploadId}`, 'from is empty, so nothing could match');
        for (const name of ['uploadId', 'status', 'chunksDone'] as const) {
          if (name in fields) throw new UploadStoreError('transitionUpload', `upload ${uploadId}`, `fields cannot set ${name}`);
        }
        const updatedAt = fields.updatedAt ?? now().toISOString();
        const final = finalUploadStatuses.includes(to);
        const revives = !final && from.some((status) => finalUploadStatuses.includes(status));
        const x = expressionBuilder();
        const sets = assignments(x, withoutUndefined({ ...fields, status: to, updatedAt, gsi1sk: uploadStatusSortKey(to, updatedAt) }));
        if (final) sets.push(`${x.name('expiresAt')} = ${x.value(expiresAt())}`);
        const expression = `SET ${sets.join(', ')}${revives ? ` REMOVE ${x.name('expiresAt')}` : ''}`;
        const conditions = [statusCondition(x, 'status', from)];
        if (guard.noFailure) conditions.push(`attribute_not_exists(${x.name('failure')})`);
        if (guard.updatedAt !== undefined) conditions.push(`${x.name('updatedAt')} = ${x.value(guard.updatedAt)}`);
        const upload = await conditionalUpdate<UploadRecord>(uploadItemKey(uploadId), x, expression, conditions.join(' AND '));
        if (upload && final) await setKeyExpiry(upload, expiresAt());
        if (upload && revives) await setKeyExpiry(upload, undefined);
        return upload;
      });
    },

    claimContent(sha256, listId, uploadId) {
      return run('claimContent', `content ${sha256}, list ${listId ?? 'none'}, upload ${uploadId}`, async () => {
        const key = contentClaimItemKey(sha256, listId);
        try {
          await send(() =>
            doc.send(
              new PutCommand({
                TableName: tableName,
                Item: { ...key, type: 'content-claim', owner: uploadId, claimedAt: now().toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              }),
            ),
          );
          return { owner: uploadId, claimed: true };
        } catch (error) {
          if (!isFailedCondition(error)) throw error;
          // Content claims are never deleted, so the holder read here is the one that refused the put.
          const owner = String((await itemAfterFailedCondition(error, key))?.owner);
          return { owner, claimed: owner === uploadId };
        }
      });
    },

    putChunk(chunk) {
      return run('putChunk', `upload ${chunk.uploadId}, chunk ${chunk.chunk}`, async () => {
        const key = chunkItemKey(chunk.uploadId, chunk.chunk);
        const item = {
          ...withoutUndefined(chunk),
          ...key,
          type: 'chunk',
          ...(finalChunkStates.includes(chunk.state) ? { expiresAt: expiresAt() } : {}),
        };
        const existing = toRecord<ChunkRecord>(await putIfAbsent(key, item, 'chunk'));
        return existing ? { created: false, existing } : { created: true, record: toRecord<ChunkRecord>(item)! };
      });
    },

    getChunk(uploadId, chunk) {
      return run('getChunk', `upload ${uploadId}, chunk ${chunk}`, async () => toRecord<ChunkRecord>(await getItem(chunkItemKey(uploadId, chunk))));
    },

    listChunks(uploadId) {
      return run('listChunks', `upload ${uploadId}`, async () => {
        const chunks: ChunkRecord[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: { ':pk': uploadItemKey(uploadId).pk, ':prefix': CHUNK_SORT_PREFIX },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) chunks.push(toRecord<ChunkRecord>(item)!);
          start = page.LastEvaluatedKey;
        } while (start);
        return chunks;
      });
    },

    transitionChunk(uploadId, chunk, from, to, fields = {}) {
      const subject = `upload ${uploadId}, chunk ${chunk}`;
      return run('transitionChunk', subject, async () => {
        requireChunkFrom('transitionChunk', subject, from);
        if (finalChunkStates.includes(to)) {
          throw new UploadStoreError('transitionChunk', subject, `${to} is final; use finishChunk so the tally is counted`);
        }
        const x = expressionBuilder();
        const sets = assignments(x, withoutUndefined({ ...fields, state: to }));
        return conditionalUpdate<ChunkRecord>(chunkItemKey(uploadId, chunk), x, `SET ${sets.join(', ')}`, statusCondition(x, 'state', from));
      });
    },

    finishChunk(uploadId, chunk, from, to, tally, fields = {}) {
      const subject = `upload ${uploadId}, chunk ${chunk}`;
      return run('finishChunk', subject, async () => {
        requireChunkFrom('finishChunk', subject, from);
        requireCounts('finishChunk', subject, tally);
        const chunkX = expressionBuilder();
        const chunkSets = assignments(chunkX, withoutUndefined({ ...fields, state: to, tally, expiresAt: expiresAt() }));
        const uploadX = expressionBuilder();
        const adds = [`${uploadX.name('chunksDone')} ${uploadX.value(1)}`, ...tallyAdditions(uploadX, tally)];
        try {
          // One transaction: the chunk's condition is what makes the upload's ADD happen exactly once.
          await send(() =>
            doc.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName: tableName,
                      Key: chunkItemKey(uploadId, chunk),
                      UpdateExpression: `SET ${chunkSets.join(', ')}`,
                      ConditionExpression: statusCondition(chunkX, 'state', from),
                      ExpressionAttributeNames: chunkX.names,
                      ExpressionAttributeValues: chunkX.values(),
                    },
                  },
                  {
                    Update: {
                      TableName: tableName,
                      Key: uploadItemKey(uploadId),
                      UpdateExpression: `ADD ${adds.join(', ')}`,
                      ConditionExpression: `attribute_exists(${uploadX.name('pk')})`,
                      ExpressionAttributeNames: uploadX.names,
                      ExpressionAttributeValues: uploadX.values(),
                    },
                  },
                ],
              }),
            ),
          );
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return undefined;
          if (reasons?.[1]?.Code === 'ConditionalCheckFailed') {
            throw new UploadStoreError('finishChunk', subject, 'the upload does not exist', { cause: error });
          }
          if (reasons) {
            const codes = reasons.map((r) => r.Code ?? 'None').join(', ');
            throw new UploadStoreError('finishChunk', subject, `transaction cancelled (${codes})`, { cause: error });
          }
          throw error;
        }
        // TransactWriteItems returns no item; a strongly consistent read sees the transaction.
        const upload = toRecord<UploadRecord>(await getItem(uploadItemKey(uploadId)));
        if (!upload) throw new UploadStoreError('finishChunk', subject, 'the upload vanished after the chunk was counted');
        return upload;
      });
    },

    listUploads(statuses, { updatedBefore } = {}) {
      return run('listUploads', `statuses ${statuses.join(', ')}${updatedBefore ? `, before ${updatedBefore}` : ''}`, async () => {
        const found: UploadRecord[] = [];
        for (const status of statuses) {
          let start: Record<string, unknown> | undefined;
          do {
            // The index is eventually consistent: a candidate is only a candidate, the caller's transition decides.
            const page = await doc.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: 'byStatus',
                // `<status>#` up to `<status>#<updatedBefore>`; without a bound, `~` sorts after every ISO time.
                KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
                ExpressionAttributeValues: {
                  ':pk': UPLOADS_INDEX_PARTITION,
                  ':from': uploadStatusSortKey(status, ''),
                  ':to': uploadStatusSortKey(status, updatedBefore ?? '~'),
                },
                ExclusiveStartKey: start,
              }),
            );
            for (const item of page.Items ?? []) {
              const upload = toRecord<UploadRecord>(item)!;
              if (updatedBefore === undefined || upload.updatedAt < updatedBefore) found.push(upload);
            }
            start = page.LastEvaluatedKey;
          } while (start);
        }
        return found.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
      });
    },

    saveCheckpoint(uploadId, fromSegment, checkpoint) {
      return run('saveCheckpoint', `upload ${uploadId}, segment ${checkpoint.segment}`, async () => {
        const x = expressionBuilder();
        const updatedAt = now().toISOString();
        // The status's index sort key moves too, so a sweep for stuck parses sees the upload alive.
        const sets = assignments(x, { checkpoint, updatedAt, gsi1sk: uploadStatusSortKey('parsing', updatedAt) });
        const segment =
          fromSegment === 0
            ? `attribute_not_exists(${x.name('checkpoint')})`
            : `${x.path('checkpoint', 'segment')} = ${x.value(fromSegment)}`;
        const condition = `${statusCondition(x, 'status', ['parsing'])} AND attribute_not_exists(${x.name('failure')}) AND ${segment}`;
        return conditionalUpdate<UploadRecord>(uploadItemKey(uploadId), x, `SET ${sets.join(', ')}`, condition);
      });
    },

    claimLeads(listId, hashes, owner) {
      return run('claimLeads', `list ${listId}, owner ${owner}`, async () => {
        const unique = [...new Set(hashes)];
        const answers = await mapBounded(unique, claimConcurrency, (hash) => claimLead(listId, hash, owner));
        const byHash = new Map(unique.map((hash, i) => [hash, answers[i]!]));
        return hashes.map((hash) => byHash.get(hash)!);
      });
    },

    releaseLeads(listId, hashes, owner) {
      return run('releaseLeads', `list ${listId}, owner ${owner}`, async () => {
        await mapBounded([...new Set(hashes)], claimConcurrency, (hash) =>
          ignoreFailedCondition(
            send(() =>
              doc.send(
                new DeleteCommand({
                  TableName: tableName,
                  Key: leadClaimItemKey(listId, hash),
                  ConditionExpression: '#owner = :owner',
                  ExpressionAttributeNames: { '#owner': 'owner' },
                  ExpressionAttributeValues: { ':owner': owner },
                }),
              ),
            ),
          ),
        );
      });
    },
  };

  /** UpdateItem with `ALL_NEW`; undefined when the condition failed. */
  async function conditionalUpdate<T>(key: TableKey, x: ExpressionBuilder, update: string, condition: string): Promise<T | undefined> {
    try {
      const { Attributes } = await send(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: x.names,
            ExpressionAttributeValues: x.values(),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toRecord<T>(Attributes);
    } catch (error) {
      if (isFailedCondition(error)) return undefined;
      throw error;
    }
  }
}

/** `attribute_exists(pk) AND <attribute> IN (...)`: an update must never create the item it moves. */
function statusCondition(x: ExpressionBuilder, attribute: 'status' | 'state', from: readonly (UploadStatus | ChunkState)[]): string {
  return `attribute_exists(${x.name('pk')}) AND ${x.isOneOf(x.name(attribute), from)}`;
}

/** `#a = :a` for each top-level field. */
function assignments(x: ExpressionBuilder, fields: Record<string, unknown>): string[] {
  return Object.entries(fields).map(([name, value]) => `${x.name(name)} = ${x.value(value)}`);
}

/** `tally.outcomes.<k> :n` for each count, as ADD actions (each missing key starts at zero). */
function tallyAdditions(x: ExpressionBuilder, tally: Tally): string[] {
  const adds: string[] = [];
  for (const group of ['outcomes', 'reasons'] as const) {
    for (const [name, count] of Object.entries(tally[group])) {
      if (count !== undefined) adds.push(`${x.path('tally', group, name)} ${x.value(count)}`);
    }
  }
  return adds;
}

/** A final chunk is never moved again: that is what makes finishChunk count a tally exactly once. */
function requireChunkFrom(operation: string, subject: string, from: readonly ChunkState[]): void {
  if (from.length === 0) throw new UploadStoreError(operation, subject, 'from is empty, so nothing could match');
  const final = from.find((state) => finalChunkStates.includes(state));
  if (final) throw new UploadStoreError(operation, subject, `from includes the final state ${final}`);
}

function requireCounts(operation: string, subject: string, tally: Tally): void {
  for (const [name, count] of [...Object.entries(tally.outcomes), ...Object.entries(tally.reasons)]) {
    if (count !== undefined && !(Number.isSafeInteger(count) && count >= 0)) {
      throw new UploadStoreError(operation, subject, `tally count ${name} must be a whole number >= 0, got ${count}`);
    }
  }
}

function isFailedCondition(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

async function ignoreFailedCondition(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isFailedCondition(error)) throw error;
  }
}

function toRecord<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name))) as T;
}

/** DynamoDB cannot store `undefined`; an absent field and an undefined one mean the same to the records. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  ) as T;
}

/** Maps with at most `limit` calls in flight, results in input order; stops starting new calls after a failure. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
