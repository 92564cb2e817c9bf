/** The uploader follows their upload; to anyone else it does not exist. */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { getUpload } from '#shared/evidence/get-upload';
import { anUpload, InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { principals } from '#test/support/fakes/records';

const scene = (upload = anUpload()) => {
  const uploads = new InMemoryEvidenceUploads();
  uploads.add(upload);
  return { deps: { uploads }, uploadId: upload.uploadId };
};

describe('getUpload', () => {
  it('shows the uploader a refused upload with the reason, and nothing of who owns it or where it went', async () => {
    // Arrange
    const { deps, uploadId } = scene(
      anUpload({
        status: 'REFUSED',
        reason: 'PDF_ACTIVE_CONTENT',
        attachedTo: undefined,
        attachedAt: undefined,
        storedSize: undefined,
        sha256: undefined,
        expiresAt: '2026-06-02T07:00:00.000Z',
      }),
    );

    // Act
    const status = await getUpload(deps, principals.enterprise, uploadId);

    // Assert
    expect(status).toEqual({
      uploadId,
      purpose: 'COMPLAINT',
      fileName: 'fee-notice.pdf',
      contentType: 'application/pdf',
      size: 120_000,
      status: 'REFUSED',
      reason: 'PDF_ACTIVE_CONTENT',
      uploadedAt: '2026-06-01T07:00:00.000Z',
      expiresAt: '2026-06-02T07:00:00.000Z',
      attached: false,
    });
  });

  it('tells the uploader that something names a clean upload', async () => {
    // Arrange
    const { deps, uploadId } = scene();

    // Act
    const status = await getUpload(deps, principals.enterprise, uploadId);

    // Assert
    expect(status).toMatchObject({ status: 'CLEAN', attached: true });
  });

  it.each(['otherEnterprise', 'association', 'regulator', 'admin'] as const)(
    'answers 404 to the %s, who did not upload it',
    async (caller) => {
      // Arrange
      const { deps, uploadId } = scene();

      // Act
      const reading = getUpload(deps, principals[caller] as Principal, uploadId);

      // Assert
      await expect(reading).rejects.toThrow(NotFoundError);
    },
  );

  it('answers 404 for an upload that does not exist, and for an id too long to be one', async () => {
    // Arrange
    const { deps } = scene();

    // Act
    const readings = [
      getUpload(deps, principals.enterprise, '00000000-0000-4000-8000-000000000000'),
      getUpload(deps, principals.enterprise, 'x'.repeat(5000)),
    ];

    // Assert
    for (const reading of readings) await expect(reading).rejects.toThrow(NotFoundError);
  });
});
