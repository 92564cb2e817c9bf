/**
 * A fee case for those who act on it: regulators with jurisdiction and campaign admins see it all;
 * the association sees its own case without anything that identifies a complainant who did not
 * agree to be named.
 */

import { type AuditSeal, type CaseEvent, verifyChain } from '#shared/domain/case-event';
import { NotFoundError } from '#shared/domain/errors';
import { type EvidenceContext, readableEvidence } from '#shared/domain/evidence';
import { caseFacts, type FeeCase } from '#shared/domain/fee-case';
import { type TaskKind, taskIdOf } from '#shared/domain/fee-task';
import { regulatorHasJurisdiction } from '#shared/domain/jurisdiction';
import type { Principal } from '#shared/domain/principal';
import { taskView } from '#shared/domain/views';
import type { AnchoredHeads } from '#shared/ports/anchors';
import type { CalendarStore } from '#shared/ports/calendar';
import type { CaseStore, StoredTask } from '#shared/ports/cases';
import type { ComplaintReads, ComplaintRecord } from '#shared/ports/complaints';
import { AssociationCaseView, CaseDetail, type CaseView } from '#shared/read-cases/messages';

export interface ReadCaseDeps {
  store: CaseStore;
  reads: ComplaintReads;
  /** Verifies the audit trail's links, and where the anchors outside the table last saw it. */
  auditSeal: AuditSeal;
  anchors: AnchoredHeads;
  /** Counts the working days left on the case's open task. */
  calendar: CalendarStore;
  now?: () => Date;
}

const canSeeCase = (principal: Principal, feeCase: FeeCase): 'full' | 'association' | false => {
  switch (principal.role) {
    case 'campaign-admin':
      return 'full';
    case 'regulator':
      return regulatorHasJurisdiction(principal, feeCase) ? 'full' : false;
    case 'association':
      return feeCase.association.creditCode === principal.creditCode ? 'association' : false;
    default:
      return false;
  }
};

/** Task kinds whose events the association sees: its order, its request for more time, and the check of its report. */
const orderTaskKinds = new Set(['RECTIFICATION', 'EXTENSION', 'VERIFICATION']);
const orderEventTypes = new Set(['ORDER_ISSUED', 'CASE_CLOSED']);

/**
 * The audit events about the order, the association's report and its verification. Every other
 * event is dated by a complainant (filing, joining, answering) or follows one within moments
 * (classification, review task), and a date is what the association's billing records match.
 */
const aboutTheOrder = (events: readonly CaseEvent[], tasks: readonly StoredTask[]) => {
  const orderTaskIds = new Set(
    tasks.filter((task) => orderTaskKinds.has(task.kind)).map((task) => task.taskId),
  );
  return events.filter(
    (event) => orderEventTypes.has(event.type) || orderTaskIds.has(event.data?.taskId as string),
  );
};

/**
 * The files of the decision that ordered rectification: those of the latest completed REVIEW, once the
 * case has an order (a decision still awaiting its second regulator has none).
 */
const orderFiles = (feeCase: FeeCase, tasks: readonly StoredTask[]) =>
  feeCase.order
    ? tasks
        .filter((task) => task.kind === 'REVIEW' && task.status === 'COMPLETED')
        .sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''))
        .at(-1)?.attachments
    : undefined;

export const readCase = async (
  deps: ReadCaseDeps,
  principal: Principal,
  caseId: string,
): Promise<CaseView> => {
  const feeCase = caseId.length <= 100 ? await deps.store.getCase(caseId) : undefined;
  const view = feeCase ? canSeeCase(principal, feeCase) : false;
  if (!feeCase || !view) throw new NotFoundError('No such case');
  const taskIds = Object.entries(feeCase.taskRounds ?? {}).flatMap(([kind, rounds]) =>
    Array.from({ length: rounds ?? 0 }, (_, i) => taskIdOf(caseId, kind as TaskKind, i + 1)),
  );
  const [complaints, tasks, events, anchored] = await Promise.all([
    deps.store.listComplaints(caseId),
    deps.store.getTasks(taskIds),
    deps.reads.listEvents(caseId),
    deps.anchors.latestHeadOf(caseId),
  ]);
  const now = (deps.now ?? (() => new Date()))();
  const calendar = await deps.calendar.calendar();
  const complainants = complaints.map((complaint) => complaint.enterpriseId);
  /** A complaint's files, as the rule lets the caller read them. */
  const filesOf = (complaint: ComplaintRecord) => {
    const context: EvidenceContext = {
      feeCase,
      complainants,
      filedBy: {
        enterpriseId: complaint.enterpriseId,
        discloseIdentityToAssociation: complaint.discloseIdentityToAssociation,
      },
    };
    const attachments = readableEvidence(principal, complaint.attachments, context);
    return attachments ? { attachments } : {};
  };
  const seen = {
    facts: caseFacts(
      feeCase,
      complaints.map((complaint) => complaint.facts),
    ),
    auditIntegrity: await verifyChain(events, deps.auditSeal, {
      lastLink: feeCase.lastEventHash,
      anchoredHeads: anchored ? [anchored] : [],
    }),
  };
  // Parsing through the schema drops storage-only fields and anything the view does not name.
  if (view === 'full') {
    return CaseDetail.parse({
      view,
      case: feeCase,
      classification: feeCase.classification ?? {},
      complaints: complaints.map((complaint) => ({
        complaintId: complaint.complaintId,
        ...(complaint.reference ? { reference: complaint.reference } : {}),
        filedAt: complaint.filedAt,
        amountFen: complaint.fee.amountFen,
        description: complaint.description,
        enterpriseCreditCode: complaint.enterpriseCreditCode,
        ...(complaint.repeatOf ? { repeatOf: complaint.repeatOf } : {}),
        // Closing feedback, comment included, is for the regulators; the association's view has none.
        ...(complaint.feedback ? { feedback: complaint.feedback } : {}),
        ...filesOf(complaint),
      })),
      tasks: tasks.map((task) => taskView(task, now, principal, calendar)),
      audit: events,
      ...seen,
    });
  }
  // The association's schema names no complaint amount, charge or filing date (the fee's and the
  // case's opening are the first complainant's), no refund basis (an amount) and no internal reason.
  const { final, ...classification } = feeCase.classification ?? {};
  const orderAttachments = readableEvidence(principal, orderFiles(feeCase, tasks), {
    feeCase,
    complainants,
    orderedRectification: true,
  });
  return AssociationCaseView.parse({
    view,
    case: feeCase,
    // A decision awaiting its second regulator (four eyes) is not one yet: the association learns it once confirmed.
    classification: final?.awaitingSecondReview ? classification : { ...classification, final },
    // A named complainant's row carries no amount: taken from the total claimed, it would give away
    // what the complainants who stay anonymous paid.
    complaints: complaints
      .filter((complaint) => complaint.discloseIdentityToAssociation)
      .map((complaint) => ({
        complaintId: complaint.complaintId,
        filedAt: complaint.filedAt,
        enterpriseCreditCode: complaint.enterpriseCreditCode,
        description: complaint.description,
        ...filesOf(complaint),
      })),
    tasks: tasks
      .filter((task) => task.kind === 'RECTIFICATION')
      .map((task) => taskView(task, now, principal, calendar)),
    ...(orderAttachments ? { orderAttachments } : {}),
    // The association sees what happened, not the data behind each step.
    audit: aboutTheOrder(events, tasks).map(({ data: _data, ...event }) => event),
    ...seen,
  });
};
