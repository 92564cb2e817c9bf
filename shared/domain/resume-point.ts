/**
 * Where a fresh execution of a case's workflow starts, read from its case item: the wait of its
 * current task. Resuming after a restart and reopening a closed case's verification both start there.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import type { CaseTaskKind } from '#shared/domain/fee-task';

/** An `Await…` state of the workflow, with the order's period in working days. */
export interface ResumeInput {
  resumeAt?: string;
  /** The order's period, which a rejected rectification's escalation counts again. */
  order?: { rectificationDays: number };
}

/** The wait of each kind of task the workflow waits on; an EXTENSION is decided beside the rectification wait. */
const awaitStateOf: Record<Exclude<CaseTaskKind, 'EXTENSION'>, string> = {
  REVIEW: 'AwaitReview',
  INFO: 'AwaitInfo',
  RECTIFICATION: 'AwaitRectification',
  VERIFICATION: 'AwaitVerification',
  SECOND_REVIEW: 'AwaitSecondReview',
};

/**
 * A wait resumes until its task's own due date (the workflow reads it from the task), so nothing here
 * is about time; rectification and verification carry the order's period in working days, which the
 * workflow needs if the rectification is rejected or runs late.
 */
export const resumePoint = (feeCase: FeeCase): ResumeInput => {
  const task = feeCase.currentTask;
  if (!task || task.kind === 'EXTENSION' || task.kind === 'DECLARATION') return {};
  if (task.kind === 'RECTIFICATION' || task.kind === 'VERIFICATION') {
    // Without its order (never seen: the order comes first) the case would only miss it: issue it.
    if (!feeCase.order) return { resumeAt: 'IssueOrder' };
    return {
      resumeAt: awaitStateOf[task.kind],
      order: { rectificationDays: feeCase.order.rectificationDays },
    };
  }
  return { resumeAt: awaitStateOf[task.kind] };
};

/**
 * The execution the case item records, from where the case stands: its name's count (0, the case's
 * first execution) and its input. Every start of a case within one engine's life uses it, so they meet
 * on one name (docs/workflow.md).
 */
export const recordedExecution = (feeCase: FeeCase): { count: number; input: ResumeInput } => ({
  count: feeCase.resumeCount ?? 0,
  input: resumePoint(feeCase),
});
