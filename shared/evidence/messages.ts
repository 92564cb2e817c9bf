/** Messages of the evidence operations: asking to upload, following screening, downloading, attaching. */
import { AttachmentView } from '#shared/domain/attachment-view';
import {
  evidenceContentTypes,
  evidencePurposes,
  MAX_EVIDENCE_FILE_BYTES,
  screeningRefusals,
  screeningStatuses,
  uploadIds,
} from '#shared/domain/evidence';
import * as z from '#shared/domain/schema';
import { namedPattern } from '#shared/domain/validation';

export const UploadRequest = z
  .strictObject({
    purpose: z.enum(evidencePurposes).register(z.globalRegistry, {
      description:
        'COMPLAINT and INFO (enterprises), RECTIFICATION (associations, or officials on their behalf), DECISION (officials), DECLARATION (associations: the documents a declared fee rests on)',
    }),
    fileName: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(200, 'must be at most 200 characters'),
        namedPattern(
          'file_name',
          /^[^/\\\p{Cc}\p{Cf}]+$/u,
          'must be a file name without folders or control characters',
        ),
      )
      .register(z.globalRegistry, {
        description: 'The file name as the uploader sees it; its ending must fit the type',
      }),
    contentType: z.enum(evidenceContentTypes),
    size: z
      .int('must be a whole number of bytes')
      .check(
        z.minimum(1, 'must not be empty'),
        z.maximum(MAX_EVIDENCE_FILE_BYTES, `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes (10 MB)`),
      )
      .register(z.globalRegistry, {
        description: 'Bytes of the file; the upload form refuses a larger body',
      }),
  })
  .register(z.globalRegistry, { id: 'UploadRequest', description: 'Body of POST /api/uploads' });
export type UploadRequest = z.infer<typeof UploadRequest>;

export const UploadTicket = z
  .object({
    uploadId: z.string(),
    url: z
      .string()
      .register(z.globalRegistry, { description: 'Where to POST the form (multipart/form-data)' }),
    fields: z.record(z.string(), z.string()).register(z.globalRegistry, {
      description: 'Form fields to send as they are, before the `file` field',
    }),
    expiresAt: z.iso.datetime().register(z.globalRegistry, { description: 'The form works until then' }),
  })
  .register(z.globalRegistry, {
    id: 'UploadTicket',
    description:
      'A presigned POST: the browser sends the file straight to storage, then names `uploadId` in `attachments`',
  });

export const UploadStatus = z
  .object({
    uploadId: z.string(),
    purpose: z.enum(evidencePurposes),
    fileName: z.string(),
    contentType: z.enum(evidenceContentTypes),
    size: z.int(),
    status: z.enum(screeningStatuses),
    reason: z.optional(
      z.enum(screeningRefusals).register(z.globalRegistry, { description: 'Why a REFUSED file was refused' }),
    ),
    uploadedAt: z.iso.datetime(),
    expiresAt: z.optional(
      z.iso.datetime().register(z.globalRegistry, { description: 'Deleted then unless attached' }),
    ),
    attached: z.boolean(),
  })
  .register(z.globalRegistry, {
    id: 'UploadStatus',
    description: 'An upload as its uploader follows it: screening status, and whether something names it',
  });

export const FileLink = z
  .object({
    url: z.string().register(z.globalRegistry, {
      description: 'A short-lived link that downloads the file as an attachment',
    }),
    expiresAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'FileLink' });

export const AddAttachmentsBody = z.strictObject({ attachments: uploadIds(1) }).register(z.globalRegistry, {
  id: 'AddAttachmentsBody',
  description: 'More evidence for a complaint whose case is still open',
});

export const AddedAttachments = z
  .object({ attachments: z.array(AttachmentView) })
  .register(z.globalRegistry, { id: 'AddedAttachments', description: "The complaint's files now" });
