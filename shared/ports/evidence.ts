/** Where evidence lives: the upload records (table) and the files themselves (bucket). */
import type { EvidenceContentType, EvidenceUpload, ScreeningRefusal } from '#shared/domain/evidence';

export type ScreeningResult =
  | { status: 'CLEAN'; storedSize: number; sha256: string; screenedAt: string }
  | { status: 'REFUSED'; reason: ScreeningRefusal; screenedAt: string };

export interface EvidenceUploads {
  /** Records a new upload (PENDING, expiring when unreferenced). */
  create(upload: EvidenceUpload): Promise<void>;
  get(uploadId: string): Promise<EvidenceUpload | undefined>;
  getMany(uploadIds: readonly string[]): Promise<Map<string, EvidenceUpload>>;
  /** Records the screening once: false when the upload is gone or was already screened. */
  recordScreening(uploadId: string, result: ScreeningResult): Promise<boolean>;
  /** Unattached uploads whose 24 hours ran out before `now`, oldest first. */
  listExpired(now: Date, limit: number): Promise<EvidenceUpload[]>;
  /** Deletes an upload record unless it was attached meanwhile; false then. */
  removeUnattached(uploadId: string): Promise<boolean>;
}

/** An official's download of a declaration's file, by file id (a name may name people). */
export interface DeclarationFileView {
  creditCode: string;
  year: number;
  fileId: string;
  actor: { role: 'regulator' | 'campaign-admin'; subject: string };
  at: string;
}

/** The declaration's audit trail of downloads: a declaration has no case to hold them. */
export interface DeclarationFileViews {
  recordView(view: DeclarationFileView): Promise<void>;
}

/** A presigned POST: where the browser sends the form and the fields it must send before the file. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/** What the browser is handed: a form to upload with, a link to download with. */
export interface EvidenceLinks {
  /**
   * A form that stores exactly `key`, with exactly `contentType`, at most `maxBytes`, encrypted with the
   * campaign's key, usable for `expiresInSeconds`.
   */
  presignUpload(
    key: string,
    contentType: EvidenceContentType,
    maxBytes: number,
    expiresInSeconds: number,
  ): Promise<UploadForm>;
  /** A GET link that downloads as an attachment named `fileName`. */
  presignDownload(
    key: string,
    fileName: string,
    contentType: EvidenceContentType,
    expiresInSeconds: number,
  ): Promise<string>;
}

/** The bytes themselves, for the screener and the sweeper. */
export interface EvidenceObjects {
  /** The object's bytes, or undefined when there is none. */
  read(key: string): Promise<Uint8Array | undefined>;
  write(key: string, body: Uint8Array, contentType: EvidenceContentType): Promise<void>;
  remove(key: string): Promise<void>;
}
