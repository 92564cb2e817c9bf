/**
 * Checks AWS Signature Version 4 on a request to a local endpoint, as the AWS service would: the
 * canonical request is rebuilt from the method, path, query, the signed headers and the hash of the
 * body actually received, and signed with the one secret this endpoint knows. The Step Functions
 * endpoint accepts header-signed requests with a signed payload only (what the SDK sends); the S3
 * gateway also accepts S3's unsigned payloads and presigned links (`presignedLinkRefusal`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignatureRefusal {
  /** As the AWS services name it: an unknown key id, or a signature that does not hold. */
  code: 'UnrecognizedClientException' | 'InvalidSignatureException';
  message: string;
}

/** AWS refuses a request whose signing time is further than this from its own clock. */
const maxClockSkewMs = 5 * 60 * 1000;
const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;
const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, upper-case hex. */
const escapeUri = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** The path with `.` and `..` resolved and empty segments dropped, encoded once more (the SDK's rule). */
const canonicalPath = (path: string) => {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
};

/** Every `name=value` decoded and encoded again, sorted; undefined for malformed percent-encoding. */
const canonicalQuery = (query: string): string | undefined => {
  try {
    return query
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const at = pair.indexOf('=');
        const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
        return [escapeUri(decodeURIComponent(name)), escapeUri(decodeURIComponent(value))] as const;
      })
      .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
  } catch {
    return undefined;
  }
};

const parseAmzDate = (value: string): Date | undefined => {
  const parts = amzDatePattern.exec(value);
  if (!parts) return undefined;
  const [, year, month, day, hour, minute, second] = parts;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const invalid = (message: string): SignatureRefusal => ({ code: 'InvalidSignatureException', message });

/** The key SigV4 derives from the secret for one day, region and service. */
export const signingKey = (secretAccessKey: string, scopeDate: string, region: string, service: string) =>
  [scopeDate, region, service, 'aws4_request'].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${secretAccessKey}`),
  );

/** Whether `signature` (hex) is the HMAC of `stringToSign` with the key of this scope; constant time. */
export const signatureHolds = (
  signature: string,
  stringToSign: string,
  credentials: SigningCredentials,
  scope: { date: string; region: string; service: string },
) => {
  const expected = hmac(
    signingKey(credentials.secretAccessKey, scope.date, scope.region, scope.service),
    stringToSign,
  );
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
};

/** How a service canonicalises: S3 signs the path as sent and may leave the payload unsigned. */
export interface SigningRules {
  s3?: boolean;
}

/** The signed headers as SigV4 lists them, or a refusal when one is missing or host is not signed. */
const canonicalHeadersOf = (
  req: IncomingMessage,
  signedHeaderList: string,
  mustSign: readonly string[],
): string | SignatureRefusal => {
  const signedHeaders = signedHeaderList.split(';');
  const sortedAndUnique = signedHeaders.every(
    (name, i) => i === 0 || (signedHeaders[i - 1] as string) < name,
  );
  // Host (and date, when it is a header) must be signed: otherwise a signature could be replayed to
  // another name or later.
  if (!sortedAndUnique || !mustSign.every((name) => signedHeaders.includes(name))) {
    return invalid(`SignedHeaders must be sorted and include ${mustSign.join(' and ')}`);
  }
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const values = req.headersDistinct[name];
    if (!values) return invalid(`The signed header ${name} is missing`);
    const value = values.map((one) => one.trim().replace(/\s+/g, ' ')).join(',');
    canonicalHeaders.push(`${name}:${value}\n`);
  }
  return canonicalHeaders.join('');
};

const pathOf = (url: string, rules: SigningRules) => {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  return rules.s3 ? path : canonicalPath(path);
};

const queryOf = (url: string) => {
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? '' : url.slice(queryAt + 1);
};

/**
 * Why the request is not signed by `credentials` for `service`, or undefined when it is. `body` is the
 * body as received; `now` is the verifier's clock.
 */
export const signatureRefusal = (
  req: IncomingMessage,
  body: Buffer,
  credentials: SigningCredentials,
  service: string,
  now = new Date(),
  rules: SigningRules = {},
): SignatureRefusal | undefined => {
  const authorization = req.headers.authorization;
  if (authorization === undefined) return invalid('Missing Authentication Token');
  const parts = authorizationPattern.exec(authorization);
  if (!parts) return invalid('The Authorization header is not an AWS4-HMAC-SHA256 signature');
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, signature] = parts as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid',
    };
  }
  if (scopeService !== service) return invalid(`Credential should be scoped to the service ${service}`);

  const amzDate = req.headers['x-amz-date'];
  const signedAt = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
  if (!signedAt || amzDate?.slice(0, 8) !== scopeDate) {
    return invalid('The request needs an X-Amz-Date header matching the credential scope');
  }
  if (Math.abs(now.getTime() - signedAt.getTime()) > maxClockSkewMs) {
    return invalid('Signature expired: the request was signed more than 5 minutes from now');
  }

  const canonicalHeaders = canonicalHeadersOf(req, signedHeaderList, ['host', 'x-amz-date']);
  if (typeof canonicalHeaders !== 'string') return canonicalHeaders;

  const declaredHash = req.headers['x-amz-content-sha256'];
  const payloadHash = rules.s3 && declaredHash === 'UNSIGNED-PAYLOAD' ? declaredHash : sha256Hex(body);
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    return invalid('The x-amz-content-sha256 header does not match the body');
  }
  const url = req.url ?? '/';
  const query = canonicalQuery(queryOf(url));
  if (query === undefined) return invalid('The query is not valid percent-encoding');
  const canonicalRequest = [
    req.method ?? '',
    pathOf(url, rules),
    query,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join('\n');

  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  if (!signatureHolds(signature, stringToSign, credentials, { date: scopeDate, region, service })) {
    return invalid('The request signature does not match the signature calculated with the secret');
  }
  return undefined;
};

/** Presigned links live at most a week, as on S3. */
const maxPresignedSeconds = 7 * 24 * 3600;

/**
 * Why a presigned link (SigV4 in the query: `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
 * `X-Amz-SignedHeaders`, `X-Amz-Signature`) is not signed by `credentials` for S3 or has expired, or
 * undefined when it holds. The payload is unsigned, as in every S3 presigned link.
 */
export const presignedLinkRefusal = (
  req: IncomingMessage,
  credentials: SigningCredentials,
  service: string,
  now = new Date(),
): SignatureRefusal | undefined => {
  const url = req.url ?? '/';
  const params = new URLSearchParams(queryOf(url));
  const credential = params.get('X-Amz-Credential')?.split('/') ?? [];
  const [accessKeyId, scopeDate, region, scopeService, terminator] = credential;
  const amzDate = params.get('X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  const expires = Number(params.get('X-Amz-Expires'));
  const signature = params.get('X-Amz-Signature') ?? '';
  const signedHeaderList = params.get('X-Amz-SignedHeaders') ?? '';
  if (
    params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' ||
    credential.length !== 5 ||
    terminator !== 'aws4_request' ||
    !region ||
    !/^[0-9a-f]{64}$/.test(signature)
  ) {
    return invalid('The link is not an AWS4-HMAC-SHA256 presigned link');
  }
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid',
    };
  }
  if (scopeService !== service) return invalid(`Credential should be scoped to the service ${service}`);
  if (!signedAt || amzDate.slice(0, 8) !== scopeDate) {
    return invalid('X-Amz-Date must match the credential scope');
  }
  if (!Number.isInteger(expires) || expires < 1 || expires > maxPresignedSeconds) {
    return invalid('X-Amz-Expires must be between 1 second and a week');
  }
  if (now.getTime() > signedAt.getTime() + expires * 1000) return invalid('Request has expired');

  const canonicalHeaders = canonicalHeadersOf(req, signedHeaderList, ['host']);
  if (typeof canonicalHeaders !== 'string') return canonicalHeaders;
  const query = canonicalQuery(
    queryOf(url)
      .split('&')
      .filter((pair) => !pair.startsWith('X-Amz-Signature='))
      .join('&'),
  );
  if (query === undefined) return invalid('The query is not valid percent-encoding');
  const canonicalRequest = [
    req.method ?? '',
    pathOf(url, { s3: true }),
    query,
    canonicalHeaders,
    signedHeaderList,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  if (!signatureHolds(signature, stringToSign, credentials, { date: scopeDate as string, region, service })) {
    return invalid('The request signature does not match the signature calculated with the secret');
  }
  return undefined;
};
