/** The uploader follows their upload: its screening status, why it was refused, whether something names it. */
import { NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import type * as z from '#shared/domain/schema';
import { UploadStatus } from '#shared/evidence/messages';
import type { EvidenceUploads } from '#shared/ports/evidence';

export interface GetUploadDeps {
  uploads: Pick<EvidenceUploads, 'get'>;
}

/** Ids are UUIDs; anything longer is nobody's upload and is not looked up. */
const maxIdLength = 100;

export const getUpload = async (
  deps: GetUploadDeps,
  principal: Principal,
  uploadId: string,
): Promise<z.infer<typeof UploadStatus>> => {
  const upload = uploadId.length <= maxIdLength ? await deps.uploads.get(uploadId) : undefined;
  // Someone else's upload is absent to the caller: its existence would say who uploads what.
  if (!upload || principal.role === 'anonymous' || upload.owner !== principal.subject)
    throw new NotFoundError('No such upload');
  // Parsing through the schema keeps the owner, the key facts of screening and the target out of the answer.
  return UploadStatus.parse({ ...upload, attached: upload.attachedTo !== undefined });
};
