/**
 * Closing feedback: once its case is closed, the complainant says whether the refund arrived and how
 * the case was handled, once, within 30 days. "Refund not received" reopens the case's verification:
 * a new VERIFICATION task for the regulators, in the same write as the feedback, and a fresh
 * execution of the workflow waiting on it.
 */
import {
  type ClosingFeedback,
  ClosingFeedbackInput,
  feedbackWindow,
  type Satisfaction,
  tallyWith,
} from '#shared/domain/closing-feedback';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { FeeCase, RectificationRecord } from '#shared/domain/fee-case';
import { taskIdOf, VERIFICATION_SLA_DAYS } from '#shared/domain/fee-task';
import { recordedExecution } from '#shared/domain/resume-point';
import { parseWith } from '#shared/domain/validation';
import type { WorkingDayCalendar } from '#shared/domain/working-days';
import type { FeedbackReceipt } from '#shared/give-feedback/messages';
import type { CalendarStore } from '#shared/ports/calendar';
import type { CaseCommit, CaseStore, StoredTask } from '#shared/ports/cases';
import type { ComplaintReads, ComplaintRecord } from '#shared/ports/complaints';
import type { FeeCaseWorkflow } from '#shared/ports/workflow';

export interface FeedbackDeps {
  store: CaseStore;
  complaints: Pick<ComplaintReads, 'getComplaint'>;
  workflow: FeeCaseWorkflow;
  /** The working-day calendar the reopened verification's and order's due dates count by. */
  calendar: CalendarStore;
  now?: () => Date;
}

/**
 * The token a reopened task carries until the workflow waits on it: no engine knows it, so a
 * completion before then is recorded and collected when the workflow opens the task.
 */
const awaitingWorkflow = (taskId: string) => `awaiting-workflow:${taskId}`;

const sameFeedback = (given: ClosingFeedback, input: ClosingFeedbackInput) =>
  given.refundReceived === input.refundReceived &&
  given.satisfaction === input.satisfaction &&
  given.comment === input.comment;

const receiptOf = (complaint: ComplaintRecord, feedback: ClosingFeedback): FeedbackReceipt => ({
  complaintId: complaint.complaintId,
  caseId: complaint.caseId,
  feedback,
  reopened: feedback.refundReceived === false,
});

/** The refusals, in the order a complainant can act on them; nothing is written when one applies. */
const refusalOf = (
  complaint: ComplaintRecord,
  feeCase: FeeCase,
  input: ClosingFeedbackInput,
  now: Date,
): Error | undefined => {
  if (complaint.repeatOf)
    return new ConflictError(`Give feedback on your complaint ${complaint.repeatOf.complaintId}`);
  if (complaint.feedback) return new ConflictError('Feedback on this complaint was already given');
  const until = feedbackWindow(complaint, feeCase);
  if (!until) return new ConflictError('Feedback opens when the case is closed');
  if (Date.parse(until) < now.getTime())
    return new ConflictError(`Feedback was possible until ${until}, 30 days after the case closed`);
  if (input.refundReceived !== null && feeCase.refundedFen === 0) {
    return new ValidationError('No refund was recorded on this case', [
      {
        path: 'refundReceived',
        code: 'no_refund_recorded',
        message: 'no refund was recorded on this case: answer null (not applicable)',
      },
    ]);
  }
  return undefined;
};

/** The association's report, back to being verified. */
const awaitingVerification = ({ accepted: _accepted, ...report }: RectificationRecord): RectificationRecord =>
  report;

/** The feedback is recorded with the case's tally; a disputed refund also reopens verification. */
const feedbackCommit = (
  feeCase: FeeCase,
  complaintId: string,
  feedback: ClosingFeedback,
  now: Date,
  calendar: WorkingDayCalendar,
): Omit<CaseCommit, 'before' | 'at'> => {
  const tally = tallyWith(feeCase.feedback, feedback);
  const recorded = { complaintId, feedback };
  if (feedback.refundReceived !== false) {
    return {
      after: { ...feeCase, feedback: tally },
      // Counts only: the comment stays on the complaint, out of the append-only trail.
      event: {
        type: 'FEEDBACK_RECEIVED',
        actor: { role: 'enterprise' },
        data: { refundReceived: feedback.refundReceived, satisfaction: feedback.satisfaction },
      },
      feedback: recorded,
    };
  }
  const round = (feeCase.taskRounds?.VERIFICATION ?? 0) + 1;
  const taskId = taskIdOf(feeCase.caseId, 'VERIFICATION', round);
  const agency = feeCase.agency ?? 'SAMR';
  const task: StoredTask = {
    taskId,
    caseId: feeCase.caseId,
    kind: 'VERIFICATION',
    status: 'OPEN',
    agency,
    province: feeCase.province,
    dueAt: calendar.dueAt(now, VERIFICATION_SLA_DAYS),
    createdAt: feedback.givenAt,
    escalated: false,
    overdue: false,
    feeName: feeCase.fee.name,
    associationName: feeCase.association.name,
    category: feeCase.fee.category,
    ...(feeCase.reference ? { caseReference: feeCase.reference } : {}),
    taskToken: awaitingWorkflow(taskId),
    version: 1,
  };
  const execution = (feeCase.resumeCount ?? 0) + 1;
  // The closing's outcome and date go: counters, the open-data export and the views see an open case
  // again, and closing it anew counts it once.
  const { outcome: _outcome, closedAt: _closedAt, rectification, ...reopened } = feeCase;
  return {
    after: {
      ...reopened,
      stage: 'VERIFYING',
      feedback: tally,
      ...(rectification ? { rectification: awaitingVerification(rectification) } : {}),
      // The order's period runs again from the reopening: should the regulator now reject the report,
      // the association has that long to make the refund (and the waits have a period to time).
      ...(feeCase.order
        ? {
            order: {
              ...feeCase.order,
              dueAt: calendar.dueAt(now, feeCase.order.rectificationDays),
            },
          }
        : {}),
      currentTask: { taskId, kind: 'VERIFICATION' },
      taskRounds: { ...feeCase.taskRounds, VERIFICATION: round },
      resumeCount: execution,
      reopened: { times: (feeCase.reopened?.times ?? 0) + 1, taskId, execution, at: feedback.givenAt },
      flags: feeCase.flags.filter((flag) => flag === 'attention'),
    },
    // Names no complainant: the association and the regulators' office are told of it, the office
    // with the task's due date (which the progress shows too).
    event: {
      type: 'VERIFICATION_REOPENED',
      actor: { role: 'enterprise' },
      stage: 'VERIFYING',
      data: {
        taskId,
        kind: 'VERIFICATION',
        dueAt: task.dueAt,
        agency,
        province: feeCase.province,
        reason: 'REFUND_NOT_RECEIVED',
      },
    },
    tasks: [{ task, expected: 'new' }],
    feedback: recorded,
  };
};

/**
 * Starts the workflow of a reopened case at the reopened task, unless the case moved on or a later
 * resume started its own execution; a start already made is a no-op (the execution's name is taken).
 */
const startReopened = async (deps: FeedbackDeps, feeCase: FeeCase) => {
  const reopening = feeCase.reopened;
  if (
    !reopening ||
    feeCase.stage !== 'VERIFYING' ||
    feeCase.currentTask?.taskId !== reopening.taskId ||
    feeCase.resumeCount !== reopening.execution
  )
    return;
  await deps.workflow.start(feeCase.caseId, recordedExecution(feeCase));
};

export const giveFeedback = async (
  deps: FeedbackDeps,
  enterpriseId: string,
  complaintId: string,
  body: unknown,
): Promise<FeedbackReceipt> => {
  for (let attempt = 0; attempt < 10; attempt++) {
    const complaint = complaintId.length <= 100 ? await deps.complaints.getComplaint(complaintId) : undefined;
    // Another account's complaint (even of the same credit code) is as absent as a missing one, as on reading it.
    if (complaint?.enterpriseId !== enterpriseId) throw new NotFoundError('No such complaint');
    const input = parseWith(ClosingFeedbackInput, body, 'feedback');
    const feeCase = await deps.store.getCase(complaint.caseId);
    if (!feeCase) throw new NotFoundError('No such complaint');
    const now = (deps.now ?? (() => new Date()))();
    // The same feedback again is a retry (a lost answer, a double click): same receipt, and the
    // reopened workflow started if the first attempt did not get to it.
    if (complaint.feedback && sameFeedback(complaint.feedback, input)) {
      if (complaint.feedback.refundReceived === false) await startReopened(deps, feeCase);
      return receiptOf(complaint, complaint.feedback);
    }
    const refusal = refusalOf(complaint, feeCase, input, now);
    if (refusal) throw refusal;
    const at = now.toISOString();
    const feedback: ClosingFeedback = {
      refundReceived: input.refundReceived,
      satisfaction: input.satisfaction as Satisfaction,
      ...(input.comment === undefined ? {} : { comment: input.comment }),
      givenAt: at,
    };
    const committed = await deps.store.commit({
      ...feedbackCommit(feeCase, complaint.complaintId, feedback, now, await deps.calendar.calendar()),
      before: feeCase,
      at,
    });
    if (committed.status === 'committed') {
      if (feedback.refundReceived === false) await startReopened(deps, committed.feeCase);
      return receiptOf(complaint, feedback);
    }
    // The case or the complaint moved (a concurrent feedback, the workflow): decide again on what is stored now.
  }
  throw new ConflictError('The case kept changing; please retry');
};
