/**
 * The three S3 calls the audit anchors need (put, get, list), signed with Signature Version 4 over
 * `fetch`. The project does not carry `@aws-sdk/client-s3` for three calls; swapping this class for it
 * changes nothing around it.
 */
import { createHash, createHmac } from 'node:crypto';
import { DependencyUnavailableError } from '#shared/domain/errors';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface S3BucketOptions {
  bucket: string;
  /** Both resolved at each request (the SDK's own providers cache them), so rotated credentials are used. */
  region: () => Promise<string>;
  credentials: () => Promise<S3Credentials>;
  /** Path-style endpoint instead of `https://<bucket>.s3.<region>.amazonaws.com` (tests). */
  endpoint?: string;
  now?: () => Date;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 unreserved characters stay; everything else is percent-encoded, as SigV4 requires. */
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical query string, which is also what is sent: sorted, every name and value encoded. */
const queryString = (query: Record<string, string>) =>
  Object.entries(query)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');

export interface SignableRequest {
  method: string;
  host: string;
  /** Already encoded, starting with `/`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** Signature Version 4 for S3: returns the headers to send, `authorization` included. */
export const signS3Request = (
  request: SignableRequest,
  region: string,
  credentials: S3Credentials,
  now: Date,
): Record<string, string> => {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    host: request.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': sha256Hex(request.body),
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    request.method,
    request.path,
    queryString(request.query),
    ...names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}`),
    '',
    names.join(';'),
    headers['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = ['s3', 'aws4_request'].reduce(
    (key, part) => hmac(key, part),
    hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region),
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
};

export class S3Bucket {
  constructor(private readonly options: S3BucketOptions) {}

  private async send(
    method: 'GET' | 'PUT',
    key: string,
    options: { query?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    const { bucket, endpoint } = this.options;
    const region = await this.options.region();
    const base = new URL(
      endpoint ? `${endpoint.replace(/\/$/, '')}/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`,
    );
    const path = `${base.pathname.replace(/\/$/, '')}/${key.split('/').map(uriEncode).join('/')}`;
    const query = options.query ?? {};
    const body = options.body ?? '';
    const headers = signS3Request(
      { method, host: base.host, path, query, headers: options.headers ?? {}, body },
      region,
      await this.options.credentials(),
      (this.options.now ?? (() => new Date()))(),
    );
    // fetch sets Host itself, from the same URL.
    const { host: _host, ...sent } = headers;
    const search = queryString(query);
    const url = `${base.origin}${path}${search ? `?${search}` : ''}`;
    try {
      return await fetch(url, { method, headers: sent, ...(method === 'PUT' ? { body } : {}) });
    } catch (cause) {
      throw new DependencyUnavailableError('S3 is unavailable right now; please retry', { cause });
    }
  }

  private async failure(response: Response, what: string): Promise<never> {
    const detail = (await response.text()).match(/<Code>([^<]*)<\/Code>/)?.[1] ?? '';
    const message = `S3 ${what} failed: ${response.status} ${detail}`.trim();
    if (response.status >= 500 || response.status === 429) throw new DependencyUnavailableError(message);
    throw new Error(message);
  }

  /** Writes the object; with `onlyIfAbsent`, answers false instead when the key is already taken. */
  async put(key: string, body: string, options: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const response = await this.send('PUT', key, {
      body,
      headers: {
        'content-type': 'application/json',
        // Object Lock buckets refuse writes without an integrity header.
        'content-md5': createHash('md5').update(body).digest('base64'),
        ...(options.onlyIfAbsent ? { 'if-none-match': '*' } : {}),
      },
    });
    // 412: the key exists; 409: a concurrent conditional write to the same key won.
    if (options.onlyIfAbsent && (response.status === 412 || response.status === 409)) return false;
    if (!response.ok) return this.failure(response, `PUT ${key}`);
    await response.arrayBuffer();
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    const response = await this.send('GET', key);
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    if (!response.ok) return this.failure(response, `GET ${key}`);
    return response.text();
  }

  /** Keys under the prefix in key order, all of them or the first `limit`. */
  async list(prefix: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = {
        'list-type': '2',
        prefix,
        'max-keys': String(Math.min(1000, limit - keys.length)),
        ...(token ? { 'continuation-token': token } : {}),
      };
      const response = await this.send('GET', '', { query });
      if (!response.ok) return this.failure(response, `LIST ${prefix}`);
      const xml = await response.text();
      keys.push(...[...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => unescapeXml(match[1] ?? '')));
      token = xml.match(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/)?.[1];
      token = token === undefined ? undefined : unescapeXml(token);
    } while (token && keys.length < limit);
    return keys;
  }
}

const unescapeXml = (text: string) =>
  text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '',
  );
