/**
 * Screening on the local runtime, end to end: a browser's form posted to the runtime's bucket
 * (`/local/s3`), the gateway's notification, the real screening function, the upload record in
 * DynamoDB Local and the screened or quarantined file back in the bucket.
 */
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceBucket } from '#infra/system';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { S3EvidenceLinks } from '#shared/adapters/evidence-links';
import { type EvidenceContentType, type EvidenceUpload, evidenceObjectKeys } from '#shared/domain/evidence';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import { photoAuthor, photoWithGps } from '#test/support/evidence-files';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let s3: S3Client;
let objects: S3EvidenceLinks;
let uploads: DynamoEvidenceUploads;

beforeAll(async () => {
  harness = await startTestRuntime();
  // What a function of the runtime holds: the runtime's own credentials, its endpoint.
  s3 = new S3Client({
    endpoint: `${harness.url}/local/s3`,
    region: 'us-east-1',
    credentials: harness.runtime.engineCredentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  objects = new S3EvidenceLinks(s3, evidenceBucket.name);
  uploads = new DynamoEvidenceUploads(harness.documentClient, harness.tableName);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await harness?.stop();
});

/** What the API records when asked for a form: a PENDING upload, and the key its file goes under. */
const pendingUpload = async (file: Buffer, contentType: EvidenceContentType, fileName: string) => {
  const record: EvidenceUpload = {
    uploadId: randomUUID(),
    purpose: 'COMPLAINT',
    fileName,
    contentType,
    size: file.length,
    party: 'ENTERPRISE',
    owner: 'enterprise-subject-screening',
    uploadedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    status: 'PENDING',
  };
  await uploads.create(record);
  return {
    uploadId: record.uploadId,
    key: evidenceObjectKeys.incoming(evidenceOwnerKey(record.owner), record.uploadId),
  };
};

/** What the browser does with the API's answer: records as the API does, then posts the form. */
const upload = async (file: Buffer, contentType: EvidenceContentType, fileName: string) => {
  const { uploadId, key } = await pendingUpload(file, contentType, fileName);
  const form = await objects.presignUpload(key, contentType, file.length, 900);
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([new Uint8Array(file)]), fileName);
  const response = await fetch(form.url, { method: 'POST', body });
  expect(response.status).toBe(204);
  await harness.runtime.drainScreening();
  return { uploadId, key };
};

describe('screening on the local runtime', () => {
  it('stores a posted photo without its GPS position and author, and records it CLEAN', async () => {
    // Arrange
    const photo = await photoWithGps();

    // Act
    const { uploadId, key } = await upload(photo, 'image/jpeg', 'site visit.jpg');

    // Assert
    const stored = Buffer.from((await objects.read(evidenceObjectKeys.screened(uploadId))) ?? []);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(stored.includes(photoAuthor)).toBe(false);
    expect(await objects.read(key)).toBeUndefined();
    expect(await uploads.get(uploadId)).toMatchObject({ status: 'CLEAN', storedSize: stored.length });
  });

  it('quarantines a PNG posted as a PDF and records TYPE_MISMATCH', async () => {
    // Arrange
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();

    // Act
    const { uploadId } = await upload(png, 'application/pdf', 'fee notice.pdf');

    // Assert
    expect(await uploads.get(uploadId)).toMatchObject({ status: 'REFUSED', reason: 'TYPE_MISMATCH' });
    expect(
      Buffer.from((await objects.read(evidenceObjectKeys.quarantined(uploadId))) ?? []).equals(png),
    ).toBe(true);
  });

  it('screens at its next start a stored file whose notification a crash lost', async () => {
    // Arrange: the file is in the bucket but no notification came (a signed write sends none, as a
    // runtime killed between storing a form's file and screening it leaves it)
    const photo = await photoWithGps();
    const { uploadId, key } = await pendingUpload(photo, 'image/jpeg', 'after the crash.jpg');
    await objects.write(key, new Uint8Array(photo), 'image/jpeg');
    await harness.runtime.drainScreening();
    expect(await uploads.get(uploadId)).toMatchObject({ status: 'PENDING' });

    // Act
    await harness.restart();
    await harness.runtime.drainScreening();

    // Assert
    expect(await uploads.get(uploadId)).toMatchObject({ status: 'CLEAN' });
    expect(await objects.read(key)).toBeUndefined();
  });
});
