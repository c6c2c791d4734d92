/**
 * Every Lambda of the product, built one way: `nodejs22.x` on arm64, an ESM bundle built locally by
 * esbuild (never Docker, so `cdk synth` works offline on a fresh clone), minified, with source maps and
 * the AWS SDK inside the bundle (the runtime's copy is whatever version AWS ships that week). Its own
 * role and log group: the role starts empty (no managed policy) and gets exactly what its catalog
 * entry names (see function-catalog.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

/** The repository root: entries and the lock file are found from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * ESM bundles have no `require`; a CommonJS dependency that requires a Node built-in would fail at
 * load without this shim.
 */
const REQUIRE_SHIM = "import{createRequire as __leadflowRequire}from'node:module';const require=__leadflowRequire(import.meta.url);";

export interface LeadflowFunctionProps {
  /** Folder under `functions/` holding `handler.ts`. */
  readonly entry: string;
  readonly timeout: Duration;
  readonly memoryMb: number;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  readonly description?: string;
  /** Reserved concurrency: a cap for functions no queue bounds (the scheduled starter). */
  readonly reservedConcurrency?: number;
}

export class LeadflowFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The folder under `functions/` (ingest, submit...). */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: LeadflowFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `leadflow ${props.entry} function: only what its catalog entry grants`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs on every group in the account): this group only.
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}functions/${props.entry}/handler.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: props.description ?? `leadflow ${props.entry}`,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
      // Stack traces through the source maps: file and line of the TypeScript, not of the minified bundle.
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Stack traces map to file and line without shipping the sources a second time.
        sourcesContent: false,
        bundleAwsSDK: true,
        externalModules: [],
        banner: REQUIRE_SHIM,
        metafile: true,
        forceDockerBundling: false,
        // zod without its locales and JSON Schema tooling: about 300 KB less per bundle (see bundling/zod-lean.ts).
        esbuildArgs: { '--alias:zod': `${PROJECT_ROOT}infra/bundling/zod.ts` },
      },
    });
  }

  /** The function's timeout in seconds. */
  get timeoutSeconds(): number {
    return this.fn.timeout?.toSeconds() ?? 3;
  }
}
