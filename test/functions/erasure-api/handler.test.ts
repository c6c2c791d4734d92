import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { apiRequestOf } from '../../../functions/erasure-api/handler';

function event(overrides: Partial<APIGatewayProxyEventV2> & { stage?: string; userArn?: string }): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: overrides.rawPath ?? '/erasure-requests',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: overrides.isBase64Encoded ?? false,
    ...(overrides.body !== undefined && { body: overrides.body }),
    ...(overrides.queryStringParameters && { queryStringParameters: overrides.queryStringParameters }),
    requestContext: {
      accountId: '1',
      apiId: 'x',
      domainName: 'x.lambda-url.ap-southeast-2.on.aws',
      domainPrefix: 'x',
      http: { method: 'POST', path: overrides.rawPath ?? '/erasure-requests', protocol: 'HTTP/1.1', sourceIp: '1.2.3.4', userAgent: 'test' },
      requestId: 'r',
      routeKey: '$default',
      stage: overrides.stage ?? '$default',
      time: '',
      timeEpoch: 0,
      ...(overrides.userArn && { authorizer: { iam: { userArn: overrides.userArn } } }),
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

describe('erasure-api event adapter', () => {
  it('takes the IAM principal as the actor, the body (base64 or not) and the query', () => {
    const request = apiRequestOf(
      event({ body: Buffer.from('{"phone":"0412345678"}').toString('base64'), isBase64Encoded: true, userArn: 'arn:aws:sts::1:assumed-role/privacy/jo', queryStringParameters: { status: 'failed' } }),
    );
    expect(request).toEqual({ method: 'POST', path: '/erasure-requests', query: { status: 'failed' }, body: '{"phone":"0412345678"}', actor: 'arn:aws:sts::1:assumed-role/privacy/jo' });
  });

  it('drops an API Gateway stage prefix from the path and names an unknown principal', () => {
    const request = apiRequestOf(event({ rawPath: '/prod/erasure-requests/er00000000000000000001', stage: 'prod' }));
    expect(request.path).toBe('/erasure-requests/er00000000000000000001');
    expect(request.actor).toBe('unknown-principal');
  });
});
