/**
 * A deployed leadflow stack as the CLI reaches it: its outputs, read with CloudFormation
 * DescribeStacks (`leadflow-<stage>`), and clients with the caller's own credentials (the default
 * chain: a profile, SSO, the operator role...). Nothing else about the deployment is assumed.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deployedStackFromOutputs, stackNameOf, StackOutputsError, type DeployedStack } from '../infra/stack-outputs';
import type { LocalClients } from '../local/aws-clients';
import { createDynamoUploadStore } from '../shared/aws/dynamo-upload-store';
import { createS3ObjectStore } from '../shared/aws/s3-object-store';
import { CliError, failure, usageError } from './exit-codes';
import type { PipelineAccess } from './local-pipeline';
import type { Io } from './output';

/**
 * Reads the outputs of the stack of `stage`.
 *
 * @throws CliError (exit 2) when there is no such stack or it lacks leadflow's outputs; (exit 1) when AWS cannot be reached.
 */
export async function describeDeployedStack(stage: string, client: CloudFormationClient = new CloudFormationClient({})): Promise<DeployedStack> {
  const stackName = stackNameOf(stage);
  let outputs: Record<string, string>;
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    if (!stack) throw usageError(`--stack ${stage}: no CloudFormation stack ${stackName}`);
    outputs = Object.fromEntries((stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue]] : [])));
  } catch (error) {
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/i.test(error.message)) {
      const region = await client.config.region().catch(() => 'the configured region');
      throw usageError(`--stack ${stage}: no CloudFormation stack ${stackName} in ${region} (deploy it with \`cdk deploy -c stage=${stage}\`, or set AWS_REGION)`);
    }
    if (error instanceof CliError) throw error;
    throw failure(`--stack ${stage}: cannot read stack ${stackName}: ${error instanceof Error ? error.name : 'unknown error'}`);
  }
  try {
    return deployedStackFromOutputs(stackName, outputs);
  } catch (error) {
    if (error instanceof StackOutputsError) throw usageError(error.message);
    throw error;
  }
}

/** Clients for a deployed stack, in its region, with the default credential chain. */
export function stackClients(stack: DeployedStack): LocalClients {
  const config = { region: stack.region };
  const s3 = new S3Client(config);
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  const events = new EventBridgeClient(config);
  return {
    s3,
    sqs,
    dynamodb,
    events,
    destroy() {
      s3.destroy();
      sqs.destroy();
      dynamodb.destroy();
      events.destroy();
    },
  };
}

/** What commands need to drive and watch the pipeline of a deployed stack (the local counterpart is localPipeline). */
export function stackPipeline(stack: DeployedStack, io: Io, isTty = Boolean(process.stderr.isTTY)): PipelineAccess {
  const clients = stackClients(stack);
  return {
    clients,
    bucket: stack.bucket,
    store: createDynamoUploadStore({ client: DynamoDBDocumentClient.from(clients.dynamodb), tableName: stack.stateTable }),
    objects: createS3ObjectStore(clients.s3, stack.bucket),
    progress: (line, redraw = false) => io.progress(redraw && isTty ? `\x1b[1A\x1b[2K${line}` : line),
  };
}
