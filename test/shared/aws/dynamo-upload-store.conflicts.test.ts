/**
 * What only AWS does: cancel transactions that conflict with a concurrent one, and refuse plain writes
 * to an item a transaction is changing. moto never does either, so a mocked client stands in.
 */
import { DynamoDBClient, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoUploadStore, UploadStoreError } from '../../../shared/aws/dynamo-upload-store';
import { uploadFixture } from '../ingest/upload-store.contract';

const ddb = mockClient(DynamoDBDocumentClient);
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const tally = { outcomes: { accepted: 2 }, reasons: {} };

function makeStore() {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-southeast-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  return createDynamoUploadStore({ client, tableName: 'leadflow-test-state', conflictRetry: { baseDelayMs: 1, attempts: 4 } });
}

beforeEach(() => ddb.reset());
afterEach(() => ddb.reset());

describe('createDynamoUploadStore against AWS-only answers', () => {
  it('finishChunk retries a transaction cancelled by a conflict, then returns the upload read back', async () => {
    const upload = uploadFixture({ chunksDone: 1, tally: { outcomes: { accepted: 2 }, reasons: {} } });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    ddb.on(GetCommand).resolves({ Item: { pk: `UPLOAD#${upload.uploadId}`, sk: 'META', type: 'upload', gsi1pk: 'UPLOADS', gsi1sk: 'x', ...upload } });
    expect(await makeStore().finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', tally)).toEqual(upload);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it('finishChunk answers undefined at once when the chunk condition failed', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    expect(await makeStore().finishChunk('u-1', 0, ['submitted'], 'succeeded', tally)).toBeUndefined();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('finishChunk reports lasting conflicts and other cancellations with their codes', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(makeStore().finishChunk('u-1', 3, ['submitted'], 'succeeded', tally)).rejects.toThrow(
      'finishChunk(upload u-1, chunk 3): transaction cancelled (TransactionConflict, None)',
    );
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(4);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ValidationError'));
    const error = await makeStore()
      .finishChunk('u-1', 3, ['submitted'], 'succeeded', tally)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadStoreError);
    expect((error as Error).message).toBe('finishChunk(upload u-1, chunk 3): transaction cancelled (None, ValidationError)');
  });

  it('sends one transaction: the chunk conditioned on its state, the upload counted with ADD', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { ...uploadFixture({ uploadId: 'u-1' }) } });
    await makeStore().finishChunk('u-1', 3, ['submitted', 'in-doubt'], 'succeeded', { outcomes: { accepted: 2 }, reasons: { 'phone-invalid': 1 } }, { jobStatus: 'DONE' });
    const [chunkUpdate, uploadUpdate] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!.map((item) => item.Update!);
    expect(chunkUpdate).toMatchObject({ Key: { pk: 'UPLOAD#u-1', sk: 'CHUNK#000003' } });
    const chunkNames = chunkUpdate!.ExpressionAttributeNames!;
    expect(chunkUpdate!.ConditionExpression).toMatch(/^attribute_exists\(#n\d+\) AND #n\d+ IN \(:v\d+, :v\d+\)$/);
    expect(Object.values(chunkNames)).toEqual(expect.arrayContaining(['state', 'tally', 'jobStatus', 'expiresAt', 'pk']));
    expect(uploadUpdate).toMatchObject({ Key: { pk: 'UPLOAD#u-1', sk: 'META' } });
    expect(uploadUpdate!.UpdateExpression).toBe('ADD #n0 :v0, #n1.#n2.#n3 :v1, #n1.#n4.#n5 :v2');
    expect(uploadUpdate!.ExpressionAttributeNames).toMatchObject({ '#n0': 'chunksDone', '#n1': 'tally', '#n3': 'accepted', '#n5': 'phone-invalid' });
  });

  it('saveCheckpoint retries a write refused because a transaction holds the upload', async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} }))
      .resolves({ Attributes: { ...uploadFixture({ uploadId: 'u-1', status: 'parsing' }), pk: 'UPLOAD#u-1', sk: 'META' } });
    expect(await makeStore().saveCheckpoint('u-1', 0, { segment: 1, key: 'k1' })).toMatchObject({ uploadId: 'u-1' });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(2);
  });
});
