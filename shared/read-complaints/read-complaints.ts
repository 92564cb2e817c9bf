/** Reading complaints back: the complainant's own list, and one complaint for those allowed to see it. */
import type { CaseEvent } from '#shared/domain/case-event';
import { feedbackOpenUntil } from '#shared/domain/closing-feedback';
import { NotFoundError } from '#shared/domain/errors';
import type { Stage } from '#shared/domain/fee-case';
import { canReadComplaint } from '#shared/domain/jurisdiction';
import type { Principal } from '#shared/domain/principal';
import { isTimelineEvent, timelineParams } from '#shared/domain/timeline';
import { parseWith } from '#shared/domain/validation';
import { caseSummary } from '#shared/domain/views';
import type { ComplaintReads, ContactSealer } from '#shared/ports/complaints';
import {
  type ComplaintDetail,
  type ComplaintList,
  ComplaintView,
  ListComplaintsQuery,
  type TimelineEntry,
} from '#shared/read-complaints/messages';

export interface ReadComplaintsDeps {
  reads: ComplaintReads;
  sealer: ContactSealer;
  now?: () => Date;
}

export const listOwnComplaints = async (
  deps: ReadComplaintsDeps,
  enterpriseCreditCode: string,
  rawQuery: unknown,
): Promise<ComplaintList> => {
  const query = parseWith(ListComplaintsQuery, rawQuery, 'query');
  const page = await deps.reads.listByEnterprise(enterpriseCreditCode, query.limit, query.cursor);
  const cases = await deps.reads.getCases(page.items.map((complaint) => complaint.caseId));
  return {
    items: page.items.map((complaint) => {
      const feeCase = cases.get(complaint.caseId);
      return {
        complaintId: complaint.complaintId,
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
    if (!isTimelineEvent(event.type)) continue;
    const params = timelineParams(event.type, event.data);
    timeline.push({
      at: event.at,
      stage,
      type: event.type,
      ...(Object.keys(params).length > 0 ? { params } : {}),
    });
  }
  return timeline;
};

export const readComplaint = async (
  deps: ReadComplaintsDeps,
  principal: Principal,
  complaintId: string,
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
  return {
    // Parsing through the view keeps storage-only fields (sealed contact, version) out of the answer.
    complaint: ComplaintView.parse({ ...complaint, contact }),
    case: caseSummary(feeCase),
    timeline: publicTimeline(events.filter((event) => isAboutComplaint(event, complaintId))),
    // The comment is the complainant's; regulators with jurisdiction read it with the rest of the complaint.
    ...(complaint.feedback ? { feedback: complaint.feedback } : {}),
    ...(feedbackUntil ? { feedbackUntil } : {}),
  };
};

/** Events that record one complaint's arrival on a case that was already open. */
const arrivalEvents = new Set(['COMPLAINT_JOINED', 'INFORMATION_ADDED']);

/** A complainant sees the case's own progress and its own arrival, not other complainants' filings. */
const isAboutComplaint = (event: CaseEvent, complaintId: string): boolean =>
  !arrivalEvents.has(event.type) || event.data?.complaintId === complaintId;
