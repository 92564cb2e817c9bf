/**
 * Reads S3 objects with a SigV4-signed GET made of the AWS SDK's own parts (its signer, credential
 * provider, partition table and HTTP handler) but not the S3 client: the case view reads one anchored
 * head per request, and the client (S3's XML protocol, its schemas, checksums: about 165 KiB) took
 * the cases function past its 500 KiB bundle budget (`npm run bench -- bundles`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { partition } from '@aws-sdk/core/client';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { callDependency } from '#shared/adapters/aws-errors';
import { ConfigurationError } from '#shared/config';
import { DependencyUnavailableError } from '#shared/domain/errors';

/** What S3 answered instead of the object: the status and S3's error code. */
export class S3ObjectReadError extends Error {
  constructor(
    readonly statusCode: number,
    readonly s3Code: string | undefined,
    key: string,
  ) {
    super(`S3 answered ${[statusCode, s3Code].filter(Boolean).join(' ')} to GET ${key}`);
    this.name = 'S3ObjectReadError';
  }
}

export interface S3ObjectReaderOptions {
  bucket: string;
  /** Lambda's AWS_REGION unless given, as the SDK's clients read it. */
  region?: string;
  /** An S3-compatible server's address, the bucket named in the path; S3's own virtual host when absent. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** How long one try may wait for S3's answer, body included (3 s unless given). */
  answerWithinMs?: number;
  /** The SDK's Node handler unless given (tests give a recording one). */
  http?: Pick<NodeHttpHandler, 'handle'>;
}

// Each key segment escaped once as RFC 3986 asks; S3 signs the path as sent (no second escaping).
const escapeKey = (key: string) =>
  key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

const errorCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

/** S3 asks clients to retry 500 InternalError and 503 SlowDown; the SDK client would, once and soon. */
const retryAfterMs = 100;

export class S3ObjectReader {
  private readonly signer: SignatureV4;
  private readonly http: Pick<NodeHttpHandler, 'handle'>;
  private readonly origin: { protocol: string; hostname: string; port?: number; pathPrefix: string };

  constructor(options: S3ObjectReaderOptions) {
    const region = options.region ?? process.env.AWS_REGION;
    if (!region) throw new ConfigurationError('S3ObjectReader needs a region: set AWS_REGION');
    this.signer = new SignatureV4({
      service: 's3',
      region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: false,
    });
    // A case view waits on this read: a slow S3 answers 503 (retry) well inside the function's 10 s.
    const answerWithinMs = options.answerWithinMs ?? 3_000;
    this.http =
      options.http ??
      new NodeHttpHandler({
        connectionTimeout: 1_000,
        requestTimeout: answerWithinMs,
        throwOnRequestTimeout: true,
        socketTimeout: answerWithinMs,
      });
    if (options.endpoint) {
      const url = new URL(options.endpoint);
      this.origin = {
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        pathPrefix: `${url.pathname.replace(/\/$/, '')}/${options.bucket}`,
      };
    } else {
      this.origin = {
        protocol: 'https:',
        hostname: `${options.bucket}.s3.${region}.${partition(region).dnsSuffix}`,
        pathPrefix: '',
      };
    }
  }

  /** The object's text, or undefined when the bucket has no such key. */
  async get(key: string): Promise<string | undefined> {
    try {
      return await this.getOnce(key);
    } catch (error) {
      if (!(error instanceof DependencyUnavailableError)) throw error;
      await sleep(retryAfterMs);
      return this.getOnce(key);
    }
  }

  private async getOnce(key: string): Promise<string | undefined> {
    const { protocol, hostname, port, pathPrefix } = this.origin;
    const request = new HttpRequest({
      method: 'GET',
      protocol,
      hostname,
      ...(port === undefined ? {} : { port }),
      path: `${pathPrefix}/${escapeKey(key)}`,
      headers: { host: port === undefined ? hostname : `${hostname}:${port}` },
    });
    // The body is read inside the call too: a reset or a stall mid-body is as transient as one before it.
    const { statusCode, text } = await callDependency('S3', async () => {
      const { response } = await this.http.handle(new HttpRequest(await this.signer.sign(request)));
      return {
        statusCode: response.statusCode,
        text: Buffer.from(await streamCollector(response.body)).toString('utf8'),
      };
    });
    if (statusCode === 200) return text;
    const code = errorCode(text);
    if (statusCode === 404 && code === 'NoSuchKey') return undefined;
    const refusal = new S3ObjectReadError(statusCode, code, key);
    if (statusCode >= 500 || statusCode === 429) {
      throw new DependencyUnavailableError(
        'S3 is unavailable right now; please retry (repeating the request is safe)',
        { cause: refusal },
      );
    }
    throw refusal;
  }
}
