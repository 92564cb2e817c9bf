/**
 * Screening one uploaded file, when storage says it arrived under `incoming/` (docs/evidence.md,
 * "Screening"). Storage events may come twice, late, or for a file already handled; each run either
 * finishes the job or finds nothing left to do.
 */
import { hash } from 'node:crypto';
import { evidenceObjectKeys, type ScreeningRefusal, uploadIdOfIncomingKey } from '#shared/domain/evidence';
import { inspectEvidence } from '#shared/evidence/inspect-evidence';
import type { ImageSanitizer } from '#shared/evidence/ports';
import type { EvidenceObjects, EvidenceUploads } from '#shared/ports/evidence';

export interface ScreenUploadDeps {
  uploads: EvidenceUploads;
  /** Only reading, writing and deleting: the screener presigns nothing. */
  objects: Pick<EvidenceObjects, 'read' | 'write' | 'remove'>;
  images: ImageSanitizer;
  now?: () => Date;
}

/** What became of one incoming object; ids, sizes and reasons only, never a file name. */
export type ScreeningOutcome =
  | { outcome: 'CLEAN'; uploadId: string; size: number; storedSize: number }
  | { outcome: 'REFUSED'; uploadId: string; size: number; reason: ScreeningRefusal }
  /** A key outside `incoming/<owner>/<uploadId>`: not an upload, left alone. */
  | { outcome: 'NOT_AN_UPLOAD' }
  /** No record (swept, or never asked for): the object can never be named, so it is deleted. */
  | { outcome: 'UNKNOWN_UPLOAD'; uploadId: string }
  /** Screened before (a repeated event): only the incoming object is removed, if still there. */
  | { outcome: 'ALREADY_SCREENED'; uploadId: string }
  /** No object under the key (a repeated event after the job was done, or the sweep took it). */
  | { outcome: 'NO_OBJECT'; uploadId: string };

export const screenUpload = async (deps: ScreenUploadDeps, key: string): Promise<ScreeningOutcome> => {
  const uploadId = uploadIdOfIncomingKey(key);
  if (!uploadId) return { outcome: 'NOT_AN_UPLOAD' };
  const upload = await deps.uploads.get(uploadId);
  if (!upload) {
    await deps.objects.remove(key);
    return { outcome: 'UNKNOWN_UPLOAD', uploadId };
  }
  if (upload.status !== 'PENDING') {
    await deps.objects.remove(key);
    return { outcome: 'ALREADY_SCREENED', uploadId };
  }
  const bytes = await deps.objects.read(key);
  if (!bytes) return { outcome: 'NO_OBJECT', uploadId };

  const inspection = await inspectEvidence(bytes, upload, deps.images);
  const screenedAt = (deps.now ?? (() => new Date()))().toISOString();
  // The order keeps every crash recoverable by the next delivery of the same event:
  // 1. the screened (or quarantined) copy is written first: the upload is still PENDING, so a crash
  //    here leaves the incoming object and a repeat screens it again, writing the same bytes;
  // 2. then the record says CLEAN or REFUSED: nobody is ever told CLEAN before the file is there;
  // 3. the incoming object goes last: a crash before leaves a screened record, whose repeat
  //    (ALREADY_SCREENED above) only removes it. A file is never deleted before its copy exists.
  const copyKey =
    inspection.status === 'CLEAN'
      ? evidenceObjectKeys.screened(uploadId)
      : evidenceObjectKeys.quarantined(uploadId);
  // A refused file is kept as it came, for whoever looks into why it was refused.
  await deps.objects.write(
    copyKey,
    inspection.status === 'CLEAN' ? inspection.bytes : bytes,
    upload.contentType,
  );
  // False when a concurrent run recorded first: the same verdict on the same bytes, so its copy is this
  // one. The record cannot have been swept meanwhile: the sweep waits 24 hours, a form works 15 minutes.
  await deps.uploads.recordScreening(
    uploadId,
    inspection.status === 'CLEAN'
      ? {
          status: 'CLEAN',
          storedSize: inspection.bytes.length,
          sha256: hash('sha256', inspection.bytes, 'hex'),
          screenedAt,
        }
      : { status: 'REFUSED', reason: inspection.reason, screenedAt },
  );
  await deps.objects.remove(key);
  return inspection.status === 'CLEAN'
    ? { outcome: 'CLEAN', uploadId, size: bytes.length, storedSize: inspection.bytes.length }
    : { outcome: 'REFUSED', uploadId, size: bytes.length, reason: inspection.reason };
};
