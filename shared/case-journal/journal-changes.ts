/**
 * What the case journal does with the table's changes: a filing's pending event is linked into its
 * case's chain (with the counts it brings); a pending opening event (`caseOpeningItems`, whoever
 * opened the case) also starts the case's workflow once it is linked, under the name of the execution
 * the case records (at first the case id), so a redelivery starts nothing twice; and a case that moved
 * to another office has its fee's pointer follow, for the filings that read only the pointer.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import { recordedExecution } from '#shared/domain/resume-point';
import type { FeeCaseWorkflow } from '#shared/ports/workflow';

export type JournalChange =
  | { changeId: string; kind: 'pending-event'; caseId: string; opensCase: boolean }
  | {
      changeId: string;
      kind: 'office-moved';
      feeCase: Pick<FeeCase, 'caseId' | 'feeKey' | 'agency' | 'province'>;
    };

export interface CaseJournal {
  /** Links the case's pending events, exactly once; throws when the case kept moving (retry later). */
  linkPending(caseId: string): Promise<number>;
  /** The case as stored now (a consistent read). */
  caseOf(caseId: string): Promise<FeeCase | undefined>;
  followOffice(feeCase: Pick<FeeCase, 'caseId' | 'feeKey' | 'agency' | 'province'>): Promise<void>;
}

const caseOf = (change: JournalChange) =>
  change.kind === 'office-moved' ? change.feeCase.caseId : change.caseId;

/** Applies the changes case by case; returns the ids of the changes to retry. */
export const applyJournalChanges = async (
  deps: { journal: CaseJournal; workflow: FeeCaseWorkflow },
  changes: readonly JournalChange[],
  onFailure?: (caseId: string, error: unknown) => void,
): Promise<string[]> => {
  const byCase = new Map<string, JournalChange[]>();
  for (const change of changes) byCase.set(caseOf(change), [...(byCase.get(caseOf(change)) ?? []), change]);
  const failed: string[] = [];
  for (const [caseId, ofCase] of byCase) {
    try {
      // One linking takes every pending event of the case, however many records named it.
      if (ofCase.some((change) => change.kind === 'pending-event')) await deps.journal.linkPending(caseId);
      // Also when a redelivery finds the opening linked already: the start may be what failed. The
      // case may have moved on since (an engine that restarted forgot the execution's name): it goes
      // on from where it stands, never from the beginning beside the execution it has.
      if (ofCase.some((change) => change.kind === 'pending-event' && change.opensCase)) {
        const feeCase = await deps.journal.caseOf(caseId);
        if (feeCase && feeCase.stage !== 'CLOSED')
          await deps.workflow.start(caseId, recordedExecution(feeCase));
      }
      const moved = ofCase.findLast((change) => change.kind === 'office-moved');
      if (moved?.kind === 'office-moved') await deps.journal.followOffice(moved.feeCase);
    } catch (error) {
      onFailure?.(caseId, error);
      failed.push(...ofCase.map((change) => change.changeId));
    }
  }
  return failed;
};
