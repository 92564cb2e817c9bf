/**
 * Resuming a case's workflow from where its case item says it stands: after a restart of the local
 * runtime (whose engine keeps executions in memory), or to move open cases to a new workflow version.
 * Re-entering a wait re-opens the same task (or replays its recorded result), so nothing is repeated.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FeeCase } from '#shared/domain/fee-case';
import { type ResumeInput, recordedExecution, resumePoint } from '#shared/domain/resume-point';
import type { CaseStore } from '#shared/ports/cases';

export interface ResumableWorkflow {
  start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void>;
}

/** How many cases resume at once: thousands of open cases resume in a minute or two, not one by one. */
const RESUME_CONCURRENCY = 16;
/** Tries per case: a passing failure (a reset connection, a throttled call) is tried again. */
const ATTEMPTS = 3;

export interface ResumeOutcome {
  resumed: number;
  /**
   * Cases that failed every try, with the last error: left without a workflow until the next
   * resume, so they are named.
   */
  failed: { caseId: string; error: string }[];
}

/** Starts an execution for every case not yet closed, from where its case item says it stands. */
export const resumeOpenCases = async (deps: {
  store: CaseStore;
  workflow: ResumableWorkflow;
  now?: () => Date;
  /** Stops taking further cases (the runtime is stopping); those left are resumed at its next start. */
  signal?: AbortSignal;
  /** Wait before a case's next try, doubled each time; default 500 ms. */
  retryDelayMs?: number;
  /**
   * The engine lost every execution (the local runtime restarted): each case's recorded execution
   * starts again under its own name, and nothing is written. A restart is not an event of the case,
   * and one with thousands of open cases then costs no case writes contending with the journal and
   * the API. Otherwise (onto a new workflow version) each resumption is counted on the case, with its
   * audit event, for a name no execution has had.
   */
  engineRestarted?: boolean;
}): Promise<ResumeOutcome> => {
  const open = await deps.store.listOpenCases();
  const resume = async (listed: FeeCase) => {
    // Every start of a case in this engine's life (this one, a redelivered opening, a retried reopening)
    // uses the recorded name, whose count changes only when a closed case is reopened (never listed
    // here), and the engine keeps each name taken while it runs: so a case that moved since it was
    // listed was started under this name already, and this start is a no-op.
    if (deps.engineRestarted) {
      await deps.workflow.start(listed.caseId, recordedExecution(listed));
      return;
    }
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
  // One case's failure is not every case's: it is tried again, and then named while the others go on.
  // A try after a failed start finds its own commit and resumes the case again (under the next count).
  const resumeTrying = async (listed: FeeCase): Promise<{ error: string } | undefined> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await resume(listed);
        return undefined;
      } catch (error) {
        if (attempt === ATTEMPTS || deps.signal?.aborted) return { error: String(error) };
        await sleep((deps.retryDelayMs ?? 500) * 2 ** (attempt - 1));
      }
    }
  };
  // Cases are independent of each other: a few workers take them in turn.
  let next = 0;
  const outcome: ResumeOutcome = { resumed: 0, failed: [] };
  const worker = async () => {
    for (let index = next++; index < open.length && !deps.signal?.aborted; index = next++) {
      const listed = open[index] as FeeCase;
      const failure = await resumeTrying(listed);
      if (failure) outcome.failed.push({ caseId: listed.caseId, ...failure });
      else outcome.resumed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESUME_CONCURRENCY, open.length) }, worker));
  return outcome;
};
