/**
 * Evidence files (docs/evidence.md): what may be uploaded, by whom, for what, how it is screened and
 * who may read it. Pure rules; the bucket and the table are behind the ports in shared/ports/evidence.ts.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import { regulatorHasJurisdiction } from '#shared/domain/jurisdiction';
import type { Principal } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';
import { issueParams, namedPattern } from '#shared/domain/validation';

/** What a file is evidence for; it decides who may upload it and what it may be attached to. */
export const evidencePurposes = ['COMPLAINT', 'INFO', 'RECTIFICATION', 'DECISION', 'DECLARATION'] as const;
export type EvidencePurpose = (typeof evidencePurposes)[number];

/** PDF, JPEG, PNG and OFD (GB/T 33190, China's format for electronic invoices: a ZIP with OFD.xml). */
export const evidenceContentTypes = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/ofd',
] as const;
export type EvidenceContentType = (typeof evidenceContentTypes)[number];

/** The file name endings each type may have, for the browser's picker and the check of a declared name. */
export const evidenceExtensions: Record<EvidenceContentType, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'application/ofd': ['.ofd'],
};

export const MAX_EVIDENCE_FILE_BYTES = 10 * 1024 * 1024;
/** Files one complaint, answer, report, request or decision may name. */
export const MAX_ATTACHMENTS = 10;
/** Bytes one party (the complainants, the association, the regulators) may attach to one case. */
export const MAX_CASE_EVIDENCE_BYTES_PER_PARTY = 50 * 1024 * 1024;
/**
 * Bytes of files one association may attach to its declarations of one year, all versions together:
 * room for a basis document of 2 MB for each of the 50 fees a declaration may list. A declaration has
 * no case, so the per-case budget cannot hold it; files a correction names again do not count again.
 */
export const MAX_DECLARATION_EVIDENCE_BYTES_PER_YEAR = 100 * 1024 * 1024;
/**
 * Files one declaration version may name in all (each fee at most MAX_ATTACHMENTS): they are attached
 * in the version's own transaction, which DynamoDB caps at 100 writes.
 */
export const MAX_DECLARATION_FILES = 50;
/** An upload no complaint, answer, report or decision names within this time is deleted. */
export const UPLOAD_UNREFERENCED_HOURS = 24;
/** How long the presigned upload form may be used. */
export const UPLOAD_FORM_SECONDS = 15 * 60;
/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

/** PENDING until the screening function has looked at the bytes; nobody but the uploader sees it before CLEAN. */
export const screeningStatuses = ['PENDING', 'CLEAN', 'REFUSED'] as const;
export type ScreeningStatus = (typeof screeningStatuses)[number];

/** Why screening refused a file; the uploader is told (the portal words each in both languages). */
export const screeningRefusals = [
  /** The bytes are not the declared type (a PNG renamed .pdf). */
  'TYPE_MISMATCH',
  /** The object is larger than declared, or empty. */
  'SIZE_MISMATCH',
  /** A PDF with JavaScript, an open or launch action. */
  'PDF_ACTIVE_CONTENT',
  /** A PDF that carries embedded files. */
  'PDF_EMBEDDED_FILE',
  /** An encrypted PDF, whose content cannot be checked. */
  'PDF_ENCRYPTED',
  /** A PDF, image or OFD that cannot be read as one. */
  'UNREADABLE',
] as const;
export type ScreeningRefusal = (typeof screeningRefusals)[number];

/** Who uploaded a file: the complainant, the association, or an official (regulator or campaign admin). */
export type EvidenceParty = 'ENTERPRISE' | 'ASSOCIATION' | 'OFFICIAL';

/** The purposes each role may upload for. Officials report on an association's behalf, hence RECTIFICATION. */
export const uploadPurposesOf = (principal: Principal): readonly EvidencePurpose[] => {
  switch (principal.role) {
    case 'enterprise':
      return ['COMPLAINT', 'INFO'];
    case 'association':
      return ['RECTIFICATION', 'DECLARATION'];
    case 'regulator':
    case 'campaign-admin':
      return ['DECISION', 'RECTIFICATION'];
    default:
      return [];
  }
};

export const partyOf = (principal: Principal): EvidenceParty | undefined => {
  switch (principal.role) {
    case 'enterprise':
      return 'ENTERPRISE';
    case 'association':
      return 'ASSOCIATION';
    case 'regulator':
    case 'campaign-admin':
      return 'OFFICIAL';
    default:
      return undefined;
  }
};

/** What a file of a case is attached to once named: a complaint (at filing or later), or a task's submission. */
export type CaseEvidenceTarget =
  | { kind: 'COMPLAINT'; complaintId: string; caseId: string }
  | { kind: 'TASK'; taskId: string; caseId: string };
/**
 * A declaration's file belongs to the association's declaration of the year, first named by `version`;
 * later versions (corrections) of the same year may name it again.
 */
export type DeclarationEvidenceTarget = {
  kind: 'DECLARATION';
  creditCode: string;
  year: number;
  version: number;
};
export type EvidenceTarget = CaseEvidenceTarget | DeclarationEvidenceTarget;

/** An upload as the table keeps it (docs/data-model.md, `UPLOAD#<uploadId>`). */
export interface EvidenceUpload {
  uploadId: string;
  purpose: EvidencePurpose;
  /** The name the uploader gave, shown to those who may read the file and in its download. */
  fileName: string;
  contentType: EvidenceContentType;
  /** Declared bytes; the upload form refuses a larger body. */
  size: number;
  party: EvidenceParty;
  /** The uploader's subject; only they may name the upload. */
  owner: string;
  /** The uploading enterprise's or association's credit code. */
  ownerCreditCode?: string;
  uploadedAt: string;
  /** Deleted after this unless attached (then absent). */
  expiresAt?: string;
  status: ScreeningStatus;
  reason?: ScreeningRefusal;
  screenedAt?: string;
  /** Bytes after screening (re-encoded images are smaller or larger than uploaded). */
  storedSize?: number;
  /** SHA-256 (hex) of the screened bytes, for the audit trail. */
  sha256?: string;
  attachedTo?: EvidenceTarget;
  attachedAt?: string;
}

/** A file as the complaint, task or case it is attached to records it: copied when attached, never changed. */
export interface AttachmentRecord {
  fileId: string;
  fileName: string;
  contentType: EvidenceContentType;
  size: number;
  purpose: EvidencePurpose;
  party: EvidenceParty;
  uploadedAt: string;
}

/** What decides who may read a file besides the file itself: the case it is attached to and who stands where on it. */
export interface EvidenceContext {
  /** The case the file is attached to: its association and the office that handles it. */
  feeCase: Pick<FeeCase, 'agency' | 'province'> & { association: Pick<FeeCase['association'], 'creditCode'> };
  /** The enterprise accounts (`enterpriseId`) that filed complaints on the case: all of them read the officials' files. */
  complainants: readonly string[];
  /**
   * COMPLAINT and INFO files: the complainant's account whose file it is, and whether it disclosed
   * its identity to the association. Another account of the same credit code does not read them.
   */
  filedBy?: { enterpriseId: string; discloseIdentityToAssociation: boolean };
  /** DECISION files: whether the decision they came with ordered rectification. */
  orderedRectification?: boolean;
}

const isComplainantsFile = (file: Pick<AttachmentRecord, 'purpose'>) =>
  file.purpose === 'COMPLAINT' || file.purpose === 'INFO';

/**
 * Who may read an attached file (docs/evidence.md, "Who may download"): the one rule behind every view
 * that lists files and every download. Regulators need jurisdiction over the case, campaign admins read
 * all; a complainant's files reach the association only when that complainant disclosed its identity.
 */
export const mayReadEvidence = (
  principal: Principal,
  file: Pick<AttachmentRecord, 'purpose'>,
  context: EvidenceContext,
): boolean => {
  switch (principal.role) {
    case 'campaign-admin':
      return true;
    case 'regulator':
      return regulatorHasJurisdiction(principal, context.feeCase);
    case 'enterprise':
      if (file.purpose === 'DECISION') return context.complainants.includes(principal.enterpriseId);
      return isComplainantsFile(file) && context.filedBy?.enterpriseId === principal.enterpriseId;
    case 'association':
      if (context.feeCase.association.creditCode !== principal.creditCode) return false;
      if (file.purpose === 'RECTIFICATION') return true;
      if (file.purpose === 'DECISION') return context.orderedRectification === true;
      return context.filedBy?.discloseIdentityToAssociation === true;
    default:
      return false;
  }
};

/**
 * Who may read a declaration's file (docs/evidence.md, "Who may download"): those who read the
 * declaration itself, the association and every official (regulators read any association's
 * declarations, so a SELF_INSPECTION case's regulators are among them). Not the public: its fee list
 * shows the basis as cited, not the documents, which may name members and signatories.
 */
export const mayReadDeclarationEvidence = (
  principal: Principal,
  target: DeclarationEvidenceTarget,
): boolean =>
  principal.role === 'campaign-admin' ||
  principal.role === 'regulator' ||
  (principal.role === 'association' && principal.creditCode === target.creditCode);

/** The files of `records` the principal may read, or undefined when none: views leave the field out then. */
export const readableEvidence = (
  principal: Principal,
  records: readonly AttachmentRecord[] | undefined,
  context: EvidenceContext,
): AttachmentRecord[] | undefined => {
  const readable = (records ?? []).filter((record) => mayReadEvidence(principal, record, context));
  return readable.length > 0 ? readable : undefined;
};

/** The bucket keys: bound to the uploader until screened, then by id; refused files go to quarantine. */
export const evidenceObjectKeys = {
  incoming: (ownerKey: string, uploadId: string) => `incoming/${ownerKey}/${uploadId}`,
  screened: (uploadId: string) => `evidence/${uploadId}`,
  quarantined: (uploadId: string) => `quarantine/${uploadId}`,
} as const;

/** The upload id of an incoming key, or undefined for a key that is not one. */
export const uploadIdOfIncomingKey = (key: string): string | undefined =>
  /^incoming\/[0-9a-f]{32}\/([0-9a-f-]{36})$/.exec(key)?.[1];

/** Upload ids, `min` to MAX_ATTACHMENTS of them, each once. */
export const uploadIds = (min: number) =>
  z
    .array(
      z
        .string()
        .check(
          namedPattern(
            'upload_id',
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
            'an upload id',
          ),
        ),
    )
    .check(
      z.minLength(min, 'name at least one file'),
      z.maxLength(MAX_ATTACHMENTS, `must name at most ${MAX_ATTACHMENTS} files`),
      z.refine((ids) => new Set(ids).size === ids.length, {
        message: 'name each file once',
        params: issueParams('not_unique'),
      }),
    );

/** Upload ids named by a complaint, answer, report, request or decision. */
export const Attachments = uploadIds(0).register(z.globalRegistry, {
  id: 'Attachments',
  description: `Upload ids (POST /api/uploads) of screened files, at most ${MAX_ATTACHMENTS}`,
});
