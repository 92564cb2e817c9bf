/**
 * The screener and the sweeper as deployed: their handlers, the upload records in DynamoDB Local and
 * the files in s3rver (an S3-compatible server on loopback), through the real adapters and S3 client.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-context';
import { attachUploadItem, DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { transact } from '#shared/adapters/dynamodb/table-io';
import { type EvidenceUpload, evidenceObjectKeys } from '#shared/domain/evidence';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import { pdfFile, pdfPageObjects, photoAuthor, photoWithGps } from '#test/support/evidence-files';
import { useTestTable } from '#test/support/table';

const bucketName = 'evidence-screening-test';
const { documentClient, tableName } = await useTestTable();
const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucketName, configs: [] }],
});
const { port } = await server.run();
// What the functions' one S3 client reads at cold start, as the local runtime sets it.
process.env.EVIDENCE_BUCKET = bucketName;
process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${port}`;
process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
// Before the functions' logger exists: whatever they log is written, so the test can read it.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const screener = await import('#functions/storage/evidence-screening');
const sweeper = await import('#functions/schedules/evidence-sweep');

const s3 = new S3Client({
  endpoint: `http://127.0.0.1:${port}`,
  forcePathStyle: true,
  region: 'us-east-1',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const uploads = new DynamoEvidenceUploads(documentClient, tableName);

afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

const objectAt = async (key: string): Promise<Buffer | undefined> => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
};

/** A PENDING upload recorded as the API records it, its file posted to its incoming key. */
const uploaded = async (file: Buffer, overrides: Partial<EvidenceUpload>) => {
  const upload: EvidenceUpload = {
    uploadId: randomUUID(),
    purpose: 'COMPLAINT',
    fileName: '收费通知 2026.pdf',
    contentType: 'application/pdf',
    size: file.length,
    party: 'ENTERPRISE',
    owner: 'enterprise-subject-1',
    uploadedAt: '2026-12-01T02:00:00.000Z',
    expiresAt: '2099-12-02T02:00:00.000Z',
    status: 'PENDING',
    ...overrides,
  };
  await uploads.create(upload);
  const key = evidenceObjectKeys.incoming(evidenceOwnerKey(upload.owner), upload.uploadId);
  await s3.send(
    new PutObjectCommand({ Bucket: bucketName, Key: key, Body: file, ContentType: upload.contentType }),
  );
  return { upload, key };
};

/** The notification S3 sends for a stored object: its key URL-encoded, spaces as `+`. */
const storedEvent = (key: string): S3Event =>
  ({
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Post',
        s3: { bucket: { name: bucketName }, object: { key: encodeURIComponent(key).replaceAll('%20', '+') } },
      },
    ],
  }) as unknown as S3Event;

const screen = (key: string) => screener.handler(storedEvent(key), lambdaContext('evidence-screener', 60));

describe('evidence-screener', () => {
  it('stores a photo without its EXIF under evidence/ and records it CLEAN', async () => {
    // Arrange
    const photo = await photoWithGps();
    const { upload, key } = await uploaded(photo, { contentType: 'image/jpeg', fileName: 'receipt.jpg' });

    // Act
    await screen(key);

    // Assert
    const stored = await objectAt(evidenceObjectKeys.screened(upload.uploadId));
    expect(stored?.includes(photoAuthor)).toBe(false);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(await objectAt(key)).toBeUndefined();
    expect(await uploads.get(upload.uploadId)).toMatchObject({ status: 'CLEAN', storedSize: stored?.length });
  });

  it('quarantines a PDF with JavaScript and records why', async () => {
    // Arrange
    const pdf = pdfFile([...pdfPageObjects('/OpenAction 6 0 R '), '<< /S /JavaScript /JS (app.alert(1)) >>']);
    const { upload, key } = await uploaded(pdf, {});

    // Act
    await screen(key);

    // Assert
    expect((await objectAt(evidenceObjectKeys.quarantined(upload.uploadId)))?.equals(pdf)).toBe(true);
    expect(await objectAt(evidenceObjectKeys.screened(upload.uploadId))).toBeUndefined();
    expect(await uploads.get(upload.uploadId)).toMatchObject({
      status: 'REFUSED',
      reason: 'PDF_ACTIVE_CONTENT',
    });
  });

  it('logs the upload id, sizes and outcome, never the file name', async () => {
    // Arrange
    const fileName = '张伟的收费通知 2026.pdf';
    const { upload, key } = await uploaded(pdfFile(pdfPageObjects()), { fileName });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    try {
      await screen(key);
    } finally {
      spy.mockRestore();
    }

    // Assert
    const logs = written.join('');
    expect(logs).toContain(upload.uploadId);
    expect(logs).toContain('"outcome":"CLEAN"');
    expect(logs).not.toContain('张伟');
    expect(logs).not.toContain('2026.pdf');
  });

  it('changes nothing when the same notification comes again', async () => {
    // Arrange
    const pdf = pdfFile(pdfPageObjects());
    const { upload, key } = await uploaded(pdf, {});
    await screen(key);
    const recorded = await uploads.get(upload.uploadId);

    // Act
    await screen(key);

    // Assert
    expect(await uploads.get(upload.uploadId)).toEqual(recorded);
    expect((await objectAt(evidenceObjectKeys.screened(upload.uploadId)))?.equals(pdf)).toBe(true);
  });
});

describe('evidence-sweeper', () => {
  it('deletes an upload nothing named within 24 hours with its file, and keeps an attached one', async () => {
    // Arrange
    const pdf = pdfFile(pdfPageObjects());
    const expired = await uploaded(pdf, { expiresAt: '2026-12-02T02:00:00.000Z' });
    const attached = await uploaded(pdf, { expiresAt: '2026-12-02T02:00:00.000Z' });
    await screen(expired.key);
    await screen(attached.key);
    await transact(documentClient, [
      attachUploadItem(tableName, {
        uploadId: attached.upload.uploadId,
        owner: attached.upload.owner,
        purpose: attached.upload.purpose,
        target: { kind: 'COMPLAINT', complaintId: 'complaint-1', caseId: 'case-1' },
        at: '2026-12-01T03:00:00.000Z',
      }),
    ]);

    // Act
    const result = await sweeper.handler(undefined, lambdaContext('evidence-sweeper', 300));

    // Assert
    expect(result).toEqual({ removed: 1, kept: 0 });
    expect(await uploads.get(expired.upload.uploadId)).toBeUndefined();
    expect(await objectAt(evidenceObjectKeys.screened(expired.upload.uploadId))).toBeUndefined();
    expect(await objectAt(evidenceObjectKeys.screened(attached.upload.uploadId))).toBeDefined();
  });
});
