/**
 * cdk-nag (v3) acknowledgements, each with its reason in code. v3 matches a finding exactly
 * (`AwsSolutions-IAM5[Resource::<Uploads1234.Arn>/incoming/*]`), so wildcard resources are
 * acknowledged by the ARN expression the stack granted, flattened the way the rule flattens it.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** Acknowledges a rule on a construct (and everything under it). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for exactly these wildcard resources (ARN strings or tokens) on `scope`.
 *
 * @example acknowledgeWildcardResources(role, [bucket.arnForObjects('incoming/*')], 'keys are chosen at run time')
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: readonly string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenCfnReference(stack.resolve(resource));
    if (!flat.includes('*')) continue;
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
  }
}
