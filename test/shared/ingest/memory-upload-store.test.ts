import { describe, expect, it } from 'vitest';
import { createMemoryUploadStore } from '../../../shared/ingest/memory-upload-store';
import { chunkFixture, describeUploadStoreContract, uploadFixture } from './upload-store.contract';

describeUploadStoreContract('memory', ({ now }) => createMemoryUploadStore({ now }));

describe('createMemoryUploadStore', () => {
  it('keeps its own copies of what it is given', async () => {
    const store = createMemoryUploadStore();
    const upload = uploadFixture();
    const given = structuredClone(upload) as { tally: { outcomes: Record<string, number> } };
    await store.createUpload(given as unknown as typeof upload);
    given.tally.outcomes.accepted = 5;
    expect(await store.getUpload(upload.uploadId)).toEqual(upload);

    const chunk = chunkFixture(upload.uploadId, 0);
    const created = await store.putChunk(chunk);
    if (!created.created) throw new Error('expected a new chunk');
    (created.record as { rows: number }).rows = 1;
    expect(await store.getChunk(upload.uploadId, 0)).toEqual(chunk);
  });

  it('uses the system clock by default', async () => {
    const store = createMemoryUploadStore();
    const upload = uploadFixture();
    await store.createUpload(upload);
    const before = Date.now();
    const next = await store.transitionUpload(upload.uploadId, ['received'], 'parsing');
    expect(Date.parse(next?.updatedAt ?? '')).toBeGreaterThanOrEqual(before);
  });
});
