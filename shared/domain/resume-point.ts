/**
 * Where a fresh execution of a case's workflow starts, read from its case item: the wait of its
 * current task. Resuming after a restart and reopening a closed case's verification both start there.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import type { TaskKind } from '#shared/domain/fee-task';

/** An `Await…` state of the workflow, with what is left of the order's period. */
export interface ResumeInput {
  resumeAt?: string;
  order?: { rectificationSeconds: number };
}

const awaitStateOf: Record<TaskKind, string> = {
  REVIEW: 'AwaitReview',
  INFO: 'AwaitInfo',
  RECTIFICATION: 'AwaitRectification',
  VERIFICATION: 'AwaitVerification',
};

export const resumePoint = (feeCase: FeeCase, now: Date): ResumeInput => {
  const task = feeCase.currentTask;
  if (!task) return {};
  if (task.kind === 'RECTIFICATION' || task.kind === 'VERIFICATION') {
    const dueAt = feeCase.order ? Date.parse(feeCase.order.dueAt) : now.getTime();
    // A rejected rectification goes back to the association for the rest of the order's period.
    const rectificationSeconds = Math.max(1, Math.ceil((dueAt - now.getTime()) / 1000));
    return { resumeAt: awaitStateOf[task.kind], order: { rectificationSeconds } };
  }
  return { resumeAt: awaitStateOf[task.kind] };
};
