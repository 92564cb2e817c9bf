/**
 * More evidence for a complaint (`POST /api/complaints/{id}/attachments`): the enterprise that filed it
 * attaches more of its screened COMPLAINT uploads while the case is open. The files are appended to the
 * complaint, the uploads attached and an EVIDENCE_ADDED event linked into the case's audit trail, in one
 * write. The same uploads sent again answer the same list and write nothing.
 */
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import type * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';
import { planAttachment } from '#shared/evidence/attach';
import { AddAttachmentsBody, AddedAttachments } from '#shared/evidence/messages';
import type { CaseStore } from '#shared/ports/cases';
import type { ComplaintReads } from '#shared/ports/complaints';
import type { EvidenceUploads } from '#shared/ports/evidence';

export interface AddAttachmentsDeps {
  store: Pick<CaseStore, 'getCase' | 'commit'>;
  complaints: Pick<ComplaintReads, 'getComplaint'>;
  uploads: Pick<EvidenceUploads, 'getMany'>;
  now?: () => Date;
}

export const addComplaintAttachments = async (
  deps: AddAttachmentsDeps,
  enterprise: Extract<Principal, { role: 'enterprise' }>,
  complaintId: string,
  body: unknown,
): Promise<z.infer<typeof AddedAttachments>> => {
  const input = parseWith(AddAttachmentsBody, body, 'attachments');
  for (let attempt = 0; attempt < 10; attempt++) {
    const complaint = complaintId.length <= 100 ? await deps.complaints.getComplaint(complaintId) : undefined;
    // Another account's complaint, even of the same credit code, is as absent as a missing one.
    if (!complaint || complaint.enterpriseId !== enterprise.enterpriseId)
      throw new NotFoundError('No such complaint');
    const attached = complaint.attachments ?? [];
    const onComplaint = new Set(attached.map((record) => record.fileId));
    const fileIds = input.attachments.filter((uploadId) => !onComplaint.has(uploadId));
    // A repeat of an addition that landed: the complaint has these files already.
    if (fileIds.length === 0) return AddedAttachments.parse({ attachments: attached });
    const feeCase = await deps.store.getCase(complaint.caseId);
    if (!feeCase) throw new NotFoundError('No such complaint');
    if (feeCase.stage === 'CLOSED')
      throw new ConflictError('The case is closed: no more evidence can be added', { reason: 'case_closed' });
    const evidence = planAttachment(await deps.uploads.getMany(fileIds), {
      uploadIds: fileIds,
      owner: enterprise.subject,
      party: 'ENTERPRISE',
      purpose: 'COMPLAINT',
      target: { kind: 'COMPLAINT', complaintId, caseId: feeCase.caseId },
      attached,
    });
    const at = (deps.now ?? (() => new Date()))().toISOString();
    const outcome = await deps.store.commit({
      before: feeCase,
      after: feeCase,
      at,
      // Files by id only: a file's name may say who complains.
      event: { type: 'EVIDENCE_ADDED', actor: { role: 'enterprise' }, data: { complaintId, fileIds } },
      complaintAttachments: { complaintId, attachedBefore: attached.length, added: evidence.records },
      evidence,
    });
    if (outcome.status === 'committed')
      return AddedAttachments.parse({ attachments: [...attached, ...evidence.records] });
    // The case moved or another addition landed first: read both again.
  }
  throw new ConflictError('The case kept changing; please retry');
};
