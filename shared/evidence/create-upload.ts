/**
 * Asking to upload an evidence file (docs/evidence.md, "Upload"): the caller's role must upload for
 * the purpose, the name must end as the type does; the upload is recorded before its form is signed,
 * so every object that can reach the bucket has a record the screening and the sweep find.
 */
import { randomUUID } from 'node:crypto';
import { ForbiddenRoleError, ValidationError } from '#shared/domain/errors';
import {
  type EvidenceUpload,
  evidenceExtensions,
  evidenceObjectKeys,
  partyOf,
  UPLOAD_FORM_SECONDS,
  UPLOAD_UNREFERENCED_HOURS,
  uploadPurposesOf,
} from '#shared/domain/evidence';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import { UploadRequest } from '#shared/evidence/messages';
import { evidenceOwnerKey } from '#shared/evidence/owner-key';
import type { EvidenceObjects, EvidenceUploads, UploadForm } from '#shared/ports/evidence';

export interface CreateUploadDeps {
  uploads: Pick<EvidenceUploads, 'create'>;
  objects: Pick<EvidenceObjects, 'presignUpload'>;
  now?: () => Date;
  newId?: () => string;
}

export interface UploadTicket extends UploadForm {
  uploadId: string;
  expiresAt: string;
}

const hoursLater = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000);
const secondsLater = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1_000);

export const createUpload = async (
  deps: CreateUploadDeps,
  principal: Principal,
  rawBody: unknown,
): Promise<UploadTicket> => {
  const request = parseWith(UploadRequest, rawBody, 'upload');
  const party = partyOf(principal);
  if (principal.role === 'anonymous' || !party || !uploadPurposesOf(principal).includes(request.purpose))
    throw new ForbiddenRoleError(`The ${principal.role} role may not upload ${request.purpose} evidence`);
  const endings = evidenceExtensions[request.contentType];
  const name = request.fileName.toLowerCase();
  if (!endings.some((ending) => name.endsWith(ending))) {
    throw new ValidationError(`Invalid upload: fileName must end in ${endings.join(' or ')}`, [
      {
        path: 'fileName',
        code: 'file_type_mismatch',
        params: { contentType: request.contentType, extensions: endings.join(' ') },
        message: `must end in ${endings.join(' or ')} for ${request.contentType}`,
      },
    ]);
  }
  const now = (deps.now ?? (() => new Date()))();
  const uploadId = (deps.newId ?? randomUUID)();
  const upload: EvidenceUpload = {
    uploadId,
    purpose: request.purpose,
    fileName: request.fileName,
    contentType: request.contentType,
    size: request.size,
    party,
    owner: principal.subject,
    ...('creditCode' in principal ? { ownerCreditCode: principal.creditCode } : {}),
    uploadedAt: now.toISOString(),
    expiresAt: hoursLater(now, UPLOAD_UNREFERENCED_HOURS).toISOString(),
    status: 'PENDING',
  };
  await deps.uploads.create(upload);
  const form = await deps.objects.presignUpload(
    evidenceObjectKeys.incoming(evidenceOwnerKey(principal.subject), uploadId),
    request.contentType,
    request.size,
    UPLOAD_FORM_SECONDS,
  );
  return {
    uploadId,
    url: form.url,
    fields: form.fields,
    expiresAt: secondsLater(now, UPLOAD_FORM_SECONDS).toISOString(),
  };
};
