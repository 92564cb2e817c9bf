/**
 * Evidence in memory, for unit tests of the use cases: the upload records as the table adapter keeps
 * them (screening recorded once, expired ones oldest first), and a bucket whose presigned forms and
 * links are plain descriptions of what was signed, so a test can read back the key, type and limits.
 */
import type { EvidenceContentType, EvidenceUpload } from '#shared/domain/evidence';
import type {
  DeclarationFileView,
  DeclarationFileViews,
  EvidenceLinks,
  EvidenceObjects,
  EvidenceUploads,
  ScreeningResult,
  UploadForm,
} from '#shared/ports/evidence';
import { parties, principals } from '#test/support/fakes/records';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryEvidenceUploads implements EvidenceUploads {
  private readonly uploads = new Map<string, EvidenceUpload>();

  /** Arrange: an upload as screening (and attaching) left it. */
  add(upload: EvidenceUpload): void {
    this.uploads.set(upload.uploadId, copy(upload));
  }

  async create(upload: EvidenceUpload): Promise<void> {
    if (this.uploads.has(upload.uploadId)) throw new Error(`Upload ${upload.uploadId} exists`);
    this.uploads.set(upload.uploadId, copy(upload));
  }

  async get(uploadId: string): Promise<EvidenceUpload | undefined> {
    return copy(this.uploads.get(uploadId));
  }

  async getMany(uploadIds: readonly string[]): Promise<Map<string, EvidenceUpload>> {
    const found = uploadIds.flatMap((id) => {
      const upload = this.uploads.get(id);
      return upload ? [[id, copy(upload)] as const] : [];
    });
    return new Map(found);
  }

  async recordScreening(uploadId: string, result: ScreeningResult): Promise<boolean> {
    const upload = this.uploads.get(uploadId);
    if (upload?.status !== 'PENDING') return false;
    this.uploads.set(uploadId, { ...upload, ...result });
    return true;
  }

  async listExpired(now: Date, limit: number): Promise<EvidenceUpload[]> {
    return [...this.uploads.values()]
      .filter(
        (upload) => !upload.attachedTo && upload.expiresAt && Date.parse(upload.expiresAt) < now.getTime(),
      )
      .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''))
      .slice(0, limit)
      .map(copy);
  }

  async removeUnattached(uploadId: string): Promise<boolean> {
    if (this.uploads.get(uploadId)?.attachedTo) return false;
    return this.uploads.delete(uploadId);
  }
}

/** What a presigned form or link was signed for, as the in-memory bucket hands it out. */
export interface SignedUpload {
  key: string;
  contentType: EvidenceContentType;
  maxBytes: number;
  expiresInSeconds: number;
}
export interface SignedDownload {
  key: string;
  fileName: string;
  contentType: EvidenceContentType;
  expiresInSeconds: number;
}

export class InMemoryEvidenceObjects implements EvidenceObjects, EvidenceLinks {
  private readonly objects = new Map<string, { body: Uint8Array; contentType: EvidenceContentType }>();
  readonly uploadsSigned: SignedUpload[] = [];
  readonly downloadsSigned: SignedDownload[] = [];

  async presignUpload(
    key: string,
    contentType: EvidenceContentType,
    maxBytes: number,
    expiresInSeconds: number,
  ): Promise<UploadForm> {
    this.uploadsSigned.push({ key, contentType, maxBytes, expiresInSeconds });
    return { url: 'https://bucket.test/', fields: { key, 'Content-Type': contentType } };
  }

  async presignDownload(
    key: string,
    fileName: string,
    contentType: EvidenceContentType,
    expiresInSeconds: number,
  ): Promise<string> {
    this.downloadsSigned.push({ key, fileName, contentType, expiresInSeconds });
    return `https://bucket.test/${key}?signed`;
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.body.slice();
  }

  async write(key: string, body: Uint8Array, contentType: EvidenceContentType): Promise<void> {
    this.objects.set(key, { body: body.slice(), contentType });
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }
}

/** A screened complaint file of the case's complainant, attached to its complaint. */
export const anUpload = (overrides: Partial<EvidenceUpload> = {}): EvidenceUpload => ({
  uploadId: '3f2b8c1e-5a4d-4e6f-9b7a-1c2d3e4f5a6b',
  purpose: 'COMPLAINT',
  fileName: 'fee-notice.pdf',
  contentType: 'application/pdf',
  size: 120_000,
  party: 'ENTERPRISE',
  owner: principals.enterprise.subject,
  ownerCreditCode: parties.enterpriseCode,
  uploadedAt: '2026-06-01T07:00:00.000Z',
  status: 'CLEAN',
  screenedAt: '2026-06-01T07:00:05.000Z',
  storedSize: 118_000,
  sha256: 'a'.repeat(64),
  attachedTo: { kind: 'COMPLAINT', complaintId: 'complaint-1', caseId: 'case-1' },
  attachedAt: '2026-06-01T08:00:00.000Z',
  ...overrides,
});

/** The declarations' download trail, as recorded. */
export class InMemoryDeclarationFileViews implements DeclarationFileViews {
  readonly views: DeclarationFileView[] = [];

  async recordView(view: DeclarationFileView): Promise<void> {
    this.views.push(copy(view));
  }
}
