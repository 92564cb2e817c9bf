/** Reading complaints back: the complainant's own list, and one complaint for those allowed to see it. */
import { hash, timingSafeEqual } from 'node:crypto';
import type { CaseEvent } from '#shared/domain/case-event';
import { feedbackOpenUntil } from '#shared/domain/closing-feedback';
import { NotFoundError } from '#shared/domain/errors';
import { readableEvidence } from '#shared/domain/evidence';
import type { FeeCase, Stage } from '#shared/domain/fee-case';
import { handlingOffice, type OfficeLanguage } from '#shared/domain/handling-office';
import { canReadComplaint } from '#shared/domain/jurisdiction';
import type { Principal } from '#shared/domain/principal';
import { currentStepOf, decisionDueAtOf, progressOf } from '#shared/domain/progress';
import { timelineEventOf, timelineParams } from '#shared/domain/timeline';
import { parseWith } from '#shared/domain/validation';
import { caseSummary, type ProgressView } from '#shared/domain/views';
import type { ComplaintReads, ComplaintRecord, ContactSealer, Page } from '#shared/ports/complaints';
import {
  type ComplaintDetail,
  type ComplaintList,
  ComplaintView,
  ListComplaintsQuery,
  type PublicProgress,
  PublicProgressQuery,
  type TimelineEntry,
} from '#shared/read-complaints/messages';
import { classifyFee } from '#shared/rulebook/evaluate';

export interface ReadComplaintsDeps {
  reads: ComplaintReads;
  sealer: ContactSealer;
  now?: () => Date;
}

/** A reference names at most one complaint: the list filtered by it is that complaint, if it is the caller account's. */
const ownComplaintByReference = async (
  reads: ComplaintReads,
  enterpriseId: string,
  reference: string,
): Promise<Page<ComplaintRecord>> => {
  const target = await reads.findReference(reference);
  const complaint =
    target?.complaintId && target.enterpriseId === enterpriseId
      ? await reads.getComplaint(target.complaintId)
      : undefined;
  return { items: complaint ? [complaint] : [], cursor: null };
};

/** The complaints of the caller's enterprise account (`enterpriseId`), never those of another account of its credit code. */
export const listOwnComplaints = async (
  deps: ReadComplaintsDeps,
  enterpriseId: string,
  rawQuery: unknown,
): Promise<ComplaintList> => {
  const query = parseWith(ListComplaintsQuery, rawQuery, 'query');
  const page = query.reference
    ? await ownComplaintByReference(deps.reads, enterpriseId, query.reference)
    : await deps.reads.listByEnterprise(enterpriseId, query.limit, query.cursor);
  const cases = await deps.reads.getCases(page.items.map((complaint) => complaint.caseId));
  return {
    items: page.items.map((complaint) => {
      const feeCase = cases.get(complaint.caseId);
      return {
        complaintId: complaint.complaintId,
        ...(complaint.reference ? { reference: complaint.reference } : {}),
        caseId: complaint.caseId,
        associationName: complaint.association.name,
        feeName: complaint.fee.name,
        category: complaint.fee.category,
        amountFen: complaint.fee.amountFen,
        filedAt: complaint.filedAt,
        stage: feeCase?.stage ?? 'RECEIVED',
        ...(feeCase?.outcome ? { outcome: feeCase.outcome } : {}),
        // A repeat filing is listed as its own entry, marked as added to the complaint that counts.
        ...(complaint.repeatOf ? { repeatOf: complaint.repeatOf } : {}),
      };
    }),
    cursor: page.cursor,
  };
};

/** The complainant's view of progress: the events meant for them, each with the stage it left the case in. */
export const publicTimeline = (events: readonly CaseEvent[]): TimelineEntry[] => {
  const timeline: TimelineEntry[] = [];
  let stage: Stage = 'RECEIVED';
  for (const event of events) {
    stage = event.stage ?? stage;
    const shown = timelineEventOf(event);
    if (!shown) continue;
    const params = timelineParams(shown.type, shown.data);
    timeline.push({
      at: event.at,
      stage,
      type: shown.type,
      ...(Object.keys(params).length > 0 ? { params } : {}),
    });
  }
  return timeline;
};

/** Where the complaint stands and the office handling it: the routed agency, or the rulebook's suggestion until then. */
const progressView = (
  complaint: ComplaintRecord,
  feeCase: FeeCase,
  events: readonly CaseEvent[],
  language: OfficeLanguage,
): ProgressView => ({
  steps: progressOf(feeCase, events, complaint.filedAt),
  handlingOffice: handlingOffice(
    feeCase.agency ?? classifyFee({ fee: complaint.fee, facts: complaint.facts }).agency,
    feeCase.province,
    language,
  ),
  decisionDueAt: decisionDueAtOf(complaint),
});

export const readComplaint = async (
  deps: ReadComplaintsDeps,
  principal: Principal,
  complaintId: string,
  language: OfficeLanguage = 'zh-CN',
): Promise<ComplaintDetail> => {
  const notFound = () => new NotFoundError('No such complaint');
  if (complaintId.length > 100) throw notFound();
  const complaint = await deps.reads.getComplaint(complaintId);
  if (!complaint) throw notFound();
  const feeCase = await deps.reads.getCase(complaint.caseId);
  if (!feeCase || !canReadComplaint(principal, complaint, feeCase)) throw notFound();
  const [contact, events] = await Promise.all([
    deps.sealer.open(complaint.sealedContact, complaint.complaintId),
    deps.reads.listEvents(feeCase.caseId),
  ]);
  const feedbackUntil = feedbackOpenUntil(complaint, feeCase, (deps.now ?? (() => new Date()))());
  const { attachments: files, ...stored } = complaint;
  const attachments = readableEvidence(principal, files, {
    feeCase,
    complainants: [complaint.enterpriseId],
    filedBy: {
      enterpriseId: complaint.enterpriseId,
      discloseIdentityToAssociation: complaint.discloseIdentityToAssociation,
    },
  });
  return {
    // Parsing through the view keeps storage-only fields (sealed contact, version) out of the answer.
    complaint: ComplaintView.parse({ ...stored, contact, ...(attachments ? { attachments } : {}) }),
    case: caseSummary(feeCase),
    timeline: publicTimeline(events.filter((event) => isAboutComplaint(event, complaintId))),
    progress: progressView(complaint, feeCase, events, language),
    // The comment is the complainant's; regulators with jurisdiction read it with the rest of the complaint.
    ...(complaint.feedback ? { feedback: complaint.feedback } : {}),
    ...(feedbackUntil ? { feedbackUntil } : {}),
  };
};

/**
 * Progress for anyone holding a complaint's reference and its enterprise's credit code, without
 * signing in: the steps and their dates, nothing else. An unknown reference, a case's reference and a
 * wrong code get the same answer, after the same work (the code is compared in constant time), so the
 * lookup tells nobody which references exist.
 */
export const readPublicProgress = async (
  reads: ComplaintReads,
  rawQuery: unknown,
  language: OfficeLanguage,
): Promise<PublicProgress> => {
  const query = parseWith(PublicProgressQuery, rawQuery, 'query');
  const target = await reads.findReference(query.reference);
  const matches = sameCode(target?.enterpriseCreditCode ?? '', query.creditCode);
  const [complaint, feeCase] =
    target?.complaintId && matches
      ? await Promise.all([reads.getComplaint(target.complaintId), reads.getCase(target.caseId)])
      : [];
  if (!complaint || !feeCase) throw new NotFoundError('No complaint with this reference and credit code');
  const progress = progressView(complaint, feeCase, await reads.listEvents(feeCase.caseId), language);
  return {
    reference: query.reference,
    stage: currentStepOf(feeCase.stage),
    ...progress,
  };
};

/** Compares digests, so the time taken says nothing about how much of the code was right. */
const sameCode = (stored: string, given: string): boolean =>
  timingSafeEqual(hash('sha256', stored, 'buffer'), hash('sha256', given, 'buffer')) && stored !== '';

/** Events that record one complaint's arrival on a case that was already open. */
const arrivalEvents = new Set(['COMPLAINT_JOINED', 'INFORMATION_ADDED']);

/** A complainant sees the case's own progress and its own arrival, not other complainants' filings. */
const isAboutComplaint = (event: CaseEvent, complaintId: string): boolean =>
  !arrivalEvents.has(event.type) || event.data?.complaintId === complaintId;
