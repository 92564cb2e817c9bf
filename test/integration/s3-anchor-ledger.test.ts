/**
 * The audit anchors on S3 through the AWS SDK: against s3rver (an S3-compatible server) on loopback
 * for what it implements, and with the SDK client mocked for what it does not (conditional writes);
 * the case view reads the heads the ledger wrote with `S3ObjectReader` (whose signatures are checked in
 * s3-object-reader.test.ts: s3rver does not check SigV4).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AnchorLedger } from '#shared/adapters/anchor-ledger';
import { S3AnchoredHeads } from '#shared/adapters/anchored-heads';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { S3Bucket } from '#shared/adapters/s3-bucket';
import { S3ObjectReader } from '#shared/adapters/s3-object-reader';
import { anchorChainHeads } from '#shared/audit-anchors/anchor-chain-heads';
import { type ChainHead, verifyAnchors } from '#shared/domain/audit-anchor';

const bucketName = 'anchors-bucket';
let server: S3rver;
let directory: string;
let s3: S3Client;
let endpoint: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucketName, configs: [] }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver cannot read the checksum trailers the SDK adds by default (S3 itself requires one on an
    // Object Lock bucket, which the production client sends).
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

const ledger = () => new S3AnchorLedger(new S3Bucket(s3, bucketName));
const reader = () =>
  new S3ObjectReader({
    bucket: bucketName,
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
const seal = new LocalKeyAuditSeal(Buffer.alloc(32, 3).toString('base64'));
const markers = (heads: ChainHead[]) => ({
  list: async () => heads,
  markAnchored: async () => undefined,
});

describe('S3AnchorLedger', () => {
  it('appends chained anchors, newest listed first, and reads them all back in order', async () => {
    // Arrange
    const anchors = ledger();

    // Act
    for (let seq = 1; seq <= 3; seq++) {
      await anchorChainHeads({
        chains: markers([{ caseId: 'case-a', seq, link: 'a'.repeat(64) }]),
        ledger: anchors,
        seal,
      });
    }

    // Assert
    expect((await anchors.latest())?.anchorSeq).toBe(3);
    const all = await anchors.all();
    expect(all.map((anchor) => anchor.anchorSeq)).toEqual([1, 2, 3]);
    expect(await verifyAnchors(all, seal)).toEqual({ intact: true, anchors: 3 });
  });

  it('lists past a page of a thousand keys', async () => {
    // Arrange
    const bucket = new S3Bucket(s3, bucketName);
    for (let i = 0; i < 1_005; i += 67) {
      await Promise.all(
        Array.from({ length: Math.min(67, 1_005 - i) }, (_, n) =>
          bucket.put(`heads/bulk-${String(i + n).padStart(4, '0')}.json`, '{}'),
        ),
      );
    }

    // Act
    const keys = await bucket.list('heads/bulk-');

    // Assert
    expect(keys).toHaveLength(1_005);
  });
});

describe('S3AnchoredHeads', () => {
  it('reads the latest head the ledger kept for each case, and nothing for a case never anchored', async () => {
    // Arrange: the three anchors of case-a appended above
    const heads = new S3AnchoredHeads(reader());

    // Act
    const head = await heads.latestHeadOf('case-a');
    const none = await heads.latestHeadOf('case-never-anchored');

    // Assert
    expect(head).toEqual({ caseId: 'case-a', seq: 3, link: 'a'.repeat(64), anchorSeq: 3 });
    expect(none).toBeUndefined();
  });
});

describe('S3Bucket conditional writes', () => {
  const mocked = () => {
    const client = new S3Client({ region: 'eu-west-1' });
    return { client, mock: mockClient(client) };
  };
  const preconditionFailed = () =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: 412 },
      message: 'At least one of the pre-conditions you specified did not hold',
    });

  it('asks S3 to write an anchor only where nothing is', async () => {
    // Arrange
    const { client, mock } = mocked();
    mock.on(PutObjectCommand).resolves({});

    // Act
    await new S3Bucket(client, bucketName).put('anchors/1.json', '{}', { onlyIfAbsent: true });

    // Assert
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: bucketName,
      Key: 'anchors/1.json',
      IfNoneMatch: '*',
    });
  });

  it('answers false when the place is already taken, without overwriting it', async () => {
    // Arrange
    const { client, mock } = mocked();
    mock.on(PutObjectCommand).rejects(preconditionFailed());

    // Act
    const written = await new S3Bucket(client, bucketName).put('anchors/1.json', '{}', {
      onlyIfAbsent: true,
    });

    // Assert
    expect(written).toBe(false);
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('does not swallow a failed unconditional write', async () => {
    // Arrange
    const { client, mock } = mocked();
    mock.on(PutObjectCommand).rejects(preconditionFailed());

    // Act / Assert
    await expect(new S3Bucket(client, bucketName).put('heads/a.json', '{}')).rejects.toThrow(
      S3ServiceException,
    );
  });
});
