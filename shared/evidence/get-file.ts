/**
 * A download link for a screened file, to those docs/evidence.md ("Who may download") allows, and a
 * 404 to everyone else alike: a refusal must not tell that the file exists. Officials' downloads are
 * recorded for the case's audit trail before the link is handed out, so no official reads evidence
 * unrecorded: as a pending event, which the case journal links (and seals) moments later.
 */
import type { CaseEventDraft } from '#shared/domain/case-event';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import {
  type CaseEvidenceTarget,
  type DeclarationEvidenceTarget,
  DOWNLOAD_LINK_SECONDS,
  type EvidenceContext,
  type EvidenceUpload,
  evidenceObjectKeys,
  mayReadDeclarationEvidence,
  mayReadEvidence,
} from '#shared/domain/evidence';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';
import type { CaseStore, PendingCaseEvents, StoredTask } from '#shared/ports/cases';
import type { ComplaintReads } from '#shared/ports/complaints';
import type { DeclarationFileViews, EvidenceLinks, EvidenceUploads } from '#shared/ports/evidence';

export interface GetFileDeps {
  uploads: Pick<EvidenceUploads, 'get'>;
  objects: Pick<EvidenceLinks, 'presignDownload'>;
  store: Pick<CaseStore, 'getCase' | 'getTask' | 'listComplaints'>;
  caseEvents: PendingCaseEvents;
  complaints: Pick<ComplaintReads, 'getComplaint' | 'isComplainant'>;
  declarationFiles: DeclarationFileViews;
  now?: () => Date;
}

export interface FileLink {
  url: string;
  expiresAt: string;
}

/** Ids are UUIDs; anything longer is no file and is not looked up. */
const maxIdLength = 100;

const notFound = () => new NotFoundError('No such file');

type Official = Extract<Principal, { role: 'regulator' | 'campaign-admin' }>;

const isOfficial = (principal: Principal): principal is Official =>
  principal.role === 'regulator' || principal.role === 'campaign-admin';

/** Regulators with jurisdiction over the case and campaign admins read every file attached to it. */
const officialMayRead = (principal: Official, upload: EvidenceUpload, feeCase: FeeCase): boolean =>
  mayReadEvidence(principal, upload, { feeCase, complainants: [] });

/**
 * Whether a REVIEW task's decision reached those outside the office: at once, or under four eyes once
 * a second regulator confirmed it (the case's decision is then this one, no longer awaiting). A
 * proposal still waiting, or refused, stays the regulators' own deliberation.
 */
const decisionMadeKnown = (task: StoredTask, feeCase: FeeCase): boolean => {
  if (task.kind !== 'REVIEW' || task.status !== 'COMPLETED') return false;
  if (task.result?.secondReview !== true) return true;
  const final = feeCase.classification?.final;
  return final !== undefined && !final.awaitingSecondReview && final.decidedAt === task.completedAt;
};

/** The decision orders the association to rectify: an unlawful fee, or a regulated one with actions. */
const decisionOrdersRectification = (task: StoredTask): boolean =>
  task.result?.verdict === 'UNLAWFUL' ||
  (task.result?.verdict === 'REGULATED' && task.result.hasActions === true);

/** A complainant's file names who filed it, and whether it agreed to be named to the association. */
const filedByOf = async (
  deps: GetFileDeps,
  target: CaseEvidenceTarget,
): Promise<EvidenceContext['filedBy']> => {
  if (target.kind === 'COMPLAINT') {
    const complaint = await deps.complaints.getComplaint(target.complaintId);
    return (
      complaint && {
        enterpriseId: complaint.enterpriseId,
        discloseIdentityToAssociation: complaint.discloseIdentityToAssociation,
      }
    );
  }
  const task = await deps.store.getTask(target.taskId);
  const enterpriseId = task?.kind === 'INFO' ? task.enterpriseId : undefined;
  if (!enterpriseId) return undefined;
  // An answer is the complainant's, not one complaint's: named only if every complaint it filed on the case agreed.
  const own = (await deps.store.listComplaints(target.caseId)).filter(
    (complaint) => complaint.enterpriseId === enterpriseId,
  );
  return {
    enterpriseId,
    discloseIdentityToAssociation:
      own.length > 0 && own.every((complaint) => complaint.discloseIdentityToAssociation),
  };
};

/**
 * What the one rule (`mayReadEvidence`) needs to know besides the case, read only as far as the
 * caller's role needs it: officials read by the case alone.
 */
const contextOf = async (
  deps: GetFileDeps,
  principal: Principal,
  upload: EvidenceUpload,
  target: CaseEvidenceTarget,
  feeCase: FeeCase,
): Promise<EvidenceContext> => {
  const context: EvidenceContext = { feeCase, complainants: [] };
  if (principal.role !== 'enterprise' && principal.role !== 'association') return context;
  switch (upload.purpose) {
    case 'COMPLAINT':
    case 'INFO': {
      const filedBy = await filedByOf(deps, target);
      return filedBy ? { ...context, filedBy } : context;
    }
    case 'RECTIFICATION':
    case 'DECLARATION':
      return context;
    case 'DECISION': {
      const task = target.kind === 'TASK' ? await deps.store.getTask(target.taskId) : undefined;
      // Until the decision is made known, its files are nobody's outside the office.
      if (!task || !decisionMadeKnown(task, feeCase)) return context;
      if (principal.role === 'association')
        return { ...context, orderedRectification: decisionOrdersRectification(task) };
      // Whether the caller is among the complainants is all the rule asks: intake's marker says so.
      const complained = await deps.complaints.isComplainant(feeCase.caseId, principal.enterpriseId);
      return { ...context, complainants: complained ? [principal.enterpriseId] : [] };
    }
  }
};

/** Records an official's download for the case's audit trail; a concurrent transfer is read again. */
const auditDownload = async (
  deps: GetFileDeps,
  principal: Official,
  upload: EvidenceUpload,
  first: FeeCase,
  at: string,
): Promise<void> => {
  // Files by id, never by name: a name may say who complained.
  const event: CaseEventDraft = {
    type: 'EVIDENCE_VIEWED',
    actor: { role: principal.role, subject: principal.subject },
    data: { fileId: upload.uploadId, purpose: upload.purpose, party: upload.party },
  };
  let feeCase: FeeCase | undefined = first;
  for (let attempt = 0; attempt < 10; attempt++) {
    // A case transferred away meanwhile is no longer the regulator's to read.
    if (!feeCase || !officialMayRead(principal, upload, feeCase)) throw notFound();
    if ((await deps.caseEvents.recordPending(feeCase, event, at)) === 'recorded') return;
    feeCase = await deps.store.getCase(feeCase.caseId);
  }
  throw new ConflictError('The case kept changing; please retry');
};

/**
 * A declaration's file: read by those who read the declaration. It has no case whose trail could hold
 * an official's download, so the declaration's own trail does, before the link is signed.
 */
const checkDeclarationFile = async (
  deps: GetFileDeps,
  principal: Principal,
  upload: EvidenceUpload,
  target: DeclarationEvidenceTarget,
  at: string,
): Promise<void> => {
  if (!mayReadDeclarationEvidence(principal, target)) throw notFound();
  if (isOfficial(principal))
    await deps.declarationFiles.recordView({
      creditCode: target.creditCode,
      year: target.year,
      fileId: upload.uploadId,
      actor: { role: principal.role, subject: principal.subject },
      at,
    });
};

export const getFile = async (deps: GetFileDeps, principal: Principal, fileId: string): Promise<FileLink> => {
  const upload = fileId.length <= maxIdLength ? await deps.uploads.get(fileId) : undefined;
  if (upload?.status !== 'CLEAN' || principal.role === 'anonymous') throw notFound();
  const now = (deps.now ?? (() => new Date()))();
  const target = upload.attachedTo;
  if (!target) {
    // Before anything names it, a screened file is its uploader's alone.
    if (upload.owner !== principal.subject) throw notFound();
  } else if (target.kind === 'DECLARATION') {
    await checkDeclarationFile(deps, principal, upload, target, now.toISOString());
  } else {
    const feeCase = await deps.store.getCase(target.caseId);
    if (!feeCase) throw notFound();
    const context = await contextOf(deps, principal, upload, target, feeCase);
    if (!mayReadEvidence(principal, upload, context)) throw notFound();
    if (isOfficial(principal)) await auditDownload(deps, principal, upload, feeCase, now.toISOString());
  }
  const url = await deps.objects.presignDownload(
    evidenceObjectKeys.screened(upload.uploadId),
    upload.fileName,
    upload.contentType,
    DOWNLOAD_LINK_SECONDS,
  );
  return { url, expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1_000).toISOString() };
};
