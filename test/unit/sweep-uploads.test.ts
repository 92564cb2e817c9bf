import { describe, expect, it } from 'vitest';
import { type EvidenceUpload, evidenceObjectKeys } from '#shared/domain/evidence';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import { SWEEP_PAGE, sweepUploads } from '#shared/evidence/sweep-uploads';
import { anUpload, InMemoryEvidenceObjects, InMemoryEvidenceUploads } from '#test/support/fakes/evidence';

const now = new Date('2026-06-03T00:00:00.000Z');
const file = Buffer.from('%PDF-1.7');

const uploadNumbered = (n: number, overrides: Partial<EvidenceUpload> = {}) =>
  anUpload({
    uploadId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    attachedTo: undefined,
    attachedAt: undefined,
    expiresAt: '2026-06-02T07:00:00.000Z',
    ...overrides,
  });

const keysOf = (upload: EvidenceUpload) => [
  evidenceObjectKeys.incoming(evidenceOwnerKey(upload.owner), upload.uploadId),
  evidenceObjectKeys.screened(upload.uploadId),
  evidenceObjectKeys.quarantined(upload.uploadId),
];

const arrange = async (uploadsGiven: EvidenceUpload[]) => {
  const uploads = new InMemoryEvidenceUploads();
  const objects = new InMemoryEvidenceObjects();
  for (const upload of uploadsGiven) {
    uploads.add(upload);
    for (const key of keysOf(upload)) await objects.write(key, file, 'application/pdf');
  }
  return { uploads, objects };
};

const stored = async (objects: InMemoryEvidenceObjects, upload: EvidenceUpload) =>
  (await Promise.all(keysOf(upload).map((key) => objects.read(key)))).filter(Boolean).length;

describe('sweepUploads', () => {
  it('deletes expired unattached uploads with their incoming, screened and quarantined objects', async () => {
    // Arrange
    const expired = uploadNumbered(1);
    const { uploads, objects } = await arrange([expired]);

    // Act
    const result = await sweepUploads({ uploads, objects }, now);

    // Assert
    expect(result).toEqual({ removed: 1, kept: 0 });
    expect(await uploads.get(expired.uploadId)).toBeUndefined();
    expect(await stored(objects, expired)).toBe(0);
  });

  it('leaves uploads whose 24 hours have not run out, and attached ones', async () => {
    // Arrange
    const fresh = uploadNumbered(1, { expiresAt: '2026-06-03T06:00:00.000Z' });
    const attached = uploadNumbered(2, {
      expiresAt: undefined,
      attachedTo: { kind: 'COMPLAINT', complaintId: 'complaint-1', caseId: 'case-1' },
    });
    const { uploads, objects } = await arrange([fresh, attached]);

    // Act
    const result = await sweepUploads({ uploads, objects }, now);

    // Assert
    expect(result).toEqual({ removed: 0, kept: 0 });
    expect(await stored(objects, fresh)).toBe(3);
    expect(await stored(objects, attached)).toBe(3);
  });

  it('keeps the screened file of an upload attached between the listing and its deletion', async () => {
    // Arrange: the listing is read, then the upload is attached before the sweep deletes it
    const racing = uploadNumbered(1);
    const { uploads, objects } = await arrange([racing]);
    const listed = uploads.listExpired.bind(uploads);
    uploads.listExpired = async (at, limit) => {
      const page = await listed(at, limit);
      uploads.add({
        ...racing,
        expiresAt: undefined,
        attachedTo: { kind: 'TASK', taskId: 't-1', caseId: 'c-1' },
      });
      return page;
    };

    // Act
    const result = await sweepUploads({ uploads, objects }, now);

    // Assert
    expect(result).toEqual({ removed: 0, kept: 1 });
    expect(await uploads.get(racing.uploadId)).toBeDefined();
    expect(await objects.read(evidenceObjectKeys.screened(racing.uploadId))).toBeDefined();
  });

  it('pages until no expired upload is left', async () => {
    // Arrange
    const many = Array.from({ length: SWEEP_PAGE * 2 + 5 }, (_, n) => uploadNumbered(n + 1));
    const { uploads, objects } = await arrange(many);

    // Act
    const result = await sweepUploads({ uploads, objects }, now);

    // Assert
    expect(result).toEqual({ removed: many.length, kept: 0 });
    expect(await uploads.listExpired(now, 10)).toEqual([]);
  });

  it('deletes an upload whose objects are already gone', async () => {
    // Arrange
    const expired = uploadNumbered(1);
    const uploads = new InMemoryEvidenceUploads();
    uploads.add(expired);

    // Act
    const result = await sweepUploads({ uploads, objects: new InMemoryEvidenceObjects() }, now);

    // Assert
    expect(result).toEqual({ removed: 1, kept: 0 });
  });
});
