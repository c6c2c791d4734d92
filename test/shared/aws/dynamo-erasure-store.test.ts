import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '../../../local/aws-clients';
import { oneRequestAtATime } from '../../../local/dynamodb-one-request-at-a-time';
import { createDynamoErasureStore } from '../../../shared/aws/dynamo-erasure-store';
import { createDynamoPersonIndex } from '../../../shared/aws/dynamo-person-index';
import type { ErasureRequestRecord } from '../../../shared/erasure/erasure-request';
import type { ErasureStore } from '../../../shared/erasure/erasure-store';
import { reportDueness } from '../../../shared/erasure/officer-actions';
import { erasureSettingsSchema } from '../../../shared/erasure/settings';
import { capturingTelemetry } from '../../../shared/observability/telemetry';
import { provisionTestStack, startTestMoto } from '../../support/moto';

const moto = startTestMoto();
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let tableName: string;
let store: ErasureStore;

beforeAll(async () => {
  tableName = (await provisionTestStack('erasure-store')).tables.state;
  client = oneRequestAtATime(new DynamoDBClient({ endpoint: moto.endpoint, region: LOCAL_REGION }));
  doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  store = createDynamoErasureStore(doc, tableName);
});
afterAll(() => client?.destroy());

let n = 0;
function request(overrides: Partial<ErasureRequestRecord> = {}): ErasureRequestRecord {
  const id = `er${String(++n).padStart(20, '0')}`;
  return {
    requestId: id,
    status: 'received',
    jurisdiction: 'AU',
    requestedBy: 'tester',
    receivedAt: '2026-11-01T00:00:00.000Z',
    dueAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    kinds: ['phone'],
    hashes: { phone: `H${n}` },
    sealed: 'v1.a.b.c',
    openKey: `phone:H${n}`,
    round: 1,
    attempts: 0,
    calls: {},
    audit: [],
    ...overrides,
  };
}

describe('the erasure store on DynamoDB (moto)', () => {
  it('creates once per open identifiers and per external id, and frees the identifiers when the request ends', async () => {
    const first = request({ openKey: 'phone:SAME', externalId: 'EXT-1' });
    expect((await store.create(first)).created).toBe(true);
    const again = await store.create(request({ openKey: 'phone:SAME' }));
    expect(again).toMatchObject({ created: false, existing: { requestId: first.requestId } });
    const sameRef = await store.create(request({ openKey: 'phone:OTHER', externalId: 'EXT-1' }));
    expect(sameRef).toMatchObject({ created: false, existing: { requestId: first.requestId } });
    // Neither loser left a lock behind: OTHER is free.
    expect((await store.create(request({ openKey: 'phone:OTHER' }))).created).toBe(true);

    const completed = await store.transition(first.requestId, ['received'], 'completed', { remove: ['sealed', 'openKey'], releaseOpenLock: true, audit: { at: 'now', actor: 't', action: 'completed' } });
    expect(completed?.sealed).toBeUndefined();
    expect(completed?.audit).toHaveLength(1);
    expect((await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'ERASURE-OPEN#phone:SAME', sk: 'LOCK' } }))).Item).toBeUndefined();
    expect((await store.create(request({ openKey: 'phone:SAME' }))).created).toBe(true);
  });

  it('moves only from the statuses given and records each call once', async () => {
    const r = request();
    await store.create(r);
    expect(await store.transition(r.requestId, ['processing'], 'completed')).toBeUndefined();
    expect((await store.transition(r.requestId, ['received'], 'processing'))?.status).toBe('processing');
    const call = { kind: 'phone' as const, round: 1, at: 'now', counts: { callData: {}, emailData: {}, leadData: { leadsDeleted: 1 } }, nothingHeld: false };
    expect(await store.recordCall(r.requestId, 'r1-phone', call)).toBe(true);
    expect(await store.recordCall(r.requestId, 'r1-phone', { ...call, counts: { ...call.counts, leadData: { leadsDeleted: 0 } } })).toBe(false);
    expect((await store.get(r.requestId))?.calls['r1-phone']?.counts.leadData.leadsDeleted).toBe(1);
    const object = { bucket: 'b', key: 'incoming/1/a.csv', kind: 'upload' as const, action: 'rewritten' as const, rowsRemoved: 1, versionsDeleted: 1 };
    await store.recordPurged(r.requestId, object);
    await store.recordPurged(r.requestId, { ...object, key: 'chunks/u/00000.json', kind: 'chunk' });
    expect(Object.keys((await store.get(r.requestId))?.purged ?? {}).sort()).toEqual(['b/chunks/u/00000.json', 'b/incoming/1/a.csv']);
    await store.recordUnknownOutcome(r.requestId, 'r1-email', 'then');
    expect((await store.get(r.requestId))?.unknownOutcomes).toEqual({ 'r1-email': 'then' });
  });

  it('lists by status oldest due first, and due before an instant; counts near-due and overdue requests', async () => {
    const due = ['2026-12-20T00:00:00.000Z', '2026-12-03T00:00:00.000Z', '2026-12-10T00:00:00.000Z'];
    const made = due.map((dueAt) => request({ dueAt, status: 'failed', openKey: undefined }));
    for (const r of made) await store.create(r);
    const failed = await store.list({ status: 'failed' });
    expect(failed.map((r) => r.dueAt)).toEqual([...due].sort());
    expect((await store.list({ status: 'failed', dueBefore: '2026-12-15T00:00:00.000Z' })).map((r) => r.dueAt)).toEqual(['2026-12-03T00:00:00.000Z', '2026-12-10T00:00:00.000Z']);

    const telemetry = capturingTelemetry();
    const settings = erasureSettingsSchema.parse({ nearDueDays: 5 });
    // On 2026-12-06: the 12-03 failed one is overdue, 12-10 is near due, 12-20 is not; every received
    // one above is due 12-01 (overdue).
    const counts = await reportDueness({ store, settings, telemetry, now: () => new Date('2026-12-06T00:00:00.000Z') });
    const earlier = (await store.list({ status: 'received' })).length + (await store.list({ status: 'processing' })).length;
    expect(counts).toEqual({ open: earlier + 3, nearDue: 1, overdue: earlier + 1 });
    expect(telemetry.metrics.find((m) => m.name === 'ErasureRequestsNearDue')?.value).toBe(1);
  });

  it('indexes rows by key and forgets them', async () => {
    const index = createDynamoPersonIndex(doc, tableName);
    await index.record([
      { key: '00000000000000aa', uploadId: 'u1', line: 2, chunk: 0 },
      { key: '00000000000000aa', uploadId: 'u1', line: 2, chunk: 0 },
      { key: '00000000000000aa', uploadId: 'u2', line: 7 },
      { key: '00000000000000bb', uploadId: 'u1', line: 3, chunk: 0 },
    ]);
    const found = await index.find('00000000000000aa');
    expect(found).toEqual([
      { key: '00000000000000aa', uploadId: 'u1', line: 2, chunk: 0 },
      { key: '00000000000000aa', uploadId: 'u2', line: 7 },
    ]);
    expect(await index.forget(found)).toBe(2);
    expect(await index.find('00000000000000aa')).toEqual([]);
    expect(await index.find('00000000000000bb')).toHaveLength(1);
  });
});
