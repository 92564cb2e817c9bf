import { hash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SharpImageSanitizer } from '#shared/adapters/image-sanitizer';
import { type EvidenceUpload, evidenceObjectKeys } from '#shared/domain/evidence';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import { screenUpload } from '#shared/evidence/screen-upload';
import { photoAuthor, photoWithGps, plainPdf } from '#test/support/evidence-files';
import { anUpload, InMemoryEvidenceObjects, InMemoryEvidenceUploads } from '#test/support/fakes/evidence';

const now = new Date('2026-06-01T07:00:05.000Z');

/** A PENDING upload as the API records it, its file stored under its incoming key. */
const arrange = async (file: Buffer, overrides: Partial<EvidenceUpload> = {}) => {
  const upload = anUpload({
    status: 'PENDING',
    contentType: 'application/pdf',
    size: file.length,
    screenedAt: undefined,
    storedSize: undefined,
    sha256: undefined,
    attachedTo: undefined,
    attachedAt: undefined,
    expiresAt: '2026-06-02T07:00:00.000Z',
    ...overrides,
  });
  const uploads = new InMemoryEvidenceUploads();
  uploads.add(upload);
  const objects = new InMemoryEvidenceObjects();
  const key = evidenceObjectKeys.incoming(evidenceOwnerKey(upload.owner), upload.uploadId);
  await objects.write(key, file, upload.contentType);
  const deps = { uploads, objects, images: new SharpImageSanitizer(), now: () => now };
  return { upload, uploads, objects, key, deps };
};

describe('screenUpload', () => {
  it('moves a clean file to evidence/, records CLEAN with its size and digest, and removes the incoming object', async () => {
    // Arrange
    const pdf = plainPdf();
    const { upload, uploads, objects, key, deps } = await arrange(pdf);

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome).toEqual({
      outcome: 'CLEAN',
      uploadId: upload.uploadId,
      size: pdf.length,
      storedSize: pdf.length,
    });
    expect(
      Buffer.from((await objects.read(evidenceObjectKeys.screened(upload.uploadId))) ?? []).equals(pdf),
    ).toBe(true);
    expect(await objects.read(key)).toBeUndefined();
    expect(await uploads.get(upload.uploadId)).toMatchObject({
      status: 'CLEAN',
      storedSize: pdf.length,
      sha256: hash('sha256', pdf, 'hex'),
      screenedAt: now.toISOString(),
    });
  });

  it('stores the re-encoded image, not the uploaded one', async () => {
    // Arrange
    const photo = await photoWithGps();
    const { upload, objects, key, deps } = await arrange(photo, {
      contentType: 'image/jpeg',
      fileName: 'receipt.jpg',
    });

    // Act
    await screenUpload(deps, key);

    // Assert
    const stored = Buffer.from((await objects.read(evidenceObjectKeys.screened(upload.uploadId))) ?? []);
    expect(stored.includes(photoAuthor)).toBe(false);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
  });

  it('quarantines a refused file as it came and records the reason', async () => {
    // Arrange: a PNG declared as a PDF
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const { upload, uploads, objects, key, deps } = await arrange(png);

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome).toEqual({
      outcome: 'REFUSED',
      uploadId: upload.uploadId,
      size: png.length,
      reason: 'TYPE_MISMATCH',
    });
    expect(
      Buffer.from((await objects.read(evidenceObjectKeys.quarantined(upload.uploadId))) ?? []).equals(png),
    ).toBe(true);
    expect(await objects.read(evidenceObjectKeys.screened(upload.uploadId))).toBeUndefined();
    expect(await objects.read(key)).toBeUndefined();
    expect(await uploads.get(upload.uploadId)).toMatchObject({ status: 'REFUSED', reason: 'TYPE_MISMATCH' });
  });

  it('changes nothing when the same event comes again after the job was done', async () => {
    // Arrange
    const { upload, uploads, objects, key, deps } = await arrange(plainPdf());
    await screenUpload(deps, key);
    const recorded = await uploads.get(upload.uploadId);

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome).toEqual({ outcome: 'ALREADY_SCREENED', uploadId: upload.uploadId });
    expect(await uploads.get(upload.uploadId)).toEqual(recorded);
    expect(await objects.read(evidenceObjectKeys.screened(upload.uploadId))).toBeDefined();
  });

  it('finishes a run that stopped after recording: the repeated event removes the incoming object', async () => {
    // Arrange: screened and recorded, then the function stopped before removing the incoming object
    const pdf = plainPdf();
    const { upload, objects, key, deps } = await arrange(pdf);
    await screenUpload(deps, key);
    await objects.write(key, pdf, 'application/pdf');

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome.outcome).toBe('ALREADY_SCREENED');
    expect(await objects.read(key)).toBeUndefined();
    expect(await objects.read(evidenceObjectKeys.screened(upload.uploadId))).toBeDefined();
  });

  it('screens again a file whose run stopped before recording, ending with one copy', async () => {
    // Arrange: the screened copy written, the record still PENDING, the incoming object still there
    const pdf = plainPdf();
    const { upload, uploads, objects, key, deps } = await arrange(pdf);
    await objects.write(evidenceObjectKeys.screened(upload.uploadId), pdf, 'application/pdf');

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome.outcome).toBe('CLEAN');
    expect((await uploads.get(upload.uploadId))?.status).toBe('CLEAN');
    expect(await objects.read(key)).toBeUndefined();
  });

  it('deletes an incoming object whose upload has no record: nothing can ever name it', async () => {
    // Arrange
    const { upload, uploads, objects, key, deps } = await arrange(plainPdf());
    await uploads.removeUnattached(upload.uploadId);

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome).toEqual({ outcome: 'UNKNOWN_UPLOAD', uploadId: upload.uploadId });
    expect(await objects.read(key)).toBeUndefined();
  });

  it('leaves alone a key that is not an incoming upload', async () => {
    // Arrange
    const { objects, deps } = await arrange(plainPdf());
    await objects.write('evidence/not-an-upload', Buffer.from('x'), 'application/pdf');

    // Act
    const outcome = await screenUpload(deps, 'evidence/not-an-upload');

    // Assert
    expect(outcome).toEqual({ outcome: 'NOT_AN_UPLOAD' });
    expect(await objects.read('evidence/not-an-upload')).toBeDefined();
  });

  it('does nothing when the incoming object is already gone', async () => {
    // Arrange
    const { upload, uploads, objects, key, deps } = await arrange(plainPdf());
    await objects.remove(key);

    // Act
    const outcome = await screenUpload(deps, key);

    // Assert
    expect(outcome).toEqual({ outcome: 'NO_OBJECT', uploadId: upload.uploadId });
    expect((await uploads.get(upload.uploadId))?.status).toBe('PENDING');
  });
});
