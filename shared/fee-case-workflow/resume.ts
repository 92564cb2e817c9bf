/**
 * Resuming a case's workflow from where its case item says it stands: after a restart of the local
 * runtime (whose engine keeps executions in memory), or to move open cases to a new workflow version.
 * Re-entering a wait re-opens the same task (or replays its recorded result), so nothing is repeated.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import type { TaskKind } from '#shared/domain/fee-task';
import type { CaseStore } from '#shared/ports/cases';

export interface ResumeInput {
  resumeAt?: string;
  /** The order's period, which a rejected rectification's escalation counts again. */
  order?: { rectificationDays: number };
}

const awaitStateOf: Record<TaskKind, string> = {
  REVIEW: 'AwaitReview',
  INFO: 'AwaitInfo',
  RECTIFICATION: 'AwaitRectification',
  VERIFICATION: 'AwaitVerification',
};

/**
 * Where a case's workflow resumes. A wait resumes until its task's own due date (the workflow reads it
 * from the task), so nothing here is about time; rectification and verification carry the order's
 * period in working days, which the workflow needs if the rectification is rejected or runs late.
 */
export const resumePoint = (feeCase: FeeCase): ResumeInput => {
  const task = feeCase.currentTask;
  if (!task) return {};
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

export interface ResumableWorkflow {
  start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void>;
}

/** Starts a fresh execution for every case not yet closed; returns how many were resumed. */
export const resumeOpenCases = async (deps: {
  store: CaseStore;
  workflow: ResumableWorkflow;
  now?: () => Date;
}): Promise<number> => {
  const open = await deps.store.listOpenCases();
  for (const listed of open) {
    // A case that moves meanwhile (a task completed the moment the API came back) is read again and
    // resumed from where it stands then; skipping it would leave it without a workflow.
    let feeCase: FeeCase | undefined = listed;
    for (let attempt = 0; feeCase && feeCase.stage !== 'CLOSED' && attempt < 20; attempt++) {
      const now = (deps.now ?? (() => new Date()))();
      const count = (feeCase.resumeCount ?? 0) + 1;
      const input = resumePoint(feeCase);
      const committed = await deps.store.commit({
        before: feeCase,
        after: { ...feeCase, resumeCount: count },
        at: now.toISOString(),
        event: { type: 'WORKFLOW_RESUMED', actor: { role: 'workflow' }, data: { count, ...input } },
      });
      if (committed.status === 'committed') {
        await deps.workflow.start(feeCase.caseId, { count, input });
        break;
      }
      feeCase = await deps.store.getCase(listed.caseId);
    }
  }
  return open.length;
};
