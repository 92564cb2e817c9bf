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
import type { FeeCaseWorkflow } from '#shared/ports/workflow';

type Office = Pick<FeeCase, 'caseId' | 'feeKey' | 'agency' | 'province'>;

class MemoryJournal implements CaseJournal {
  readonly linked: string[] = [];
  readonly offices: Office[] = [];
  constructor(private readonly failing: ReadonlySet<string> = new Set()) {}
  async linkPending(caseId: string): Promise<number> {
    if (this.failing.has(caseId)) throw new Error('the case kept moving');
    this.linked.push(caseId);
    return 1;
  }
  async followOffice(feeCase: Office): Promise<void> {
    this.offices.push(feeCase);
  }
}

class MemoryWorkflow implements FeeCaseWorkflow {
  readonly started: string[] = [];
  async start(caseId: string): Promise<void> {
    this.started.push(caseId);
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
