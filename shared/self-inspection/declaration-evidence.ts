/**
 * A declaration's files (docs/evidence.md, "Attaching"): each fee names the documents it rests on
 * (章程, 会员大会决议, 收费依据文件). All the fees' files are planned together, so a document several fees
 * rest on is attached once, and counted once against the association's budget for the year.
 */
import { ConflictError } from '#shared/domain/errors';
import {
  type AttachmentRecord,
  type DeclarationEvidenceTarget,
  MAX_DECLARATION_EVIDENCE_BYTES_PER_YEAR,
  MAX_DECLARATION_FILES,
} from '#shared/domain/evidence';
import type { SelfInspectionInput } from '#shared/domain/self-inspection';
import { attachEvidence, type EvidenceAttachment } from '#shared/evidence/attach';
import type { EvidenceUploads } from '#shared/ports/evidence';

export const declarationBudgetReached = () =>
  new ConflictError(
    `At most ${MAX_DECLARATION_EVIDENCE_BYTES_PER_YEAR / (1024 * 1024)} MB of files may be attached to an association's declarations of one year`,
    { reason: 'evidence_declaration_limit' },
  );

export interface DeclarationEvidence {
  attachment: EvidenceAttachment<DeclarationEvidenceTarget> | undefined;
  /** Each fee's files as it records them, in the fees' order. */
  feeFiles: (AttachmentRecord[] | undefined)[];
}

/** Checks the files the fees name (a refusal is a ConflictError with its reason) and plans attaching them. */
export const planDeclarationEvidence = async (
  uploads: Pick<EvidenceUploads, 'getMany'>,
  owner: string,
  input: SelfInspectionInput,
  target: DeclarationEvidenceTarget,
): Promise<DeclarationEvidence> => {
  const named = [...new Set(input.fees.flatMap((fee) => fee.attachments ?? []))];
  const attachment = await attachEvidence(uploads, {
    uploadIds: named,
    owner,
    party: 'ASSOCIATION',
    purpose: 'DECLARATION',
    target,
    limits: {
      files: MAX_DECLARATION_FILES,
      bytes: MAX_DECLARATION_EVIDENCE_BYTES_PER_YEAR,
      exceeded: declarationBudgetReached,
    },
  });
  const records = new Map((attachment?.records ?? []).map((record) => [record.fileId, record]));
  const feeFiles = input.fees.map((fee) =>
    fee.attachments?.length
      ? fee.attachments.flatMap((fileId) => {
          const record = records.get(fileId);
          return record ? [record] : [];
        })
      : undefined,
  );
  return { attachment, feeFiles };
};
