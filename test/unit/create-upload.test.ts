/**
 * Asking to upload an evidence file (docs/evidence.md, "Upload"): who may upload for which purpose, the
 * file name's ending against the type, the record written before the form is signed, and the form's
 * key, type, size and lifetime.
 */
import { describe, expect, it } from 'vitest';
import { ForbiddenRoleError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { createUpload } from '#shared/evidence/create-upload';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import { InMemoryEvidenceObjects, InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { parties, principals } from '#test/support/fakes/records';

const now = new Date('2026-06-02T08:00:00.000Z');
const uploadId = '0b6f2c4e-8a1d-4c3b-9e7f-5d6a7b8c9d0e';
const invoice = { purpose: 'COMPLAINT', fileName: 'Invoice.PDF', contentType: 'application/pdf', size: 2048 };

const scene = () => {
  const uploads = new InMemoryEvidenceUploads();
  const objects = new InMemoryEvidenceObjects();
  return { uploads, objects, deps: { uploads, objects, now: () => now, newId: () => uploadId } };
};

describe('createUpload', () => {
  it('answers the upload id, the signed form and when the form stops working (15 minutes)', async () => {
    // Arrange
    const { deps } = scene();

    // Act
    const ticket = await createUpload(deps, principals.enterprise, invoice);

    // Assert
    expect(ticket).toEqual({
      uploadId,
      url: 'https://bucket.test/',
      fields: expect.objectContaining({ key: expect.stringContaining(uploadId) }),
      expiresAt: '2026-06-02T08:15:00.000Z',
    });
  });

  it("signs the form for the uploader's incoming key, the declared type and at most the declared size", async () => {
    // Arrange
    const { deps, objects } = scene();

    // Act
    await createUpload(deps, principals.enterprise, invoice);

    // Assert
    expect(objects.uploadsSigned).toEqual([
      {
        key: `incoming/${evidenceOwnerKey(principals.enterprise.subject)}/${uploadId}`,
        contentType: 'application/pdf',
        maxBytes: 2048,
        expiresInSeconds: 900,
      },
    ]);
  });

  it('records a PENDING upload of the enterprise, expiring 24 hours after it was asked for', async () => {
    // Arrange
    const { deps, uploads } = scene();

    // Act
    await createUpload(deps, principals.enterprise, invoice);

    // Assert
    expect(await uploads.get(uploadId)).toEqual({
      uploadId,
      purpose: 'COMPLAINT',
      fileName: 'Invoice.PDF',
      contentType: 'application/pdf',
      size: 2048,
      party: 'ENTERPRISE',
      owner: principals.enterprise.subject,
      ownerCreditCode: parties.enterpriseCode,
      uploadedAt: '2026-06-02T08:00:00.000Z',
      expiresAt: '2026-06-03T08:00:00.000Z',
      status: 'PENDING',
    });
  });

  it('records an official upload without a credit code, as the officials’ party', async () => {
    // Arrange
    const { deps, uploads } = scene();
    const decision = {
      ...invoice,
      purpose: 'DECISION',
      fileName: 'decision.ofd',
      contentType: 'application/ofd',
    };

    // Act
    await createUpload(deps, principals.regulator, decision);

    // Assert
    const upload = await uploads.get(uploadId);
    expect(upload).toMatchObject({ party: 'OFFICIAL', owner: principals.regulator.subject });
    expect(upload).not.toHaveProperty('ownerCreditCode');
  });

  it('records the upload before it signs the form', async () => {
    // Arrange
    const { deps, uploads } = scene();
    let recordedWhenSigned: unknown;
    const objects = {
      presignUpload: async () => {
        recordedWhenSigned = await uploads.get(uploadId);
        return { url: 'https://bucket.test/', fields: {} };
      },
    };

    // Act
    await createUpload({ ...deps, objects }, principals.enterprise, invoice);

    // Assert
    expect(recordedWhenSigned).toMatchObject({ uploadId, status: 'PENDING' });
  });

  // biome-ignore format: a table
  it.each([
    ['enterprise',  'COMPLAINT'],
    ['enterprise',  'INFO'],
    ['association', 'RECTIFICATION'],
    ['regulator',   'DECISION'],
    ['regulator',   'RECTIFICATION'],
    ['admin',       'DECISION'],
  ] as const)('lets the %s upload %s evidence', async (caller, purpose) => {
    // Arrange
    const { deps } = scene();

    // Act
    const ticket = await createUpload(deps, principals[caller], { ...invoice, purpose });

    // Assert
    expect(ticket.uploadId).toBe(uploadId);
  });

  // biome-ignore format: a table
  it.each([
    ['enterprise',  'RECTIFICATION'],
    ['enterprise',  'DECISION'],
    ['association', 'COMPLAINT'],
    ['association', 'INFO'],
    ['association', 'DECISION'],
    ['regulator',   'COMPLAINT'],
    ['admin',       'INFO'],
  ] as const)('refuses the %s an upload of %s evidence with 403, recording nothing', async (caller, purpose) => {
    // Arrange
    const { deps, uploads, objects } = scene();

    // Act
    const asking = createUpload(deps, principals[caller] as Principal, { ...invoice, purpose });

    // Assert
    await expect(asking).rejects.toThrow(ForbiddenRoleError);
    expect(await uploads.get(uploadId)).toBeUndefined();
    expect(objects.uploadsSigned).toEqual([]);
  });

  it.each([
    ['image/jpeg', 'receipt.JPG'],
    ['image/jpeg', 'receipt.jpeg'],
    ['image/png', 'standard.Png'],
    ['application/ofd', 'e-invoice.ofd'],
  ])('accepts a %s named %s (endings compared without case)', async (contentType, fileName) => {
    // Arrange
    const { deps } = scene();

    // Act
    const ticket = await createUpload(deps, principals.enterprise, { ...invoice, contentType, fileName });

    // Assert
    expect(ticket.uploadId).toBe(uploadId);
  });

  it.each([
    ['application/pdf', 'receipt.png'],
    ['image/png', 'receipt.pdf'],
    ['image/jpeg', 'receipt.jpg.exe'],
    ['application/ofd', 'invoice'],
  ])('refuses a %s named %s with file_type_mismatch on fileName', async (contentType, fileName) => {
    // Arrange
    const { deps, uploads } = scene();

    // Act
    const asking = createUpload(deps, principals.enterprise, { ...invoice, contentType, fileName });

    // Assert
    const error = await asking.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'fileName', code: 'file_type_mismatch' }),
    ]);
    expect(await uploads.get(uploadId)).toBeUndefined();
  });

  it.each([
    ['a type that is not evidence', { contentType: 'text/html', fileName: 'page.html' }],
    ['an empty file', { size: 0 }],
    ['a file over 10 MB', { size: 10 * 1024 * 1024 + 1 }],
    ['a name with a folder', { fileName: '../etc/passwd.pdf' }],
    ['a field the server owns', { owner: 'someone-else' }],
  ])('refuses %s with 400', async (_what, change) => {
    // Arrange
    const { deps } = scene();

    // Act
    const asking = createUpload(deps, principals.enterprise, { ...invoice, ...change });

    // Assert
    await expect(asking).rejects.toThrow(ValidationError);
  });

  it('binds two uploaders to two different folders', () => {
    // Arrange
    const subjects = [principals.enterprise.subject, principals.otherEnterprise.subject];

    // Act
    const folders = subjects.map(evidenceOwnerKey);

    // Assert
    expect(folders[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(folders[0]).not.toBe(folders[1]);
  });
});
