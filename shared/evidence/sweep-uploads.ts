/**
 * The sweep of uploads nothing named within UPLOAD_UNREFERENCED_HOURS (docs/evidence.md, "Sweep"):
 * the record and every object it may have left in the bucket.
 */
import { type EvidenceUpload, evidenceObjectKeys } from '#shared/domain/evidence';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import type { EvidenceObjects, EvidenceUploads } from '#shared/ports/evidence';

export interface SweepUploadsDeps {
  uploads: EvidenceUploads;
  /** Only deleting: the sweeper reads and presigns nothing. */
  objects: Pick<EvidenceObjects, 'remove'>;
}

export interface SweepResult {
  /** Uploads deleted with their files. */
  removed: number;
  /** Uploads attached between the listing and their deletion: kept with their file. */
  kept: number;
}

export const SWEEP_PAGE = 100;

/**
 * One upload. The screened file is what an attachment points to, so it goes only after the record's
 * conditional delete succeeded: a list read may be stale, and an upload attached meanwhile keeps its
 * record (removeUnattached answers false) and with it its file. The incoming and quarantined objects
 * are never what an attachment points to (attaching needs CLEAN, whose file is under `evidence/`), so
 * they go first: a crash then leaves the record, which the next sweep finds again. What a crash
 * between the record and the screened file leaves is a file no record names, which nobody can fetch.
 */
const sweepUpload = async (deps: SweepUploadsDeps, upload: EvidenceUpload): Promise<boolean> => {
  await deps.objects.remove(evidenceObjectKeys.incoming(evidenceOwnerKey(upload.owner), upload.uploadId));
  await deps.objects.remove(evidenceObjectKeys.quarantined(upload.uploadId));
  if (!(await deps.uploads.removeUnattached(upload.uploadId))) return false;
  await deps.objects.remove(evidenceObjectKeys.screened(upload.uploadId));
  return true;
};

/** Sweeps page after page until no expired upload is left; a missing object is nothing to delete. */
export const sweepUploads = async (deps: SweepUploadsDeps, now: Date): Promise<SweepResult> => {
  const result: SweepResult = { removed: 0, kept: 0 };
  const seen = new Set<string>();
  for (;;) {
    // An attached upload the (eventually consistent) list still shows is skipped on later pages.
    const page = (await deps.uploads.listExpired(now, SWEEP_PAGE)).filter(
      (upload) => !seen.has(upload.uploadId),
    );
    if (page.length === 0) return result;
    for (const upload of page) {
      seen.add(upload.uploadId);
      if (await sweepUpload(deps, upload)) result.removed++;
      else result.kept++;
    }
  }
};
