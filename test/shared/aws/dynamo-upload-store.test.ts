import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '../../../local/aws-clients';
import { createDynamoUploadStore } from '../../../shared/aws/dynamo-upload-store';
import { provisionTestStack, startTestMoto } from '../../support/moto';
import { chunkFixture, describeUploadStoreContract, uploadFixture } from '../ingest/upload-store.contract';
import { oneRequestAtATime } from '../../../local/dynamodb-one-request-at-a-time';

const moto = startTestMoto();
let client: DynamoDBClient;
let raw: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  tableName = (await provisionTestStack('upload-store')).tables.state;
  client = oneRequestAtATime(new DynamoDBClient({ endpoint: moto.endpoint, region: LOCAL_REGION }));
  raw = DynamoDBDocumentClient.from(client);
});
afterAll(() => client?.destroy());

describeUploadStoreContract('DynamoDB on moto', ({ now }) => createDynamoUploadStore({ client, tableName, now }));

describe('createDynamoUploadStore', () => {
  const T0 = Date.parse('2026-11-26T00:00:00.000Z');
  const get = async (pk: string, sk: string) =>
    (await raw.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

  it('stores each record under its documented key', async () => {
    const store = createDynamoUploadStore({ client, tableName, now: () => new Date(T0) });
    const upload = uploadFixture();
    await store.createUpload(upload);
    await store.putChunk(chunkFixture(upload.uploadId, 42));
    const sha = 'ef'.repeat(32);
    await store.claimContent(sha, undefined, upload.uploadId);
    await store.claimLeads(100, ['hash-a'], `${upload.uploadId}#42`);

    expect(await get(`UPLOAD#${upload.uploadId}`, 'META')).toMatchObject({
      type: 'upload',
      uploadId: upload.uploadId,
      gsi1pk: 'UPLOADS',
      gsi1sk: `received#${upload.updatedAt}`,
      tally: { outcomes: {}, reasons: {} },
    });
    expect(await get(`UPLOAD#${upload.uploadId}`, 'CHUNK#000042')).toMatchObject({ type: 'chunk', chunk: 42, state: 'pending' });
    expect(await get(`KEY#${upload.bucket}/${upload.key}`, 'LATEST')).toEqual({
      pk: `KEY#${upload.bucket}/${upload.key}`,
      sk: 'LATEST',
      type: 'upload-key',
      uploadId: upload.uploadId,
      receivedAt: upload.receivedAt,
    });
    expect(await get(`CONTENT#${sha}#none`, 'CLAIM')).toMatchObject({ type: 'content-claim', owner: upload.uploadId });
    expect(await get('LEAD#100#hash-a', 'CLAIM')).toMatchObject({ type: 'lead-claim', owner: `${upload.uploadId}#42` });
  });

  it('keeps the byStatus index key in step with status and updatedAt', async () => {
    let clock = T0;
    const store = createDynamoUploadStore({ client, tableName, now: () => new Date(clock) });
    const upload = uploadFixture({ receivedAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString() });
    await store.createUpload(upload);
    clock += 60_000;
    await store.transitionUpload(upload.uploadId, ['received'], 'parsing');
    const updatedAt = new Date(clock).toISOString();
    expect(await get(`UPLOAD#${upload.uploadId}`, 'META')).toMatchObject({ status: 'parsing', updatedAt, gsi1sk: `parsing#${updatedAt}` });

    const listed = async (prefix: string) =>
      (
        await raw.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byStatus',
            KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
            ExpressionAttributeValues: { ':p': 'UPLOADS', ':s': prefix },
          }),
        )
      ).Items?.map((item) => item.uploadId);
    expect(await listed('parsing#')).toContain(upload.uploadId);
    expect(await listed('received#')).not.toContain(upload.uploadId);
  });

  it('sets expiresAt on uploads, chunks and the key alias when they end, never on claims', async () => {
    const store = createDynamoUploadStore({ client, tableName, now: () => new Date(T0), ttlDays: 7 });
    const expiry = T0 / 1000 + 7 * 86_400;
    const upload = uploadFixture({ status: 'polling' });
    await store.createUpload(upload);
    await store.putChunk(chunkFixture(upload.uploadId, 0, { state: 'submitted' }));
    await store.putChunk(chunkFixture(upload.uploadId, 1, { state: 'submitted' }));
    await store.claimContent('aa'.repeat(32), 100, upload.uploadId);
    await store.claimLeads(100, ['hash-ttl'], `${upload.uploadId}#0`);
    const pk = `UPLOAD#${upload.uploadId}`;
    const alias = [`KEY#${upload.bucket}/${upload.key}`, 'LATEST'] as const;

    await store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', { outcomes: { accepted: 500 }, reasons: {} });
    expect((await get(pk, 'CHUNK#000000'))?.expiresAt).toBe(expiry);
    expect((await get(pk, 'CHUNK#000001'))?.expiresAt).toBeUndefined();
    expect((await get(pk, 'META'))?.expiresAt).toBeUndefined();

    await store.transitionUpload(upload.uploadId, ['polling'], 'completed', { endedAt: new Date(T0).toISOString() });
    expect((await get(pk, 'META'))?.expiresAt).toBe(expiry);
    expect((await get(...alias))?.expiresAt).toBe(expiry);
    expect((await get(`CONTENT#${'aa'.repeat(32)}#100`, 'CLAIM'))?.expiresAt).toBeUndefined();
    expect((await get('LEAD#100#hash-ttl', 'CLAIM'))?.expiresAt).toBeUndefined();

    // An upload taken out of a final state (an operator retry) must not expire under it.
    await store.transitionUpload(upload.uploadId, ['completed', 'failed'], 'received');
    expect((await get(pk, 'META'))?.expiresAt).toBeUndefined();
    expect((await get(...alias))?.expiresAt).toBeUndefined();
  });

  it('leaves the alias of a key to its newer upload when an older one ends', async () => {
    const store = createDynamoUploadStore({ client, tableName, now: () => new Date(T0) });
    const key = `incoming/100/${randomUUID()}.csv`;
    const older = uploadFixture({ key, receivedAt: '2026-11-26T01:00:00.000Z' });
    const newer = uploadFixture({ key, receivedAt: '2026-11-26T02:00:00.000Z' });
    await store.createUpload(older);
    await store.createUpload(newer);
    await store.transitionUpload(older.uploadId, ['received'], 'failed');
    expect(await get(`KEY#${older.bucket}/${key}`, 'LATEST')).toMatchObject({ uploadId: newer.uploadId });
    expect((await get(`KEY#${older.bucket}/${key}`, 'LATEST'))?.expiresAt).toBeUndefined();
  });

  it('accepts a document client as well as a plain one', async () => {
    const store = createDynamoUploadStore({ client: DynamoDBDocumentClient.from(client), tableName });
    const upload = uploadFixture({ profile: undefined });
    expect(await store.createUpload(upload)).toMatchObject({ created: true });
    expect(await store.getUpload(upload.uploadId)).toEqual(JSON.parse(JSON.stringify(upload)));
  });

  it('names the operation and ids in its errors', async () => {
    const store = createDynamoUploadStore({ client, tableName: 'leadflow-missing-state' });
    await expect(store.getUpload('u-42')).rejects.toThrow(/^getUpload\(upload u-42\): DynamoDB ResourceNotFoundException/);
    await expect(store.claimLeads(7, ['h1'], 'u-42#3')).rejects.toThrow(/^claimLeads\(list 7, owner u-42#3\): DynamoDB /);
    await expect(store.getChunk('u-42', 10 ** 6)).rejects.toThrow(/^getChunk\(upload u-42, chunk 1000000\): chunk number/);
    expect(() => createDynamoUploadStore({ client, tableName, ttlDays: 0 })).toThrow(/ttlDays/);
    expect(() => createDynamoUploadStore({ client, tableName, claimConcurrency: 0 })).toThrow(/claimConcurrency/);
  });
});
