/**
 * Resuming a case's workflow from where its case item says it stands: after a restart of the local
 * runtime (whose engine keeps executions in memory), or to move open cases to a new workflow version.
 * Re-entering a wait re-opens the same task (or replays its recorded result), so nothing is repeated.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import { type ResumeInput, resumePoint } from '#shared/domain/resume-point';
import type { CaseStore } from '#shared/ports/cases';

export interface ResumableWorkflow {
  start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void>;
}

/** How many cases resume at once: thousands of open cases resume in a minute or two, not one by one. */
const RESUME_CONCURRENCY = 16;

/** Starts a fresh execution for every case not yet closed; returns how many were resumed. */
export const resumeOpenCases = async (deps: {
  store: CaseStore;
  workflow: ResumableWorkflow;
  now?: () => Date;
  /** Stops taking further cases (the runtime is stopping); those left are resumed at its next start. */
  signal?: AbortSignal;
}): Promise<number> => {
  const open = await deps.store.listOpenCases();
  const resume = async (listed: FeeCase) => {
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
  };
  // Cases are independent of each other: a few workers take them in turn.
  let next = 0;
  let resumed = 0;
  const worker = async () => {
    for (let index = next++; index < open.length && !deps.signal?.aborted; index = next++) {
      await resume(open[index] as FeeCase);
      resumed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESUME_CONCURRENCY, open.length) }, worker));
  return resumed;
};
