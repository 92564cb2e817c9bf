/**
 * The local stand-in for the REST API: it matches the same routes, checks the bearer token as the
 * Cognito authorizer would, builds the same proxy event (claims as strings under
 * `requestContext.authorizer.claims`) and calls the same handler in-process.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { deflate, gzip } from 'node:zlib';
import type {
  APIGatewayEventIdentity,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import { acceptsEncoding } from '#infra/local/content-encoding';
import { lambdaContext } from '#infra/local/lambda-context';
import { readBodyUpTo } from '#infra/local/requests';
import { apiMinCompressionBytes, type FunctionDescription, type RouteDescription } from '#infra/system';
import type { FieldIssue } from '#shared/domain/errors';
import { securityHeaders } from '#shared/http/api-handler';
import { binaryMediaTypes } from '#shared/http/routes';

/** The caller as API Gateway describes it behind a Cognito user-pool authorizer: an address, an agent, no IAM identity. */
export const callerIdentity = (sourceIp: string, userAgent: string | null): APIGatewayEventIdentity => ({
  sourceIp,
  userAgent,
  accessKey: null,
  accountId: null,
  apiKey: null,
  apiKeyId: null,
  caller: null,
  clientCert: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  user: null,
  userArn: null,
});

export type ApiLambda = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The content codings API Gateway compresses answers with, in its order of preference. */
const gatewayEncodings = ['gzip', 'deflate'] as const;
const gzipped = promisify(gzip);
const deflated = promisify(deflate);

/** API Gateway's own payload limit; the handlers enforce the API's much smaller one. */
const gatewayMaxBodyBytes = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDescription;
  pattern: RegExp;
  parameterNames: string[];
}

const compile = (route: RouteDescription): CompiledRoute => {
  const parameterNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), parameterNames };
};

const gatewayError = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details?: FieldIssue[],
) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...securityHeaders });
  res.end(JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } }));
};

/** A path segment decoded, or undefined when its percent-encoding is malformed (`%ZZ`, `a%`). */
const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * Counts the requests of each client address to each rate-limited route in fixed one-minute windows,
 * as the WAF rate-based rule does on AWS; answers how many seconds are left to wait, or 0 to go on.
 */
export class AddressRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  secondsToWait(route: string, address: string, perMinute: number): number {
    const now = this.now();
    const key = `${route} ${address}`;
    const window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      if (this.windows.size >= 10_000) this.forgetEnded(now);
      this.windows.set(key, { startedAt: now, count: 1 });
      return 0;
    }
    window.count += 1;
    return window.count <= perMinute ? 0 : Math.ceil((window.startedAt + 60_000 - now) / 1000);
  }

  private forgetEnded(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(key);
  }
}

export interface LocalApiGatewayOptions {
  routes: readonly RouteDescription[];
  functions: readonly FunctionDescription[];
  handlers: ReadonlyMap<string, ApiLambda>;
  /** Returns the claims of a valid token, as the Cognito authorizer does. */
  verifyToken: (token: string) => Promise<Record<string, string> | undefined>;
  /** Per-address limits of the routes that set `requestsPerMinutePerAddress`; on unless false. */
  rateLimits?: boolean;
}

export const localApiGateway = (options: LocalApiGatewayOptions) => {
  const compiled = options.routes.map(compile);
  const functionsByName = new Map(options.functions.map((fn) => [fn.name, fn]));
  const limiter = new AddressRateLimiter();

  /** Answers the request if it is an API route; returns false to let the caller try other handlers. */
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') return false;
    const method = req.method ?? 'GET';
    const matches = compiled.filter((candidate) => candidate.pattern.test(url.pathname));
    const match = matches.find((candidate) => candidate.route.method === method);
    if (!match) {
      if (matches.length > 0) gatewayError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here`);
      else gatewayError(res, 404, 'NOT_FOUND', `No route ${method} ${url.pathname}`);
      return true;
    }
    const { route, pattern, parameterNames } = match;
    const address = req.socket.remoteAddress ?? '127.0.0.1';
    if (route.requestsPerMinutePerAddress && options.rateLimits !== false) {
      const wait = limiter.secondsToWait(route.operationId, address, route.requestsPerMinutePerAddress);
      if (wait > 0) {
        res.setHeader('retry-after', String(wait));
        gatewayError(res, 429, 'THROTTLED', 'Too many requests from this address; retry later.');
        return true;
      }
    }

    let claims: Record<string, string> | undefined;
    if (route.access !== 'public') {
      const authorization = req.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
      claims = token ? await options.verifyToken(token) : undefined;
      if (!claims) {
        gatewayError(res, 401, 'UNAUTHENTICATED', 'Sign in: a valid bearer token is required');
        return true;
      }
    }

    const body = await readBodyUpTo(req, res, gatewayMaxBodyBytes);
    if (body === undefined) {
      gatewayError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
      return true;
    }

    const values = pattern.exec(url.pathname)?.slice(1) ?? [];
    const decoded = parameterNames.map((name, i) => [name, decodeSegment(values[i] ?? '')] as const);
    const malformed = decoded.filter(([, value]) => value === undefined).map(([name]) => name);
    if (malformed.length > 0) {
      gatewayError(
        res,
        400,
        'VALIDATION_FAILED',
        'The path is not valid percent-encoding',
        malformed.map((name) => ({
          path: name,
          code: 'invalid_format',
          params: { format: 'percent_encoding' },
          message: 'malformed percent-encoding',
        })),
      );
      return true;
    }
    const pathParameters = Object.fromEntries(decoded);
    // Null-prototype maps: a header or parameter named `__proto__` or `constructor` is plain data.
    const headers: Record<string, string> = Object.create(null);
    const multiValueHeaders: Record<string, string[]> = Object.create(null);
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string;
      const value = req.rawHeaders[i + 1] as string;
      headers[name] = value;
      multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
    }
    const query: Record<string, string> = Object.create(null);
    const multiQuery: Record<string, string[]> = Object.create(null);
    for (const [name, value] of url.searchParams) {
      query[name] = value;
      multiQuery[name] = [...(multiQuery[name] ?? []), value];
    }
    const hasQuery = url.searchParams.size > 0;
    // As API Gateway does for the API's binary media types: the bytes, base64-encoded.
    const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? '';
    const binary = binaryMediaTypes.includes(mediaType);
    const requestId = randomUUID();
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: hasQuery ? query : null,
      multiValueQueryStringParameters: hasQuery ? multiQuery : null,
      pathParameters: parameterNames.length > 0 ? pathParameters : null,
      stageVariables: null,
      body: body.length > 0 ? body.toString(binary ? 'base64' : 'utf8') : null,
      isBase64Encoded: binary && body.length > 0,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: claims ? { claims } : null,
        httpMethod: method,
        path: `/local${url.pathname}`,
        protocol: 'HTTP/1.1',
        requestId,
        requestTimeEpoch: Date.now(),
        resourceId: route.operationId,
        resourcePath: route.path,
        stage: 'local',
        identity: callerIdentity(address, req.headers['user-agent'] ?? null),
      },
    };

    const description = functionsByName.get(route.function);
    const handler = options.handlers.get(route.function);
    if (!description || !handler) {
      gatewayError(res, 502, 'BAD_GATEWAY', `No handler for ${route.function}`);
      return true;
    }
    let result: APIGatewayProxyResult;
    try {
      result = await handler(
        event,
        lambdaContext(description.name, description.timeoutSeconds, description.memoryMiB),
      );
    } catch {
      // On AWS an unhandled Lambda error is a bare 502 from the gateway.
      gatewayError(res, 502, 'BAD_GATEWAY', 'The function failed');
      return true;
    }
    res.statusCode = result.statusCode;
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
      res.setHeader(name, values.map(String));
    res.setHeader('x-amzn-requestid', requestId);
    const payload = Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
    // As API Gateway with a minimum compression size: gzip or deflate, as the caller accepts.
    const encoding =
      payload.length >= apiMinCompressionBytes
        ? gatewayEncodings.find((candidate) => acceptsEncoding(req.headers['accept-encoding'], candidate))
        : undefined;
    if (!encoding) {
      res.end(payload);
      return true;
    }
    const compressed = await (encoding === 'gzip' ? gzipped(payload) : deflated(payload));
    res.setHeader('content-encoding', encoding);
    res.setHeader('vary', 'accept-encoding');
    res.end(compressed);
    return true;
  };
};
