/**
 * The evidence bucket through the AWS SDK against s3rver (an S3-compatible server) on loopback: the
 * upload form a browser posts, the download link it follows, and the screener's reads and writes.
 * The form's policy is checked by the local gateway (test/http/evidence-storage.test.ts), not here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentDisposition, S3EvidenceObjects } from '#shared/adapters/evidence-bucket';

const bucketName = 'evidence-bucket';
let server: S3rver;
let directory: string;
let s3: S3Client;
let objects: S3EvidenceObjects;

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
  // An IP endpoint, as the local runtime's: the SDK addresses the bucket by path without being told.
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  objects = new S3EvidenceObjects(s3, bucketName);
});

afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

const policyOf = (fields: Record<string, string>) =>
  JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };

describe('S3EvidenceObjects', () => {
  it('presigns a form bound to the key, the content type, the size and the lifetime', async () => {
    // Arrange
    const key = 'incoming/0123456789abcdef0123456789abcdef/11111111-2222-4333-8444-555555555555';

    // Act
    const form = await objects.presignUpload(key, 'application/pdf', 2048, 900);

    // Assert
    expect(form.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${bucketName}$`));
    expect(form.fields).toMatchObject({ key, 'Content-Type': 'application/pdf', bucket: bucketName });
    const policy = policyOf(form.fields);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: bucketName },
        ['eq', '$key', key],
        ['eq', '$Content-Type', 'application/pdf'],
        ['content-length-range', 1, 2048],
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeGreaterThan(890_000);
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(900_000);
  });

  it('asks for encryption with the campaign key in the form and its policy when a key is configured', async () => {
    // Arrange
    const encrypted = new S3EvidenceObjects(s3, bucketName, 'arn:aws:kms:us-east-1:111122223333:key/k');

    // Act
    const form = await encrypted.presignUpload('incoming/a/b', 'image/png', 10, 60);

    // Assert
    const encryption = {
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/k',
    };
    expect(form.fields).toMatchObject(encryption);
    expect(policyOf(form.fields).conditions).toEqual(
      expect.arrayContaining(Object.entries(encryption).map(([name, value]) => ({ [name]: value }))),
    );
  });

  it('stores the file a browser posts with the form, under the key, with the declared type', async () => {
    // Arrange
    const key = 'incoming/0123456789abcdef0123456789abcdef/22222222-2222-4333-8444-555555555555';
    const form = await objects.presignUpload(key, 'application/pdf', 2048, 900);
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    body.append('file', new Blob(['%PDF-1.7 invoice']), 'invoice.pdf');

    // Act
    const response = await fetch(form.url, { method: 'POST', body });

    // Assert
    expect(response.status).toBeLessThan(300);
    expect(Buffer.from((await objects.read(key)) ?? []).toString()).toBe('%PDF-1.7 invoice');
  });

  it('links a download named as uploaded, Chinese name included, as an attachment of the declared type', async () => {
    // Arrange
    const key = 'evidence/33333333-2222-4333-8444-555555555555';
    await objects.write(key, new TextEncoder().encode('%PDF-1.7 receipt'), 'application/pdf');

    // Act
    const link = await objects.presignDownload(key, '退费收据 2026.pdf', 'application/pdf', 300);
    const response = await fetch(link);

    // Assert
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-1.7 receipt');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="____ 2026.pdf"; filename*=UTF-8''${encodeURIComponent('退费收据 2026.pdf')}`,
    );
    expect(new URL(link).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('reads nothing for a key that is not there, and nothing once removed', async () => {
    // Arrange
    const key = 'quarantine/44444444-2222-4333-8444-555555555555';
    await objects.write(key, new Uint8Array([1, 2, 3]), 'image/png');

    // Act
    await objects.remove(key);

    // Assert
    expect(await objects.read(key)).toBeUndefined();
    expect(await objects.read('evidence/never-written')).toBeUndefined();
  });
});

describe('attachmentDisposition', () => {
  it('keeps an ASCII name as it is in both forms, quoting characters RFC 5987 reserves', () => {
    // Act
    const disposition = attachmentDisposition("board's resolution (final).pdf");

    // Assert
    expect(disposition).toBe(
      `attachment; filename="board's resolution (final).pdf"; filename*=UTF-8''board%27s%20resolution%20%28final%29.pdf`,
    );
  });

  it('replaces quotes and backslashes in the fallback name, which would end or escape it', () => {
    // Act
    const disposition = attachmentDisposition('a"b\\c.pdf');

    // Assert
    expect(disposition.startsWith('attachment; filename="a_b_c.pdf";')).toBe(true);
  });
});
