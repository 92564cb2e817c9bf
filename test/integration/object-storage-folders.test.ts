/**
 * The local evidence bucket under concurrent writes and deletes in one folder, as the screener (which
 * deletes a screened upload) and further uploads of the same enterprise (the same `incoming/<owner>/`
 * folder) do at once. s3rver prunes a folder it has emptied; a write into that folder at that moment
 * must still succeed, and must never take the process down.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ObjectStorage, objectStoragePath, startObjectStorage } from '#infra/local/object-storage';

const bucket = 'evidence-folders';
const credentials = { accessKeyId: 'folders-key', secretAccessKey: 'folders-secret' };
let server: Server;
let storage: ObjectStorage;
let s3: S3Client;

beforeAll(async () => {
  server = createServer((req, res) => {
    void storage.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  storage = await startObjectStorage({
    directory: await mkdtemp(join(tmpdir(), 'object-storage-folders-')),
    bucket,
    credentials,
    origin,
    screeningPrefix: 'incoming/',
    screen: async () => undefined,
    log: () => undefined,
  });
  s3 = new S3Client({
    endpoint: `${origin}${objectStoragePath}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  s3?.destroy();
  await storage?.stop();
  await new Promise((closed) => server?.close(closed));
});

describe('the local evidence bucket', () => {
  it('keeps every object written into a folder while the only other object of that folder is deleted', async () => {
    // Arrange: folders of one object each
    const rounds = Array.from({ length: 100 }, (_, n) => `incoming/owner-${n}`);
    for (const folder of rounds) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${folder}/screened`, Body: 'old' }));
    }

    // Act: a new upload lands in each folder as the screened one leaves it
    const written: PromiseSettledResult<unknown>[] = [];
    for (const folder of rounds) {
      const [put] = await Promise.allSettled([
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${folder}/next`, Body: folder })),
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${folder}/screened` })),
      ]);
      written.push(put);
    }

    // Assert: every write was answered and is there to read
    expect(written.filter((result) => result.status === 'rejected')).toEqual([]);
    const read = await Promise.all(
      rounds.map(async (folder) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${folder}/next` }));
        return object.Body?.transformToString();
      }),
    );
    expect(read).toEqual(rounds);
  });
});
