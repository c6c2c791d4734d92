/**
 * The names of the stack's outputs: written by the stack, read by `leadflow --stack NAME` through
 * CloudFormation DescribeStacks. No CDK import here, so the CLI can read it without loading aws-cdk-lib.
 */
import { queueNames, type QueueName } from '../shared/resources/resources';

const capital = (q: string) => `${q[0]!.toUpperCase()}${q.slice(1)}`;

export const stackOutputKeys = {
  region: 'Region',
  uploadsBucket: 'UploadsBucketName',
  privacyBucket: 'PrivacyBucketName',
  stateTable: 'StateTableName',
  eventBus: 'EventBusName',
  alarmTopic: 'AlarmTopicArn',
  uploadsTopic: 'UploadsTopicArn',
  dashboard: 'DashboardUrl',
  operatorRole: 'OperatorRoleArn',
  privacyRole: 'PrivacyRoleArn',
  apiKeySecret: 'IpscapeApiKeySecretArn',
  erasureEndpoint: 'ErasureEndpoint',
  queueUrl: (queue: QueueName) => `${capital(queue)}QueueUrl`,
  dlqUrl: (queue: QueueName) => `${capital(queue)}DlqUrl`,
} as const;

/** The CloudFormation stack name of a stage: `leadflow-<stage>`. */
export function stackNameOf(stage: string): string {
  return `leadflow-${stage}`;
}

/** What the CLI needs from a deployed stack. */
export interface DeployedStack {
  readonly stackName: string;
  readonly region: string;
  readonly bucket: string;
  readonly privacyBucket: string;
  readonly stateTable: string;
  readonly queues: Record<QueueName, { readonly url: string; readonly dlqUrl: string }>;
  readonly erasureEndpoint?: string;
  readonly dashboardUrl?: string;
}

/** Outputs of a stack that are missing what the CLI needs. */
export class StackOutputsError extends Error {
  override readonly name = 'StackOutputsError';
}

/**
 * Reads a stack's outputs (key → value) into a {@link DeployedStack}.
 *
 * @throws StackOutputsError naming every missing output: the stack is not a leadflow stack, or an older one.
 */
export function deployedStackFromOutputs(stackName: string, outputs: Readonly<Record<string, string>>): DeployedStack {
  const missing: string[] = [];
  const need = (key: string): string => {
    const value = outputs[key];
    if (!value) missing.push(key);
    return value ?? '';
  };
  const k = stackOutputKeys;
  const stack: DeployedStack = {
    stackName,
    region: need(k.region),
    bucket: need(k.uploadsBucket),
    privacyBucket: need(k.privacyBucket),
    stateTable: need(k.stateTable),
    queues: Object.fromEntries(queueNames.map((q) => [q, { url: need(k.queueUrl(q)), dlqUrl: need(k.dlqUrl(q)) }])) as DeployedStack['queues'],
    ...(outputs[k.erasureEndpoint] && { erasureEndpoint: outputs[k.erasureEndpoint] }),
    ...(outputs[k.dashboard] && { dashboardUrl: outputs[k.dashboard] }),
  };
  if (missing.length) throw new StackOutputsError(`stack ${stackName} has no output ${missing.join(', ')}: is it a leadflow stack, deployed from this version?`);
  return stack;
}
