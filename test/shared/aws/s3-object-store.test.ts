import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3ObjectStore } from '../../../shared/aws/s3-object-store';
import type { ByteSource } from '../../../shared/csv/byte-source';
import type { ObjectStore } from '../../../shared/ingest/object-store';
import { provisionTestStack, startTestMoto } from '../../support/moto';

const moto = startTestMoto();
let objects: ObjectStore;
let bucket: string;

async function bytesOf(source: ByteSource): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('latin1');
}

beforeAll(async () => {
  bucket = (await provisionTestStack('object-store')).bucket;
  objects = createS3ObjectStore(moto.clients.s3, bucket);
});

describe('createS3ObjectStore on moto', () => {
  it('heads with lower-cased metadata and the version; misses give undefined', async () => {
    await moto.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/a.csv', Body: 'x,y\n', Metadata: { Profile: 'crm' } }));
    const head = await objects.head('incoming/a.csv');
    expect(head).toMatchObject({ size: 4, metadata: { profile: 'crm' } });
    expect(head?.versionId).toMatch(/.+/);
    expect(await objects.head('incoming/missing.csv')).toBeUndefined();
    expect(await objects.readText('incoming/missing.csv')).toBeUndefined();
  });

  it('reads whole, a version, and byte ranges (the empty range without a request)', async () => {
    await objects.write('chunks/r.txt', '0123456789', 'text/plain');
    const first = (await objects.head('chunks/r.txt'))!.versionId!;
    await objects.write('chunks/r.txt', 'abcdefghij', 'text/plain');
    expect(await bytesOf(await objects.read('chunks/r.txt'))).toBe('abcdefghij');
    expect(await bytesOf(await objects.read('chunks/r.txt', { versionId: first }))).toBe('0123456789');
    expect(await bytesOf(await objects.read('chunks/r.txt', { range: { start: 3 } }))).toBe('defghij');
    expect(await bytesOf(await objects.read('chunks/r.txt', { range: { start: 0, end: 3 } }))).toBe('abc');
    expect(await bytesOf(await objects.read('chunks/r.txt', { versionId: first, range: { start: 8, end: 10 } }))).toBe('89');
    expect(await bytesOf(await objects.read('chunks/r.txt', { range: { start: 4, end: 4 } }))).toBe('');
    expect(await objects.head('chunks/r.txt', { versionId: first })).toMatchObject({ size: 10, versionId: first });
  });

  it('writes streams and deletes', async () => {
    await objects.write(
      'reports/s.csv',
      (async function* () {
        yield 'a,';
        yield new TextEncoder().encode('b\n');
      })(),
      'text/csv',
    );
    expect(await objects.readText('reports/s.csv')).toBe('a,b\n');
    expect(await objects.list!('reports/')).toEqual(['reports/s.csv']);
    await objects.delete('reports/s.csv');
    expect(await objects.list!('reports/')).toEqual([]);
    expect(await objects.head('reports/s.csv')).toBeUndefined();
  });
});
