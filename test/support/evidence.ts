/** Evidence uploads as a test needs them: recorded and screened through the real adapter. */
import { randomUUID } from 'node:crypto';
import type { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import type { EvidenceUpload } from '#shared/domain/evidence';

/** The smallest PDF a reader opens: one empty page, nothing active. */
export const onePagePdf = new TextEncoder().encode(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n'),
);

/** An upload as `POST /api/uploads` records it, PENDING; `overrides` name owner, purpose, size... */
export const uploadRecord = (overrides: Partial<EvidenceUpload> = {}): EvidenceUpload => ({
  uploadId: randomUUID(),
  purpose: 'COMPLAINT',
  fileName: '收费通知.pdf',
  contentType: 'application/pdf',
  size: 2048,
  party: 'ENTERPRISE',
  owner: 'enterprise-subject',
  uploadedAt: '2026-12-01T02:00:00.000Z',
  expiresAt: '2026-12-02T02:00:00.000Z',
  status: 'PENDING',
  ...overrides,
});

/** Arrange: an upload screening found CLEAN, `storedSize` bytes after screening (its declared size by default). */
export const givenCleanUpload = async (
  uploads: DynamoEvidenceUploads,
  overrides: Partial<EvidenceUpload> = {},
  storedSize?: number,
): Promise<EvidenceUpload & { storedSize: number }> => {
  const upload = uploadRecord(overrides);
  storedSize ??= upload.size;
  await uploads.create(upload);
  await uploads.recordScreening(upload.uploadId, {
    status: 'CLEAN',
    storedSize,
    sha256: 'ab'.repeat(32),
    screenedAt: '2026-12-01T02:00:05.000Z',
  });
  return { ...upload, status: 'CLEAN', storedSize };
};
