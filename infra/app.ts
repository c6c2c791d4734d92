/**
 * The CDK app: `npm run synth` (offline; `cdk.json` turns off notices and telemetry).
 * The stage and deployment settings come from context (see deployment-settings.ts and README: Deploy):
 * `cdk deploy -c stage=prod -c tenantBaseUrl=https://acme.ipscape.com.au/platform-api/v3.0`.
 * cdk-nag's AwsSolutions pack runs on every synth: an unsuppressed finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeploymentSettingsError, readDeploymentSettings } from './deployment-settings';
import { LeadflowStack } from './leadflow-stack';
import { stackNameOf } from './stack-outputs';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
try {
  const settings = readDeploymentSettings((key) => app.node.tryGetContext(key));
  new LeadflowStack(app, stackNameOf(stage), { stage, settings, description: `leadflow (${stage}): ipSCAPE lead ingestion, erasure and list maintenance` });
} catch (error) {
  // A settings mistake is the user's to fix: the message, not a stack trace.
  if (!(error instanceof Error) || !/^(DeploymentSettings|TenantBudget|ConfigDocumentTooLarge|VisibilityInvariant)Error$/.test(error.name)) throw error;
  console.error(`leadflow: ${error.message}`);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
