/**
 * The suppression list in the state table: one item per suppressed identifier in the partition
 * `SUPPRESSION`, sort key its HMAC, with its 64-bit fingerprint words for the parse-time check. The
 * identifiers themselves are never stored. Erasure writes it ({@link addSuppression}); ingestion reads it.
 */
import { BatchGetCommand, DeleteCommand, PutCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DedupeIndex } from '../dedupe/dedupe-index';
import type { SuppressionList } from '../ingest/suppression';

const PARTITION = 'SUPPRESSION';

/** Creates the suppression list over the state table. */
export function createDynamoSuppressionList(client: DynamoDBDocumentClient, tableName: string): SuppressionList {
  return {
    async suppressed(hashes) {
      const found = new Set<string>();
      const unique = [...new Set(hashes)];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((h) => ({ pk: PARTITION, sk: h }));
        while (keys?.length) {
          const out: BatchGetCommandOutput = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ProjectionExpression: 'sk' } } }));
          for (const item of out.Responses?.[tableName] ?? []) found.add(String(item.sk));
          keys = out.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
        }
      }
      return found;
    },
    async fingerprints() {
      const index = new DedupeIndex();
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': PARTITION },
            ProjectionExpression: 'hi, lo',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) index.addWordsIfAbsent(Number(item.hi), Number(item.lo));
        start = out.LastEvaluatedKey;
      } while (start);
      return index;
    },
  };
}

/**
 * Puts an identifier on the suppression list by its HMAC and fingerprint (see `lead-identity.ts` and
 * the `suppression/v1` fingerprint label). Idempotent.
 */
export async function addSuppression(
  client: DynamoDBDocumentClient,
  tableName: string,
  entry: { readonly hash: string; readonly hi: number; readonly lo: number; readonly reason: string; readonly at: string },
): Promise<void> {
  await client.send(
    new PutCommand({ TableName: tableName, Item: { pk: PARTITION, sk: entry.hash, hi: entry.hi, lo: entry.lo, reason: entry.reason, at: entry.at } }),
  );
}

/** Takes an identifier off the suppression list by its HMAC; false when it was not on it. */
export async function removeSuppression(client: DynamoDBDocumentClient, tableName: string, hash: string): Promise<boolean> {
  const out = await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: PARTITION, sk: hash }, ReturnValues: 'ALL_OLD' }));
  return out.Attributes !== undefined;
}
