/**
 * The middy stack every API function shares: the Powertools logger first, then the request guard (route,
 * principal, role, size, content type, JSON), the function's own operation last, and the error
 * mapping as the final middleware.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  DependencyUnavailableError,
  ForbiddenRoleError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/domain/errors';
import type { OfficeLanguage } from '#shared/domain/handling-office';
import type { Principal } from '#shared/domain/principal';
import { errorPayload } from '#shared/http/error-response';
import { anonymous, principalFromClaims } from '#shared/http/principal';
import { type ApiRoute, apiRoutes, type OperationId, routeKey } from '#shared/http/routes';
import { logger } from '#shared/observability/logger';

/** Bodies over 32 KiB are rejected before they are parsed. */
export const maxBodyBytes = 32 * 1024;

export interface ApiRequest {
  route: ApiRoute;
  principal: Principal;
  body: unknown;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The caller's language from Accept-Language: English when it prefers English, Chinese otherwise. */
  language: OfficeLanguage;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Set for non-JSON bodies (e.g. CSV); `body` is then sent as it is. */
  rawBody?: string;
}

export type Operation = (request: ApiRequest) => Promise<ApiResponse>;

/** Sent with every API answer, by the handlers and by the gateway's own refusals alike. */
export const securityHeaders = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

const respond = (response: ApiResponse): APIGatewayProxyResult => ({
  statusCode: response.status,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    ...securityHeaders,
    ...response.headers,
  },
  body: response.rawBody ?? JSON.stringify(response.body),
});

const routesByKey = new Map<string, ApiRoute>(apiRoutes.map((route) => [routeKey(route), route]));

const lowerCaseKeys = (record: Record<string, string | undefined> | null): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {}))
    if (value !== undefined) out[key.toLowerCase()] = value;
  return out;
};

const definedValues = (record: Record<string, string | undefined> | null): Record<string, string> =>
  Object.fromEntries(
    Object.entries(record ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

/** A file body's bytes, as the route's `upload` allows them; the operation reads the file itself. */
const readUpload = (
  event: APIGatewayProxyEvent,
  headers: Record<string, string>,
  upload: NonNullable<ApiRoute['upload']>,
): Buffer => {
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (!contentType || !upload.mediaTypes.includes(contentType)) {
    throw new UnsupportedMediaTypeError(`Send the file as ${upload.mediaTypes.join(' or ')}`);
  }
  const body = event.body ?? '';
  const bytes = Buffer.byteLength(body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes > upload.maxBytes) {
    throw new PayloadTooLargeError(`The file is ${bytes} bytes; at most ${upload.maxBytes} are accepted`);
  }
  return Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8');
};

const readBody = (event: APIGatewayProxyEvent, headers: Record<string, string>): unknown => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  // Counted without copying; only a base64 body is decoded, and only once it is known to be small.
  const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes > maxBodyBytes) {
    throw new PayloadTooLargeError(`The body is ${bytes} bytes; at most ${maxBodyBytes} are accepted`);
  }
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new UnsupportedMediaTypeError('Send the body as application/json');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ValidationError(
      'The body is not valid JSON',
      [{ path: '', code: 'malformed_json', message: 'malformed JSON' }],
      {
        cause,
      },
    );
  }
};

/**
 * Chinese unless the caller's first language is English: the campaign serves Chinese enterprises and
 * officials, and a client that names no language gets Chinese.
 */
export const languageOf = (acceptLanguage: string | undefined): OfficeLanguage =>
  acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh-CN';

/** Resolves the route, the caller and the body, and refuses what the route does not allow. */
export const toApiRequest = (event: APIGatewayProxyEvent): ApiRequest => {
  const route = routesByKey.get(`${event.httpMethod} ${event.resource}`);
  if (!route) throw new NotFoundError(`No route ${event.httpMethod} ${event.resource}`);
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const principal = route.access === 'public' && !claims ? anonymous : principalFromClaims(claims);
  if (route.access !== 'public') {
    if (principal.role === 'anonymous') throw new UnauthenticatedError('Sign in to use this operation');
    if (!(route.access as readonly string[]).includes(principal.role)) {
      throw new ForbiddenRoleError(`The ${principal.role} role may not ${route.summary.toLowerCase()}`);
    }
  }
  const headers = lowerCaseKeys(event.headers);
  return {
    route,
    principal,
    headers,
    language: languageOf(headers['accept-language']),
    body: route.upload ? readUpload(event, headers, route.upload) : readBody(event, headers),
    pathParameters: definedValues(event.pathParameters),
    query: definedValues(event.queryStringParameters),
  };
};

const errorMapping = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    const { status, headers, body } = errorPayload(request.error);
    request.response = respond({ status, headers, body });
  },
});

/** Builds the Lambda handler of an API function from the operations it serves. */
export const apiHandler = (operations: Partial<Record<OperationId, Operation>>) =>
  middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>({
    // A request still running when the function is about to time out (a slow dependency) is answered
    // 503 with Retry-After while there is time to answer: every write is idempotent, so the retry is
    // safe, whereas a 500 or the gateway's own timeout would read as a failure of ours.
    timeoutEarlyInMillis: 500,
    timeoutEarlyResponse: () => {
      throw new DependencyUnavailableError(
        'The request took too long to complete; please retry (repeating the request is safe)',
      );
    },
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(errorMapping())
    .handler(async (event) => {
      const request = toApiRequest(event);
      const operation = operations[request.route.operationId as OperationId];
      if (!operation) throw new NotFoundError(`This function does not serve ${request.route.operationId}`);
      logger.appendKeys({ operation: request.route.operationId, role: request.principal.role });
      return respond(await operation(request));
    });
