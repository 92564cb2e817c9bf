/**
 * How a screened file appears in what the API answers (case, complaint, self-inspection and evidence
 * views). Its own module: the views import it, while intake, which only names upload ids, does not
 * build it at cold start.
 */
import { evidenceContentTypes, evidencePurposes } from '#shared/domain/evidence';
import * as z from '#shared/domain/schema';

export const AttachmentView = z
  .object({
    fileId: z.string(),
    fileName: z.string(),
    contentType: z.enum(evidenceContentTypes),
    size: z.int(),
    purpose: z.enum(evidencePurposes),
    party: z.enum(['ENTERPRISE', 'ASSOCIATION', 'OFFICIAL']),
    uploadedAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, {
    id: 'Attachment',
    description:
      'A screened file attached to a complaint, answer, report or decision; download it at /api/files/{fileId}',
  });
export type AttachmentView = z.infer<typeof AttachmentView>;
