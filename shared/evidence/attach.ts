/**
 * Naming uploads (docs/evidence.md, "Attaching"): a complaint, answer, report, request or decision that
 * names `attachments: [uploadId]` takes only the caller's CLEAN uploads of the fitting purpose that
 * nothing else names. The uploads are read first so that a refusal says which rule it broke; the store
 * then attaches them in the very transaction of the write that names them, under conditions that make
 * the same checks race-safe, and adds their bytes to the party's total on the case.
 */
import { ConflictError, type ConflictReason } from '#shared/domain/errors';
import {
  type AttachmentRecord,
  type CaseEvidenceTarget,
  type EvidenceParty,
  type EvidencePurpose,
  type EvidenceTarget,
  type EvidenceUpload,
  MAX_ATTACHMENTS,
  MAX_CASE_EVIDENCE_BYTES_PER_PARTY,
} from '#shared/domain/evidence';
import type { EvidenceUploads } from '#shared/ports/evidence';

/** How much one write may attach: files it may hold, and the bytes of a budget with its refusal. */
export interface AttachmentLimits {
  files: number;
  bytes: number;
  exceeded: () => ConflictError;
}

export interface AttachRequest<Target extends EvidenceTarget = CaseEvidenceTarget> {
  uploadIds: readonly string[];
  /** The caller's subject: only its own uploads may be named. */
  owner: string;
  /** The caller's party, whose bytes on the case the files count towards. */
  party: EvidenceParty;
  purpose: EvidencePurpose;
  target: Target;
  /** Files the target already has (a complaint's earlier ones): they count towards MAX_ATTACHMENTS. */
  attached?: readonly AttachmentRecord[];
  /** A case's limits (MAX_ATTACHMENTS, the party's bytes on the case) unless others are given. */
  limits?: AttachmentLimits;
}

/** What the store writes with the target: the uploads to attach and the bytes they add to the party's total. */
export interface EvidenceAttachment<Target extends EvidenceTarget = CaseEvidenceTarget> {
  target: Target;
  owner: string;
  purpose: EvidencePurpose;
  party: EvidenceParty;
  /** The named files as the target records them, in the order named. */
  records: AttachmentRecord[];
  /** The named uploads not attached to this target yet (a replay names none). */
  uploadIds: string[];
  /** Screened bytes of those uploads. */
  bytes: number;
}

const refusal = (reason: ConflictReason, message: string) => new ConflictError(message, { reason });

/** A declaration's files are the year's: a correction (a later version) may name them again. */
const sameTarget = (a: EvidenceTarget, b: EvidenceTarget) => {
  if (a.kind === 'COMPLAINT' && b.kind === 'COMPLAINT') return a.complaintId === b.complaintId;
  if (a.kind === 'TASK' && b.kind === 'TASK') return a.taskId === b.taskId;
  return (
    a.kind === 'DECLARATION' && b.kind === 'DECLARATION' && a.creditCode === b.creditCode && a.year === b.year
  );
};

/** Why an upload cannot be named by `request`, or undefined when it can. */
const whyNot = (
  upload: EvidenceUpload | undefined,
  request: AttachRequest<EvidenceTarget>,
): ConflictError | undefined => {
  // Someone else's upload reads as no upload at all: its existence is not the caller's to learn.
  if (!upload || upload.owner !== request.owner)
    return refusal('evidence_unknown', 'No upload of yours has this id');
  if (upload.status === 'PENDING')
    return refusal('evidence_not_screened', `${upload.uploadId} is still being screened; name it once CLEAN`);
  if (upload.status === 'REFUSED')
    return refusal('evidence_refused', `${upload.uploadId} was refused by screening (${upload.reason})`);
  if (upload.purpose !== request.purpose)
    return refusal(
      'evidence_wrong_purpose',
      `${upload.uploadId} was uploaded as ${upload.purpose} evidence, not ${request.purpose}`,
    );
  if (upload.attachedTo && !sameTarget(upload.attachedTo, request.target))
    return refusal('evidence_attached_elsewhere', `${upload.uploadId} is already attached elsewhere`);
  return undefined;
};

/** The record the target keeps of a file: what it was called, what it is, and the bytes kept after screening. */
export const attachmentRecord = (upload: EvidenceUpload): AttachmentRecord => ({
  fileId: upload.uploadId,
  fileName: upload.fileName,
  contentType: upload.contentType,
  size: upload.storedSize ?? upload.size,
  purpose: upload.purpose,
  party: upload.party,
  uploadedAt: upload.uploadedAt,
});

/** Checks the named uploads as read and plans their attaching; a refusal is a ConflictError with its reason. */
export const planAttachment = <Target extends EvidenceTarget = CaseEvidenceTarget>(
  uploads: ReadonlyMap<string, EvidenceUpload>,
  request: AttachRequest<Target>,
): EvidenceAttachment<Target> => {
  const limits = request.limits ?? {
    files: MAX_ATTACHMENTS,
    bytes: MAX_CASE_EVIDENCE_BYTES_PER_PARTY,
    exceeded: caseLimitReached,
  };
  const named = request.uploadIds.map((uploadId) => {
    const upload = uploads.get(uploadId);
    const refused = whyNot(upload, request);
    if (refused || !upload) throw refused;
    return upload;
  });
  const attached = new Set((request.attached ?? []).map((record) => record.fileId));
  const added = named.filter((upload) => !attached.has(upload.uploadId));
  if (attached.size + added.length > limits.files)
    throw refusal(
      'evidence_too_many',
      `At most ${limits.files} files may be attached; ${attached.size} already are`,
    );
  const fresh = named.filter((upload) => !upload.attachedTo);
  const bytes = fresh.reduce((sum, upload) => sum + (upload.storedSize ?? upload.size), 0);
  if (bytes > limits.bytes) throw limits.exceeded();
  return {
    target: request.target,
    owner: request.owner,
    purpose: request.purpose,
    party: request.party,
    records: named.map(attachmentRecord),
    uploadIds: fresh.map((upload) => upload.uploadId),
    bytes,
  };
};

export const caseLimitReached = () =>
  refusal(
    'evidence_case_limit',
    `At most ${MAX_CASE_EVIDENCE_BYTES_PER_PARTY / (1024 * 1024)} MB of files per party may be attached to a case`,
  );

/** A named upload that changed between the read and the write (screened again, named elsewhere meanwhile). */
export const uploadMoved = () =>
  refusal('evidence_attached_elsewhere', 'A named upload was attached elsewhere meanwhile');

/** Reads the named uploads and plans their attaching (undefined when nothing is named). */
export const attachEvidence = async <Target extends EvidenceTarget = CaseEvidenceTarget>(
  uploads: Pick<EvidenceUploads, 'getMany'>,
  request: AttachRequest<Target>,
): Promise<EvidenceAttachment<Target> | undefined> =>
  request.uploadIds.length === 0
    ? undefined
    : planAttachment(await uploads.getMany(request.uploadIds), request);
