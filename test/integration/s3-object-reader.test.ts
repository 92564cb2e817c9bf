/**
 * `S3ObjectReader` (a SigV4-signed GET without the S3 client) against the local runtime's S3 gateway,
 * which checks signatures as S3 does, and against servers answering as a failing S3 would.
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/core/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchoredHeadKey } from '#shared/adapters/anchor-keys';
import { S3Bucket } from '#shared/adapters/s3-bucket';
import {
  S3ObjectReadError,
  S3ObjectReader,
  type S3ObjectReaderOptions,
} from '#shared/adapters/s3-object-reader';
import { DependencyUnavailableError } from '#shared/domain/errors';
import { type LoopbackObjectStorage, startLoopbackObjectStorage } from '#test/support/object-storage';

const bucket = 'anchors-read';
const credentials = { accessKeyId: 'reader-key', secretAccessKey: 'reader-secret' };
let local: LoopbackObjectStorage;
let s3: S3Client;

beforeAll(async () => {
  local = await startLoopbackObjectStorage({ bucket, credentials, region: 'cn-north-1' });
  s3 = local.s3;
});

afterAll(async () => {
  await local?.stop();
});

const reader = (
  options: { bucket?: string; secretAccessKey?: string; endpoint?: string; answerWithinMs?: number } = {},
) =>
  new S3ObjectReader({
    bucket: options.bucket ?? bucket,
    region: 'cn-north-1',
    endpoint: options.endpoint ?? local.endpoint,
    ...(options.answerWithinMs ? { answerWithinMs: options.answerWithinMs } : {}),
    credentials: {
      ...credentials,
      ...(options.secretAccessKey ? { secretAccessKey: options.secretAccessKey } : {}),
    },
  });

/** A loopback server answering every request as `answer` says. */
const answering = async (answer: Parameters<typeof createServer>[1]) => {
  const server = createServer(answer);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closeAllConnections: () => server.closeAllConnections(),
    close: () => new Promise((closed) => server.close(closed)),
  };
};

/** S3's answer when one prefix takes too many requests. */
const slowDown = (response: ServerResponse) => {
  response.writeHead(503, { 'content-type': 'application/xml' });
  response.end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
};

describe('S3ObjectReader', () => {
  it('reads an object the S3 client wrote, its key escaped and signed as S3 expects', async () => {
    // Arrange
    const key = anchoredHeadKey("case:a b(1)'s");
    await new S3Bucket(s3, bucket).put(key, '{"seq":7}');

    // Act
    const text = await reader().get(key);

    // Assert
    expect(text).toBe('{"seq":7}');
  });

  it('answers undefined for a key the bucket does not hold', async () => {
    // Act
    const text = await reader().get('heads/never-written.json');

    // Assert
    expect(text).toBeUndefined();
  });

  it('refuses, rather than answering "no such key", when the bucket itself is missing', async () => {
    // Act
    const read = reader({ bucket: 'no-such-bucket' }).get('heads/any.json');

    // Assert
    await expect(read).rejects.toMatchObject({
      name: S3ObjectReadError.name,
      statusCode: 404,
      s3Code: 'NoSuchBucket',
    });
  });

  it('refuses a read whose signature S3 rejects, naming the refusal', async () => {
    // Arrange
    await new S3Bucket(s3, bucket).put('heads/signed.json', '{}');

    // Act
    const read = reader({ secretAccessKey: 'not-the-secret' }).get('heads/signed.json');

    // Assert
    await expect(read).rejects.toMatchObject({
      name: S3ObjectReadError.name,
      statusCode: 403,
      s3Code: 'SignatureDoesNotMatch',
    });
  });

  it('tries once more when S3 is slowing down, and reads the object then', async () => {
    // Arrange: S3's answer when a prefix takes too many requests, once
    let requests = 0;
    const slowOnce = await answering((_request, response) => {
      requests += 1;
      if (requests === 1) slowDown(response);
      else response.writeHead(200).end('{"seq":1}');
    });

    // Act
    const text = await reader({ endpoint: slowOnce.endpoint }).get('heads/any.json');

    // Assert
    await slowOnce.close();
    expect(text).toBe('{"seq":1}');
    expect(requests).toBe(2);
  });

  it('answers "retry later" when S3 is still slowing down on the second try', async () => {
    // Arrange
    let requests = 0;
    const slow = await answering((_request, response) => {
      requests += 1;
      slowDown(response);
    });

    // Act
    const error = await reader({ endpoint: slow.endpoint })
      .get('heads/any.json')
      .catch((failure: unknown) => failure);

    // Assert
    await slow.close();
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ cause: { statusCode: 503, s3Code: 'SlowDown' } });
    expect(requests).toBe(2);
  });

  it('answers "retry later" when S3 accepts the request but never answers', async () => {
    // Arrange: a server that holds every request open
    const silent = await answering(() => undefined);

    // Act
    const error = await reader({ endpoint: silent.endpoint, answerWithinMs: 200 })
      .get('heads/any.json')
      .catch((failure: unknown) => failure);

    // Assert
    silent.closeAllConnections();
    await silent.close();
    expect(error).toBeInstanceOf(DependencyUnavailableError);
  });

  it('answers "retry later" when S3 stalls half-way through the body', async () => {
    // Arrange: the status and part of the body, then nothing
    const stalling = await answering((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"seq":');
    });

    // Act
    const error = await reader({ endpoint: stalling.endpoint, answerWithinMs: 200 })
      .get('heads/any.json')
      .catch((failure: unknown) => failure);

    // Assert
    stalling.closeAllConnections();
    await stalling.close();
    expect(error).toBeInstanceOf(DependencyUnavailableError);
  });

  it('answers "retry later" when S3 cannot be reached', async () => {
    // Arrange: a port that was free a moment ago refuses the connection
    const gone = await answering(() => undefined);
    await gone.close();

    // Act
    const read = reader({ endpoint: gone.endpoint }).get('heads/any.json');

    // Assert
    await expect(read).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it("addresses the bucket's own host in the region's partition when no endpoint is given", async () => {
    // Arrange
    const { objects, sent } = recording({ region: 'cn-northwest-1', credentials });

    // Act
    await objects.get('heads/case-1.json');

    // Assert
    expect(sent[0]).toMatchObject({
      protocol: 'https:',
      hostname: 'fee-campaign-audit-anchors.s3.cn-northwest-1.amazonaws.com.cn',
      path: '/heads/case-1.json',
    });
    expect(sent[0]?.headers.authorization).toMatch(/\/cn-northwest-1\/s3\/aws4_request/);
  });

  it("signs the Lambda role's session token and the payload hash S3 requires", async () => {
    // Arrange
    const { objects, sent } = recording({
      region: 'us-east-1',
      credentials: { ...credentials, sessionToken: 'role-session-token' },
    });

    // Act
    await objects.get('heads/case-1.json');

    // Assert
    const headers = sent[0]?.headers ?? {};
    expect(headers['x-amz-security-token']).toBe('role-session-token');
    expect(headers['x-amz-content-sha256']).toBe(createHash('sha256').update('').digest('hex'));
    expect(headers.authorization).toMatch(
      /SignedHeaders=[^,]*x-amz-content-sha256;x-amz-date;x-amz-security-token/,
    );
  });
});

/** A reader of S3 itself whose requests are recorded and answered at once. */
const recording = (options: Pick<S3ObjectReaderOptions, 'region' | 'credentials'>) => {
  const sent: { protocol: string; hostname: string; path: string; headers: Record<string, string> }[] = [];
  const objects = new S3ObjectReader({
    bucket: 'fee-campaign-audit-anchors',
    ...options,
    http: {
      handle: async (request) => {
        sent.push(request);
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from(['{}']) }) };
      },
    },
  });
  return { objects, sent };
};
