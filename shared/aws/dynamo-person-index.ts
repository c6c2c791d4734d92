/**
 * The person index in the state table: `PERSON#<index key>` / `<uploadId>#<line, 9 digits>`,
 * holding the upload, the line and the chunk. One query finds every row of every upload holding a
 * person; only keyed fingerprints are stored (see `shared/erasure/person-index.ts`).
 */
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonIndex, PersonIndexEntry } from '../erasure/person-index';

const PARALLEL_BATCHES = 4;

function key(entry: PersonIndexEntry) {
  return { pk: `PERSON#${entry.key}`, sk: `${entry.uploadId}#${String(entry.line).padStart(9, '0')}` };
}

async function batchWrite(client: DynamoDBDocumentClient, tableName: string, requests: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  const run = async (batch: Record<string, unknown>[]) => {
    let pending: Record<string, unknown>[] | undefined = batch;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 8) throw new Error(`person index: ${pending.length} writes left unprocessed`);
      if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = out.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
  };
  for (let i = 0; i < batches.length; i += PARALLEL_BATCHES) await Promise.all(batches.slice(i, i + PARALLEL_BATCHES).map(run));
}

/** Creates the index over the state table. */
export function createDynamoPersonIndex(client: DynamoDBDocumentClient, tableName: string): PersonIndex {
  return {
    async record(entries) {
      const unique = new Map(entries.map((e) => [`${key(e).pk}|${key(e).sk}`, e]));
      await batchWrite(
        client,
        tableName,
        [...unique.values()].map((e) => ({
          PutRequest: { Item: { ...key(e), type: 'person-index', uploadId: e.uploadId, line: e.line, ...(e.chunk !== undefined && { chunk: e.chunk }) } },
        })),
      );
    },
    async find(indexKey) {
      const out: PersonIndexEntry[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `PERSON#${indexKey}` }, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        for (const item of page.Items ?? []) {
          out.push({ key: indexKey, uploadId: String(item.uploadId), line: Number(item.line), ...(item.chunk !== undefined && { chunk: Number(item.chunk) }) });
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    },
    async forget(entries) {
      await batchWrite(client, tableName, entries.map((e) => ({ DeleteRequest: { Key: key(e) } })));
      return entries.length;
    },
  };
}
