/**
 * The local gateway compresses answers as API Gateway does with a minimum compression size: gzip (or
 * deflate) from 1 KiB on, only for a caller that accepts it, and nothing smaller.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApiGateway } from '#infra/local/api-gateway';
import { apiMinCompressionBytes, functions, routes } from '#infra/system';

const route = routes.find((candidate) => candidate.access === 'public' && candidate.method === 'GET');
let answerBytes = 0;
let server: Server;

beforeAll(async () => {
  if (!route) throw new Error('no public GET route');
  const gateway = localApiGateway({
    routes: [route],
    functions,
    handlers: new Map([
      [
        route.function,
        async () => ({
          statusCode: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ padding: 'x'.repeat(answerBytes) }),
        }),
      ],
    ]),
    verifyToken: async () => undefined,
    rateLimits: false,
  });
  server = createServer((req, res) => void gateway(req, res));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
});

afterAll(() => new Promise((closed) => server?.close(closed)));

/** The raw answer, bytes as sent (node:http decompresses nothing). */
const get = (acceptEncoding?: string) =>
  new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const path = (route?.path ?? '').replace(/\{\w+\}/g, 'x');
    const { port } = server.address() as AddressInfo;
    request(
      { host: '127.0.0.1', port, path, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    )
      .on('error', reject)
      .end();
  });

describe('the local gateway', () => {
  it('sends a large answer gzip-compressed to a caller that accepts gzip', async () => {
    // Arrange
    answerBytes = 20 * apiMinCompressionBytes;

    // Act
    const { headers, body } = await get('gzip, deflate, br');

    // Assert
    expect(headers['content-encoding']).toBe('gzip');
    expect(body.length).toBeLessThan(apiMinCompressionBytes);
    expect(JSON.parse(gunzipSync(body).toString('utf8'))).toEqual({ padding: 'x'.repeat(answerBytes) });
  });

  it('sends it as it is to a caller that names no encoding', async () => {
    // Arrange
    answerBytes = 20 * apiMinCompressionBytes;

    // Act
    const { headers, body } = await get();

    // Assert
    expect(headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(body.toString('utf8'))).toEqual({ padding: 'x'.repeat(answerBytes) });
  });

  it('sends an answer under the minimum as it is, whatever the caller accepts', async () => {
    // Arrange
    answerBytes = 100;

    // Act
    const { headers, body } = await get('gzip');

    // Assert
    expect(headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(body.toString('utf8'))).toEqual({ padding: 'x'.repeat(answerBytes) });
  });

  it('honours a refusal of gzip (q=0) by falling back to deflate', async () => {
    // Arrange
    answerBytes = 20 * apiMinCompressionBytes;

    // Act
    const { headers } = await get('gzip;q=0, deflate');

    // Assert
    expect(headers['content-encoding']).toBe('deflate');
  });
});
