/** What commands need to drive and watch the pipeline on a local stack: S3 and the upload state. */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClients, type LocalClients } from '../local/aws-clients';
import type { LocalStack } from '../local/dev-stack';
import { createDynamoUploadStore } from '../shared/aws/dynamo-upload-store';
import { createS3ObjectStore } from '../shared/aws/s3-object-store';
import type { ObjectStore } from '../shared/ingest/object-store';
import type { UploadStore } from '../shared/ingest/upload-state';
import type { Io } from './output';

export interface PipelineAccess {
  readonly clients: LocalClients;
  readonly bucket: string;
  readonly store: UploadStore;
  readonly objects: ObjectStore;
  /** Progress for `followUpload`: a redrawn bar on a terminal, a line per change otherwise. */
  readonly progress: (line: string, redraw?: boolean) => void;
}

/** Opens the pipeline of a local stack; `close()` the clients when done. */
export function localPipeline(stack: LocalStack, io: Io, isTty = Boolean(process.stderr.isTTY)): PipelineAccess {
  const clients = localClients(stack.endpoints.aws, stack.resources.region);
  return {
    clients,
    bucket: stack.resources.bucket,
    store: createDynamoUploadStore({ client: DynamoDBDocumentClient.from(clients.dynamodb), tableName: stack.resources.tables.state }),
    objects: createS3ObjectStore(clients.s3, stack.resources.bucket),
    // Up one line and clear it: the bar redraws in place instead of scrolling.
    progress: (line, redraw = false) => io.progress(redraw && isTty ? `\x1b[1A\x1b[2K${line}` : line),
  };
}
