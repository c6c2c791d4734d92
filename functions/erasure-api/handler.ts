/**
 * erasure-api: the privacy team's HTTP API (routes in `shared/erasure/http-api.ts`, bodies in the
 * README), behind IAM authentication: an API Gateway HTTP API route with the AWS_IAM authorizer, or a
 * Lambda function URL with `AuthType: AWS_IAM`. Both deliver the payload-format-2.0 event; the caller's
 * IAM principal (`requestContext.authorizer.iam.userArn`) goes into the audit trail as who asked.
 *
 * Stack: needs `ERASURE_QUEUE_URL` (intake and retry send), `STATE_TABLE_NAME`, `BUCKET_NAME`, the
 * tenant, `IPSCAPE_API_KEY_SECRET_ID` (the runtime builds the client, never calls it here),
 * `DEDUPE_SECRET_ID`, optional `ERASURE_SETTINGS`. IAM: table read/write, SendMessage on the erasure
 * queue, the secrets. No S3, no ipSCAPE.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Erasure } from '../../shared/erasure/erasure';
import type { ApiRequest } from '../../shared/erasure/http-api';
import { deployedErasure } from '../../shared/lambda/deployed-erasure';
import { METRIC_NAMESPACE } from '../../shared/lambda/sqs-handler';
import { powertoolsTelemetry } from '../../shared/observability/powertools-telemetry';
import type { Telemetry } from '../../shared/observability/telemetry';

/** The IAM principal of a payload-2.0 event (API Gateway IAM authorizer or function URL). */
export function actorOf(event: APIGatewayProxyEventV2): string {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string; callerId?: string } } }).authorizer?.iam;
  return iam?.userArn ?? iam?.callerId ?? 'unknown-principal';
}

/** The API request of an event; the stage prefix of an HTTP API (`/prod/...`) is not part of the route. */
export function apiRequestOf(event: APIGatewayProxyEventV2): ApiRequest {
  const body = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const stage = event.requestContext.stage && event.requestContext.stage !== '$default' ? `/${event.requestContext.stage}` : '';
  const path = stage && event.rawPath.startsWith(`${stage}/`) ? event.rawPath.slice(stage.length) : event.rawPath;
  return { method: event.requestContext.http.method, path, query: event.queryStringParameters ?? {}, body, actor: actorOf(event) };
}

/** Builds the handler around a runtime (deployed by default). */
export function createErasureApiHandler(
  runtime: (telemetry: Telemetry) => Promise<Erasure> = deployedErasure,
  powertools: { logger?: Logger; metrics?: Metrics } = {},
) {
  const logger = powertools.logger ?? new Logger({ serviceName: 'erasure-api' });
  const metrics = powertools.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'erasure-api' });
  const telemetry = powertoolsTelemetry(logger, metrics);
  let built: Promise<Erasure> | undefined;
  const base = async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    built ??= runtime(telemetry).catch((error) => {
      built = undefined;
      throw error;
    });
    const response = await (await built).api(apiRequestOf(event));
    return { statusCode: response.status, headers: response.headers, body: response.body };
  };
  return middy(base).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

export const handler = createErasureApiHandler();
