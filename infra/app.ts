/**
 * The CDK app: `npm run synth` (offline; `cdk.json` turns off notices and telemetry).
 * The stage comes from context: `cdk synth -c stage=prod`.
 */
import { App } from 'aws-cdk-lib';
import { LeadflowStack } from './leadflow-stack';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
new LeadflowStack(app, `leadflow-${stage}`, { stage });
