/**
 * The privacy team's entry point for erasure requests: a function URL with `AWS_IAM` auth, so only a
 * principal granted `lambda:InvokeFunctionUrl` on it (the privacy role) can call it, every call
 * SigV4-signed and in CloudTrail. A function URL rather than API Gateway: one POST endpoint needs no
 * stages, usage plans or authorisers, and there is no unauthenticated path to protect with a WAF.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { LeadflowFunction } from './leadflow-function';

export interface ErasureEntryProps {
  /** The function that receives requests. */
  readonly function: LeadflowFunction;
  /** Roles allowed to send requests. */
  readonly callers: readonly iam.IRole[];
}

export class ErasureEntry extends Construct {
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ErasureEntryProps) {
    super(scope, id);
    this.url = props.function.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    for (const role of props.callers) this.url.grantInvokeUrl(role);
  }
}
