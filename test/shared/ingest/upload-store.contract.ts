/**
 * The behaviour every {@link UploadStore} must have, run against the in-memory store and against
 * DynamoDB on moto. Each test uses fresh ids, so one store (one table) can serve the whole file.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChunkRecord, Tally, UploadRecord, UploadStore } from '../../../shared/ingest/upload-state';

/** Builds the store under test; called once per test with that test's clock. */
export type MakeUploadStore = (options: { now: () => Date }) => UploadStore | Promise<UploadStore>;

const T0 = Date.parse('2026-11-26T00:00:00.000Z');

/** An upload as ingest creates it on receipt. */
export function uploadFixture(overrides: Partial<UploadRecord> = {}): UploadRecord {
  return {
    uploadId: `u-${randomUUID()}`,
    bucket: 'leadflow-test-uploads',
    key: `incoming/100/${randomUUID()}.csv`,
    fileName: 'leads.csv',
    listId: 100,
    rerun: false,
    dedupe: 'list',
    status: 'received',
    receivedAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    chunksDone: 0,
    tally: { outcomes: {}, reasons: {} },
    ...overrides,
  };
}

/** A pending chunk of an upload. */
export function chunkFixture(uploadId: string, chunk: number, overrides: Partial<ChunkRecord> = {}): ChunkRecord {
  return {
    uploadId,
    chunk,
    key: `chunks/${uploadId}/${chunk}.json`,
    rows: 500,
    state: 'pending',
    polls: 0,
    tally: { outcomes: {}, reasons: {} },
    ...overrides,
  };
}

const someTally: Tally = { outcomes: { accepted: 3, rejected: 1, duplicate: 1 }, reasons: { 'phone-invalid': 1, 'duplicate-in-list': 1 } };

/** Registers the contract tests for one store implementation. */
export function describeUploadStoreContract(name: string, makeStore: MakeUploadStore): void {
  describe(`UploadStore contract: ${name}`, () => {
    let clock = T0;
    let store: UploadStore;
    const tick = (ms = 1000): void => {
      clock += ms;
    };
    const iso = (): string => new Date(clock).toISOString();

    beforeEach(async () => {
      clock = T0;
      store = await makeStore({ now: () => new Date(clock) });
    });

    /** An upload in `submitting` with `n` chunks waiting at `state`. */
    async function uploadWithChunks(n: number, state: ChunkRecord['state'] = 'submitted'): Promise<UploadRecord> {
      const upload = uploadFixture({ status: 'submitting', chunksTotal: n });
      await store.createUpload(upload);
      await Promise.all(Array.from({ length: n }, (_, i) => store.putChunk(chunkFixture(upload.uploadId, i, { state }))));
      return upload;
    }

    describe('uploads', () => {
      it('createUpload creates once; a second create returns the existing record untouched', async () => {
        const upload = uploadFixture({ versionId: 'v1', sha256: 'ab'.repeat(32) });
        expect(await store.createUpload(upload)).toEqual({ created: true, record: upload });
        const again = await store.createUpload({ ...upload, fileName: 'other.csv', status: 'parsing' });
        expect(again).toEqual({ created: false, existing: upload });
        expect(await store.getUpload(upload.uploadId)).toEqual(upload);
      });

      it('getUpload is undefined for an unknown id, and records handed out are copies', async () => {
        expect(await store.getUpload('u-nope')).toBeUndefined();
        const upload = uploadFixture();
        await store.createUpload(upload);
        const got = (await store.getUpload(upload.uploadId)) as { tally: { outcomes: Record<string, number> } };
        got.tally.outcomes.accepted = 99;
        expect(await store.getUpload(upload.uploadId)).toEqual(upload);
      });

      it('transitionUpload moves only from the given statuses and sets the fields and updatedAt', async () => {
        const upload = uploadFixture();
        await store.createUpload(upload);
        tick();
        const parsing = await store.transitionUpload(upload.uploadId, ['received'], 'parsing', { sha256: 'cd'.repeat(32), encoding: 'utf-8' });
        expect(parsing).toEqual({ ...upload, status: 'parsing', updatedAt: iso(), sha256: 'cd'.repeat(32), encoding: 'utf-8' });

        expect(await store.transitionUpload(upload.uploadId, ['received'], 'parsing')).toBeUndefined();
        expect(await store.transitionUpload(upload.uploadId, ['submitting', 'polling'], 'failed')).toBeUndefined();
        expect(await store.getUpload(upload.uploadId)).toEqual(parsing);

        tick();
        const failed = await store.transitionUpload(upload.uploadId, ['parsing', 'submitting'], 'failed', {
          failure: { reason: 'not-csv', message: 'the file is not a CSV' },
          endedAt: iso(),
          rows: 0,
        });
        expect(failed).toMatchObject({ status: 'failed', updatedAt: iso(), endedAt: iso(), rows: 0, failure: { reason: 'not-csv' } });
        expect(await store.getUpload(upload.uploadId)).toEqual(failed);
      });

      it('transitionUpload leaves fields given as undefined alone, refuses an empty from, and misses unknown uploads', async () => {
        const upload = uploadFixture({ profile: 'crm' });
        await store.createUpload(upload);
        const next = await store.transitionUpload(upload.uploadId, ['received'], 'parsing', { profile: undefined, rows: 10 });
        expect(next).toMatchObject({ profile: 'crm', rows: 10 });
        await expect(store.transitionUpload(upload.uploadId, [], 'failed')).rejects.toThrow(/transitionUpload.*from is empty/);
        expect(await store.transitionUpload('u-nope', ['received'], 'parsing')).toBeUndefined();
      });

      it('findUploadByKey returns the newest upload of a key, whatever order they were created in', async () => {
        const key = `incoming/100/${randomUUID()}.csv`;
        const first = uploadFixture({ key, receivedAt: '2026-11-26T01:00:00.000Z' });
        const second = uploadFixture({ key, receivedAt: '2026-11-26T02:00:00.000Z' });
        const late = uploadFixture({ key, receivedAt: '2026-11-26T00:30:00.000Z' });
        await store.createUpload(first);
        expect(await store.findUploadByKey(first.bucket, key)).toEqual(first);
        await store.createUpload(second);
        await store.createUpload(late);
        expect(await store.findUploadByKey(first.bucket, key)).toEqual(second);

        const moved = await store.transitionUpload(second.uploadId, ['received'], 'parsing');
        expect(await store.findUploadByKey(first.bucket, key)).toEqual(moved);
        expect(await store.findUploadByKey('another-bucket', key)).toBeUndefined();
        expect(await store.findUploadByKey(first.bucket, `${key}.old`)).toBeUndefined();
      });
    });

    describe('content claims', () => {
      it('the first upload wins; others learn its id; the winner claiming again is still the owner', async () => {
        const sha = randomUUID().replace(/-/g, '');
        expect(await store.claimContent(sha, 100, 'u-a')).toEqual({ owner: 'u-a', claimed: true });
        expect(await store.claimContent(sha, 100, 'u-b')).toEqual({ owner: 'u-a', claimed: false });
        expect(await store.claimContent(sha, 100, 'u-a')).toEqual({ owner: 'u-a', claimed: true });
      });

      it('claims are per list, and "no list" is a list of its own', async () => {
        const sha = randomUUID().replace(/-/g, '');
        await store.claimContent(sha, 100, 'u-a');
        expect(await store.claimContent(sha, 200, 'u-b')).toEqual({ owner: 'u-b', claimed: true });
        expect(await store.claimContent(sha, undefined, 'u-c')).toEqual({ owner: 'u-c', claimed: true });
        expect(await store.claimContent(sha, undefined, 'u-d')).toEqual({ owner: 'u-c', claimed: false });
      });
    });

    describe('chunks', () => {
      it('putChunk is idempotent and returns the existing chunk', async () => {
        const chunk = chunkFixture(`u-${randomUUID()}`, 0);
        expect(await store.putChunk(chunk)).toEqual({ created: true, record: chunk });
        expect(await store.putChunk({ ...chunk, rows: 1, state: 'sending' })).toEqual({ created: false, existing: chunk });
        expect(await store.getChunk(chunk.uploadId, 0)).toEqual(chunk);
        expect(await store.getChunk(chunk.uploadId, 1)).toBeUndefined();
      });

      it('listChunks returns the upload\'s chunks in numeric order and nothing of other uploads', async () => {
        const uploadId = `u-${randomUUID()}`;
        for (const n of [10, 2, 0, 1]) await store.putChunk(chunkFixture(uploadId, n));
        await store.putChunk(chunkFixture(`${uploadId}x`, 3));
        expect((await store.listChunks(uploadId)).map((c) => c.chunk)).toEqual([0, 1, 2, 10]);
        expect(await store.listChunks(`u-${randomUUID()}`)).toEqual([]);
      });

      it('transitionChunk moves only from the given states, sets the fields, and refuses final states', async () => {
        const chunk = chunkFixture(`u-${randomUUID()}`, 4);
        await store.putChunk(chunk);
        const sending = await store.transitionChunk(chunk.uploadId, 4, ['pending'], 'sending', { sentAt: iso(), deadline: '2026-11-26T01:00:00.000Z' });
        expect(sending).toEqual({ ...chunk, state: 'sending', sentAt: iso(), deadline: '2026-11-26T01:00:00.000Z' });
        expect(await store.transitionChunk(chunk.uploadId, 4, ['pending'], 'sending')).toBeUndefined();
        const submitted = await store.transitionChunk(chunk.uploadId, 4, ['sending'], 'submitted', {
          jobUuid: 'job-1',
          polls: 0,
          exceptions: [{ line: 3, reason: 'field-count' }],
        });
        expect(submitted).toMatchObject({ state: 'submitted', jobUuid: 'job-1', sentAt: iso(), exceptions: [{ line: 3, reason: 'field-count' }] });
        expect(await store.transitionChunk(chunk.uploadId, 9, ['pending'], 'sending')).toBeUndefined();
        await expect(store.transitionChunk(chunk.uploadId, 4, ['submitted'], 'succeeded')).rejects.toThrow(/use finishChunk/);
        await expect(store.transitionChunk(chunk.uploadId, 4, ['failed'], 'pending')).rejects.toThrow(/final state failed/);
        expect(await store.getChunk(chunk.uploadId, 4)).toEqual(submitted);
      });
    });

    describe('finishChunk', () => {
      it('ends the chunk with its tally and adds the tally to the upload exactly once', async () => {
        const upload = await uploadWithChunks(2);
        const exceptions = [
          { line: 7, reason: 'phone-invalid' },
          { line: 9, reason: 'duplicate-in-list' },
        ] as const;
        const after = await store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', someTally, { jobStatus: 'COMPLETE', endedAt: iso(), exceptions });
        expect(after).toEqual({ ...upload, chunksDone: 1, tally: someTally });
        expect(await store.getChunk(upload.uploadId, 0)).toMatchObject({ state: 'succeeded', tally: someTally, jobStatus: 'COMPLETE', endedAt: iso(), exceptions });

        expect(await store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', someTally)).toBeUndefined();
        expect(await store.finishChunk(upload.uploadId, 0, ['submitted', 'in-doubt'], 'failed', someTally)).toBeUndefined();
        expect(await store.getUpload(upload.uploadId)).toEqual(after);
      });

      it('adds a second chunk\'s tally to the first\'s', async () => {
        const upload = await uploadWithChunks(2);
        await store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', someTally);
        const after = await store.finishChunk(upload.uploadId, 1, ['submitted'], 'failed', {
          outcomes: { failed: 4, accepted: 1 },
          reasons: { 'job-failed': 4 },
        });
        expect(after?.chunksDone).toBe(2);
        expect(after?.tally).toEqual({
          outcomes: { accepted: 4, rejected: 1, duplicate: 1, failed: 4 },
          reasons: { 'phone-invalid': 1, 'duplicate-in-list': 1, 'job-failed': 4 },
        });
      });

      it('five concurrent calls for one chunk: one wins, the tally is added once', async () => {
        const upload = await uploadWithChunks(1);
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', someTally)),
        );
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
        const stored = await store.getUpload(upload.uploadId);
        expect(stored).toMatchObject({ chunksDone: 1, tally: someTally });
      });

      it('concurrent calls for different chunks all add up', async () => {
        const n = 8;
        const upload = await uploadWithChunks(n);
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            store.finishChunk(upload.uploadId, i, ['submitted'], 'succeeded', { outcomes: { accepted: i + 1 }, reasons: {} }),
          ),
        );
        expect(results.every((r) => r !== undefined)).toBe(true);
        expect(await store.getUpload(upload.uploadId)).toMatchObject({
          chunksDone: n,
          tally: { outcomes: { accepted: (n * (n + 1)) / 2 }, reasons: {} },
        });
      });

      it('a chunk not in from, or unknown, is left alone', async () => {
        const upload = await uploadWithChunks(1, 'pending');
        expect(await store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', someTally)).toBeUndefined();
        expect(await store.finishChunk(upload.uploadId, 7, ['submitted'], 'succeeded', someTally)).toBeUndefined();
        expect(await store.getChunk(upload.uploadId, 0)).toMatchObject({ state: 'pending' });
        expect(await store.getUpload(upload.uploadId)).toMatchObject({ chunksDone: 0, tally: { outcomes: {}, reasons: {} } });
      });

      it('refuses a final state in from, bad counts, and a chunk whose upload does not exist (changing nothing)', async () => {
        const upload = await uploadWithChunks(1);
        await expect(store.finishChunk(upload.uploadId, 0, ['submitted', 'failed'], 'succeeded', someTally)).rejects.toThrow(
          /finishChunk.*final state failed/,
        );
        await expect(
          store.finishChunk(upload.uploadId, 0, ['submitted'], 'succeeded', { outcomes: { accepted: -1 }, reasons: {} }),
        ).rejects.toThrow(/finishChunk.*accepted/);
        const orphan = chunkFixture(`u-${randomUUID()}`, 0, { state: 'submitted' });
        await store.putChunk(orphan);
        await expect(store.finishChunk(orphan.uploadId, 0, ['submitted'], 'succeeded', someTally)).rejects.toThrow(
          new RegExp(`finishChunk.*${orphan.uploadId}`),
        );
        expect(await store.getChunk(orphan.uploadId, 0)).toEqual(orphan);
      });
    });

    describe('transitionUpload guards', () => {
      it('noFailure refuses an upload with a failure recorded; updatedAt refuses one changed since it was read', async () => {
        const upload = uploadFixture({ status: 'parsing' });
        await store.createUpload(upload);
        const read = (await store.getUpload(upload.uploadId))!;
        expect(await store.transitionUpload(upload.uploadId, ['parsing'], 'parsing', {}, { updatedAt: '1999-01-01T00:00:00.000Z' })).toBeUndefined();
        const failed = await store.transitionUpload(upload.uploadId, ['parsing'], 'parsing', { failure: { reason: 'x', message: 'y' } }, { updatedAt: read.updatedAt });
        expect(failed?.failure).toEqual({ reason: 'x', message: 'y' });
        expect(await store.transitionUpload(upload.uploadId, ['parsing'], 'submitting', {}, { noFailure: true })).toBeUndefined();
        expect(await store.saveCheckpoint(upload.uploadId, 0, { segment: 1, key: 'k1' })).toBeUndefined();
        expect((await store.getUpload(upload.uploadId))?.status).toBe('parsing');
        const other = uploadFixture({ status: 'parsing' });
        await store.createUpload(other);
        expect(await store.transitionUpload(other.uploadId, ['parsing'], 'submitting', {}, { noFailure: true })).toMatchObject({ status: 'submitting' });
      });
    });

    describe('listUploads', () => {
      it('lists uploads in the given statuses (not changed since the time given, when given), oldest first', async () => {
        const tag = randomUUID();
        const at = (minute: number) => new Date(Date.parse('2020-01-01T00:00:00.000Z') + minute * 60_000).toISOString();
        const make = (status: UploadRecord['status'], minute: number) =>
          uploadFixture({ uploadId: `u-${tag}-${status}-${minute}`, status, receivedAt: at(minute), updatedAt: at(minute) });
        const all = [make('parsing', 5), make('received', 1), make('parsing', 30), make('submitting', 2), make('completed', 3)];
        for (const upload of all) await store.createUpload(upload);
        const stale = (await store.listUploads(['received', 'parsing'], { updatedBefore: at(10) })).filter((u) => u.uploadId.includes(tag));
        expect(stale.map((u) => u.uploadId)).toEqual([`u-${tag}-received-1`, `u-${tag}-parsing-5`]);
        const open = (await store.listUploads(['received', 'parsing'])).filter((u) => u.uploadId.includes(tag));
        expect(open.map((u) => u.uploadId)).toEqual([`u-${tag}-received-1`, `u-${tag}-parsing-5`, `u-${tag}-parsing-30`]);
      });
    });

    describe('saveCheckpoint', () => {
      it('hands over segment by segment, only while parsing; a racer on the same segment loses', async () => {
        const upload = uploadFixture({ status: 'parsing' });
        await store.createUpload(upload);
        expect(await store.saveCheckpoint(upload.uploadId, 1, { segment: 2, key: 'k2' })).toBeUndefined();
        const first = await store.saveCheckpoint(upload.uploadId, 0, { segment: 1, key: 'k1' });
        expect(first).toMatchObject({ status: 'parsing', checkpoint: { segment: 1, key: 'k1' } });
        expect(await store.saveCheckpoint(upload.uploadId, 0, { segment: 1, key: 'k1-racer' })).toBeUndefined();
        expect(await store.saveCheckpoint(upload.uploadId, 1, { segment: 2, key: 'k2' })).toMatchObject({ checkpoint: { segment: 2, key: 'k2' } });
        const racers = await Promise.all(['a', 'b', 'c'].map((k) => store.saveCheckpoint(upload.uploadId, 2, { segment: 3, key: k })));
        expect(racers.filter(Boolean)).toHaveLength(1);
        const winner = racers.find(Boolean)!.checkpoint!.key;
        expect((await store.getUpload(upload.uploadId))?.checkpoint).toEqual({ segment: 3, key: winner });
      });

      it('refuses an upload that is not parsing, and an unknown one', async () => {
        const upload = uploadFixture({ status: 'submitting' });
        await store.createUpload(upload);
        expect(await store.saveCheckpoint(upload.uploadId, 0, { segment: 1, key: 'k1' })).toBeUndefined();
        expect(await store.saveCheckpoint('u-missing-1', 0, { segment: 1, key: 'k1' })).toBeUndefined();
        expect((await store.getUpload(upload.uploadId))?.checkpoint).toBeUndefined();
      });
    });

    describe('lead claims', () => {
      const hashes = (n: number): string[] => Array.from({ length: n }, () => randomUUID().replace(/-/g, ''));

      it('claimed, then mine for the same owner and taken for another; per list', async () => {
        const [a, b, c] = hashes(3) as [string, string, string];
        expect(await store.claimLeads(100, [a, b], 'u-1#0')).toEqual(['claimed', 'claimed']);
        expect(await store.claimLeads(100, [a, c, b], 'u-1#0')).toEqual(['mine', 'claimed', 'mine']);
        expect(await store.claimLeads(100, [c, a], 'u-2#0')).toEqual(['taken', 'taken']);
        expect(await store.claimLeads(200, [a], 'u-2#0')).toEqual(['claimed']);
        expect(await store.claimLeads(100, [], 'u-2#0')).toEqual([]);
      });

      it('a hash repeated in one call gets one answer', async () => {
        const [a, b] = hashes(2) as [string, string];
        await store.claimLeads(100, [b], 'u-9#0');
        expect(await store.claimLeads(100, [a, b, a, b], 'u-1#0')).toEqual(['claimed', 'taken', 'claimed', 'taken']);
      });

      it('two owners racing for the same hashes: each hash ends with exactly one owner', async () => {
        const all = hashes(64);
        const [one, two] = await Promise.all([store.claimLeads(100, all, 'u-1#0'), store.claimLeads(100, [...all].reverse(), 'u-2#0')]);
        const twoInOrder = [...two].reverse();
        for (let i = 0; i < all.length; i++) {
          expect([one[i], twoInOrder[i]].sort()).toEqual(['claimed', 'taken']);
        }
        // Asking again tells each owner which hashes it holds.
        const again = await store.claimLeads(100, all, 'u-1#0');
        expect(again).toEqual(one.map((answer) => (answer === 'claimed' ? 'mine' : 'taken')));
      });

      it('releaseLeads releases only the caller\'s claims', async () => {
        const [a, b, c] = hashes(3) as [string, string, string];
        await store.claimLeads(100, [a, b], 'u-1#0');
        await store.claimLeads(100, [c], 'u-2#0');
        await store.releaseLeads(100, [a, c, 'never-claimed'], 'u-1#0');
        expect(await store.claimLeads(100, [a, b, c], 'u-3#0')).toEqual(['claimed', 'taken', 'taken']);
        await store.releaseLeads(100, [], 'u-1#0');
        expect(await store.claimLeads(100, [b], 'u-1#0')).toEqual(['mine']);
      });
    });
  });
}
