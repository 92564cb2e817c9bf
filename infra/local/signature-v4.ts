/**
 * Checks AWS Signature Version 4 on a request to a local endpoint, as the AWS service would: the
 * canonical request is rebuilt from the method, path, query, the signed headers and the hash of the
 * body actually received, and signed with the one secret this endpoint knows. Only header-signed
 * requests (what the SDK sends) are accepted, never presigned URLs or unsigned payloads.
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

  const signedHeaders = signedHeaderList.split(';');
  const sortedAndUnique = signedHeaders.every(
    (name, i) => i === 0 || (signedHeaders[i - 1] as string) < name,
  );
  // Host and date must be signed: otherwise a signature could be replayed to another name or later.
  if (!sortedAndUnique || !signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return invalid('SignedHeaders must be sorted and include host and x-amz-date');
  }
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const values = req.headersDistinct[name];
    if (!values) return invalid(`The signed header ${name} is missing`);
    const value = values.map((one) => one.trim().replace(/\s+/g, ' ')).join(',');
    canonicalHeaders.push(`${name}:${value}\n`);
  }

  const payloadHash = sha256Hex(body);
  const declaredHash = req.headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    return invalid('The x-amz-content-sha256 header does not match the body');
  }
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const query = canonicalQuery(queryAt < 0 ? '' : url.slice(queryAt + 1));
  if (query === undefined) return invalid('The query is not valid percent-encoding');
  const canonicalRequest = [
    req.method ?? '',
    canonicalPath(queryAt < 0 ? url : url.slice(0, queryAt)),
    query,
    canonicalHeaders.join(''),
    signedHeaderList,
    payloadHash,
  ].join('\n');

  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [scopeDate, region, service, 'aws4_request'].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${credentials.secretAccessKey}`),
  );
  const expected = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return invalid('The request signature does not match the signature calculated with the secret');
  }
  return undefined;
};
