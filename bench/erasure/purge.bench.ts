/**
 * Purging one person from a large raw upload: the worker's step that reads the ingested version,
 * counts, rewrites it without the person's rows as a stream (multipart upload) and deletes the old
 * version, on moto. Prints wall time, the process's CPU time and its peak RSS, so the worker's memory
 * (256 MB deployed) can be judged on a large file. Prints, never asserts.
 *
 * Run: `node --import tsx bench/erasure/purge.bench.ts [--rows=200000]` (or `npm run bench -- purge`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { cpuUsage, resourceUsage } from 'node:process';
import { LOCAL_REGION } from '../../local/aws-clients';
import { oneRequestAtATime } from '../../local/dynamodb-one-request-at-a-time';
import { startMoto } from '../../local/moto';
import { provisionResources } from '../../local/provision';
import { createDynamoUploadStore } from '../../shared/aws/dynamo-upload-store';
import { createS3VersionedObjects } from '../../shared/aws/s3-versioned-objects';
import { purgeObjects } from '../../shared/erasure/purge-objects';
import { ensureLeadFile } from '../ingest/generate-leads';

const ROWS = Number(/^--rows=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--rows=')) ?? '')?.[1] ?? 200_000);
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

const file = await ensureLeadFile(ROWS);
const moto = await startMoto();
try {
  const resources = await provisionResources({ endpoint: moto.endpoint, stage: 'bench', region: LOCAL_REGION });
  const s3 = new S3Client({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials, forcePathStyle: true });
  const dynamodb = oneRequestAtATime(new DynamoDBClient({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials }));
  const uploads = createDynamoUploadStore({ client: DynamoDBDocumentClient.from(dynamodb), tableName: resources.tables.state });
  const key = 'incoming/1/big.csv';
  const put = await s3.send(new PutObjectCommand({ Bucket: resources.bucket, Key: key, Body: createReadStream(file.path), ContentLength: file.bytes }));
  const stamp = new Date().toISOString();
  await uploads.createUpload({
    uploadId: 'u-bench', bucket: resources.bucket, key, versionId: put.VersionId!, fileName: 'big.csv', rerun: false, dedupe: 'list',
    status: 'completed', receivedAt: stamp, updatedAt: stamp, chunksDone: 0, tally: { outcomes: {}, reasons: {} },
  });
  // The person on three lines spread through the file (line 1 is the header).
  const lines = [2, Math.floor(ROWS / 2), ROWS];
  const rssBefore = resourceUsage().maxRSS / 1024;
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  const result = await purgeObjects(
    lines.map((line) => ({ key: 'k', uploadId: 'u-bench', line })),
    'er-bench',
    { uploads, objects: createS3VersionedObjects(s3), bucket: resources.bucket, reportsPrefix: 'reports/', chunksPrefix: 'chunks/' },
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(cpu0);
  console.log(`purge of 3 rows from a ${ROWS.toLocaleString()}-row upload (${(file.bytes / 1e6).toFixed(1)} MB) on moto: ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
  console.log(`  ${JSON.stringify(result.objects[0])}`);
  console.log(`  peak RSS: ${(resourceUsage().maxRSS / 1024).toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the purge, file generation and SDK included)`);
  s3.destroy();
  dynamodb.destroy();
} finally {
  await moto.stop();
}
