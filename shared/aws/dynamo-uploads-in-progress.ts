/** Uploads in `received` or `parsing`, from the byStatus index (`UPLOADS`, `<status>#<updatedAt>`). */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UploadsInProgress } from '../erasure/in-flight';
import { UPLOADS_INDEX_PARTITION } from './dynamo-upload-keys';

/** Creates the reader over the state table's byStatus index. */
export function createDynamoUploadsInProgress(client: DynamoDBDocumentClient, tableName: string): UploadsInProgress {
  return {
    async parsing() {
      const out: { uploadId: string; receivedAt: string }[] = [];
      for (const status of ['received', 'parsing']) {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'byStatus',
              KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
              ExpressionAttributeValues: { ':p': UPLOADS_INDEX_PARTITION, ':s': `${status}#` },
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) out.push({ uploadId: String(item.uploadId), receivedAt: String(item.receivedAt) });
          start = page.LastEvaluatedKey;
        } while (start);
      }
      return out;
    },
  };
}
