/** Upload records in memory, for use cases that read the uploads a submission names. */
import type { EvidenceUpload } from '#shared/domain/evidence';
import type { EvidenceUploads } from '#shared/ports/evidence';

export class InMemoryEvidenceUploads implements Pick<EvidenceUploads, 'getMany'> {
  private readonly uploads = new Map<string, EvidenceUpload>();

  /** Arrange: an upload as the table holds it. */
  add(upload: EvidenceUpload): void {
    this.uploads.set(upload.uploadId, structuredClone(upload));
  }

  async getMany(uploadIds: readonly string[]): Promise<Map<string, EvidenceUpload>> {
    return new Map(
      uploadIds.flatMap((uploadId) => {
        const upload = this.uploads.get(uploadId);
        return upload ? [[uploadId, structuredClone(upload)] as const] : [];
      }),
    );
  }
}
