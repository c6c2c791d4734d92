/**
 * {@link RequestFileLedger} in the state table: `ERASURE-FILE#<ETag>` / `LINE#<line, 9 digits>` with
 * `requestId`, `outcome`, `version` (docs/architecture.md, State model). Written conditionally, so the
 * first record of a line stands.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerRow, RequestFileLedger } from '../erasure/request-file-ledger';

const pk = (fileId: string) => `ERASURE-FILE#${fileId}`;

/** Creates the ledger over the state table. */
export function createDynamoRequestFileLedger(client: DynamoDBDocumentClient, tableName: string): RequestFileLedger {
  return {
    async rows(fileId) {
      const out = new Map<number, LedgerRow>();
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk(fileId) }, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        for (const item of page.Items ?? []) {
          out.set(Number(item.line), { requestId: String(item.requestId), outcome: item.outcome === 'created' ? 'created' : 'existing', version: String(item.version) });
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    },
    async record(fileId, line, row) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: pk(fileId), sk: `LINE#${String(line).padStart(9, '0')}`, type: 'erasure-file-row', line, ...row },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
  };
}
