/**
 * The case journal's handling of a stream batch (`applyJournalChanges`), over an in-memory journal and
 * workflow that remember what they were asked.
 */
import { describe, expect, it } from 'vitest';
import {
  applyJournalChanges,
  type CaseJournal,
  type JournalChange,
} from '#shared/case-journal/journal-changes';
import type { FeeCase } from '#shared/domain/fee-case';
import type { ResumeInput } from '#shared/domain/resume-point';
import type { FeeCaseWorkflow } from '#shared/ports/workflow';
import { aClassifiedCase, aFeeCase } from '#test/support/fakes/records';

type Office = Pick<FeeCase, 'caseId' | 'feeKey' | 'agency' | 'province'>;

class MemoryJournal implements CaseJournal {
  readonly linked: string[] = [];
  readonly offices: Office[] = [];
  /** Cases as stored; a case not named here is a new one, just opened. */
  readonly cases = new Map<string, FeeCase>();
  constructor(private readonly failing: ReadonlySet<string> = new Set()) {}
  async linkPending(caseId: string): Promise<number> {
    if (this.failing.has(caseId)) throw new Error('the case kept moving');
    this.linked.push(caseId);
    return 1;
  }
  async followOffice(feeCase: Office): Promise<void> {
    this.offices.push(feeCase);
  }
  async caseOf(caseId: string): Promise<FeeCase | undefined> {
    return this.cases.get(caseId) ?? aFeeCase({ caseId });
  }
}

class MemoryWorkflow implements FeeCaseWorkflow {
  readonly started: string[] = [];
  readonly starts: { caseId: string; resume?: { count: number; input: ResumeInput } }[] = [];
  async start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void> {
    this.started.push(caseId);
    this.starts.push({ caseId, ...(resume ? { resume } : {}) });
  }
}

const pending = (changeId: string, caseId: string, opensCase = false): JournalChange => ({
  changeId,
  kind: 'pending-event',
  caseId,
  opensCase,
});

describe('applyJournalChanges', () => {
  it('links each case once per batch, however many of its events the batch holds', async () => {
    // Arrange
    const journal = new MemoryJournal();
    const workflow = new MemoryWorkflow();

    // Act
    await applyJournalChanges({ journal, workflow }, [
      pending('1', 'case-a', true),
      pending('2', 'case-a'),
      pending('3', 'case-b'),
      pending('4', 'case-a'),
    ]);

    // Assert
    expect(journal.linked).toEqual(['case-a', 'case-b']);
    expect(workflow.started).toEqual(['case-a']);
  });

  it('reports every change of a case whose linking failed, starts nothing for it, and applies the others', async () => {
    // Arrange
    const journal = new MemoryJournal(new Set(['case-a']));
    const workflow = new MemoryWorkflow();

    // Act
    const failed = await applyJournalChanges({ journal, workflow }, [
      pending('1', 'case-a', true),
      pending('2', 'case-b', true),
      pending('3', 'case-a'),
    ]);

    // Assert
    expect(failed).toEqual(['1', '3']);
    expect(journal.linked).toEqual(['case-b']);
    expect(workflow.started).toEqual(['case-b']);
  });

  it("starts a new case's workflow from the beginning, as the case's first execution (count 0)", async () => {
    // Arrange
    const workflow = new MemoryWorkflow();

    // Act
    await applyJournalChanges({ journal: new MemoryJournal(), workflow }, [pending('1', 'case-a', true)]);

    // Assert
    expect(workflow.starts).toEqual([{ caseId: 'case-a', resume: { count: 0, input: {} } }]);
  });

  it("starts a redelivered opening of a case that moved on from where it stands, under its execution's name", async () => {
    // Arrange
    const journal = new MemoryJournal();
    journal.cases.set(
      'case-a',
      aClassifiedCase({
        caseId: 'case-a',
        currentTask: { taskId: 'case-a.review.1', kind: 'REVIEW' },
        resumeCount: 2,
      }),
    );
    const workflow = new MemoryWorkflow();

    // Act
    await applyJournalChanges({ journal, workflow }, [pending('1', 'case-a', true)]);

    // Assert
    expect(workflow.starts).toEqual([
      { caseId: 'case-a', resume: { count: 2, input: { resumeAt: 'AwaitReview' } } },
    ]);
  });

  it('starts nothing for a redelivered opening of a case closed since', async () => {
    // Arrange
    const journal = new MemoryJournal();
    journal.cases.set('case-a', aFeeCase({ caseId: 'case-a', stage: 'CLOSED' }));
    const workflow = new MemoryWorkflow();

    // Act
    await applyJournalChanges({ journal, workflow }, [pending('1', 'case-a', true)]);

    // Assert
    expect(workflow.starts).toEqual([]);
  });

  it("sets the fee's pointer to the office of the batch's latest move of the case", async () => {
    // Arrange
    const journal = new MemoryJournal();
    const moved = (changeId: string, province: string): JournalChange => ({
      changeId,
      kind: 'office-moved',
      feeCase: { caseId: 'case-a', feeKey: 'FEEKEY#a', agency: 'SAMR', province },
    });

    // Act
    await applyJournalChanges({ journal, workflow: new MemoryWorkflow() }, [
      moved('1', '11'),
      moved('2', '44'),
    ]);

    // Assert
    expect(journal.offices).toEqual([
      { caseId: 'case-a', feeKey: 'FEEKEY#a', agency: 'SAMR', province: '44' },
    ]);
    expect(journal.linked).toEqual([]);
  });
});
