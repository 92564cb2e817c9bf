/** REST API proxy events as API Gateway builds them behind the Cognito authorizer, for invoking handlers directly. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerIdentity } from '#infra/local/api-gateway';

export const proxyEvent = (options: {
  method: 'GET' | 'POST';
  resource: string;
  path?: string;
  claims?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEvent => {
  const headers = {
    ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  const path = options.path ?? options.resource;
  return {
    resource: options.resource,
    path,
    httpMethod: options.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'reliability',
      authorizer: options.claims ? { claims: options.claims } : null,
      httpMethod: options.method,
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'request-1',
      requestTimeEpoch: 0,
      resourceId: 'resource-1',
      resourcePath: options.resource,
      stage: 'prod',
      identity: callerIdentity('203.0.113.1', 'vitest'),
    },
  };
};
