/**
 * Resuming workflows from where each open case stands: which state each stage resumes at, and that
 * every open case gets exactly one new execution, closed ones none.
 */
import { describe, expect, it } from 'vitest';
import type { FeeCase } from '#shared/domain/fee-case';
import { resumePoint } from '#shared/domain/resume-point';
import { resumeOpenCases } from '#shared/fee-case-workflow/resume';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import { aClassifiedCase, aFeeCase } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const now = new Date('2026-06-02T08:00:00.000Z');

const order = {
  actions: ['ABOLISH'],
  rectificationDays: 30,
  issuedAt: '2026-06-01T08:00:00.000Z',
  dueAt: '2026-06-02T09:00:00.000Z',
};

const waitingOn = (
  kind: 'REVIEW' | 'SECOND_REVIEW' | 'INFO' | 'RECTIFICATION' | 'VERIFICATION',
  changes: Partial<FeeCase> = {},
) => aClassifiedCase({ currentTask: { taskId: `case-1.${kind.toLowerCase()}.1`, kind }, ...changes });

const cases = (...feeCases: FeeCase[]) => {
  const store = new InMemoryCaseStore();
  const workflow = new RecordingWorkflow();
  for (const feeCase of feeCases) store.addCase(feeCase);
  return { store, workflow, deps: { store, workflow, now: () => now } };
};

/** Another writer changes the case between the resumer's read and its write. */
const movesMeanwhile = (store: InMemoryCaseStore, change: Partial<FeeCase>) =>
  store.interleave(async () => {
    const feeCase = (await store.getCase('case-1')) as FeeCase;
    const event = { type: 'CASE_CHANGED', actor: { role: 'workflow' } };
    await store.commit({ before: feeCase, after: { ...feeCase, ...change }, at: now.toISOString(), event });
  });

describe('resumePoint', () => {
  it('starts from the beginning a case that waits on no task', () => {
    // Act
    const point = resumePoint(aFeeCase());

    // Assert
    expect(point).toEqual({});
  });

  it.each([
    ['REVIEW', 'AwaitReview'],
    ['SECOND_REVIEW', 'AwaitSecondReview'],
    ['INFO', 'AwaitInfo'],
  ] as const)('resumes a case waiting on its %s task at %s', (kind, state) => {
    // Act
    const point = resumePoint(waitingOn(kind));

    // Assert
    expect(point).toEqual({ resumeAt: state });
  });

  it.each([
    ['RECTIFICATION', 'AwaitRectification'],
    ['VERIFICATION', 'AwaitVerification'],
  ] as const)('resumes a case waiting on its %s task at %s with the period of the order', (kind, state) => {
    // Act
    const point = resumePoint(waitingOn(kind, { order }));

    // Assert
    expect(point).toEqual({ resumeAt: state, order: { rectificationDays: 30 } });
  });

  it('issues the order of a case waiting on rectification without one', () => {
    // Act
    const point = resumePoint(waitingOn('RECTIFICATION'));

    // Assert
    expect(point).toEqual({ resumeAt: 'IssueOrder' });
  });
});

describe('resumeOpenCases', () => {
  it('starts one execution for each open case, from where it stands', async () => {
    // Arrange
    const { workflow, deps } = cases(waitingOn('REVIEW'));

    // Act
    await resumeOpenCases(deps);

    // Assert
    expect(workflow.starts).toEqual([
      { caseId: 'case-1', resume: { count: 1, input: { resumeAt: 'AwaitReview' } } },
    ]);
  });

  it('leaves closed cases alone', async () => {
    // Arrange
    const { workflow, deps } = cases(aFeeCase({ stage: 'CLOSED' }));

    // Act
    const { resumed } = await resumeOpenCases(deps);

    // Assert
    expect([resumed, workflow.starts]).toEqual([0, []]);
  });

  it('takes no further case once told to stop, leaving the rest for the next start', async () => {
    // Arrange
    const { workflow, deps } = cases(waitingOn('REVIEW'));
    const stopping = new AbortController();
    stopping.abort();

    // Act
    const { resumed } = await resumeOpenCases({ ...deps, signal: stopping.signal });

    // Assert
    expect([resumed, workflow.starts]).toEqual([0, []]);
  });

  it('records the resumption in the audit trail before starting', async () => {
    // Arrange
    const { store, deps } = cases(waitingOn('REVIEW'));

    // Act
    await resumeOpenCases(deps);

    // Assert
    expect(store.eventsOf('case-1')).toEqual([
      expect.objectContaining({ type: 'WORKFLOW_RESUMED', data: { count: 1, resumeAt: 'AwaitReview' } }),
    ]);
  });

  it('counts resumptions, so each execution of a case has a name of its own', async () => {
    // Arrange
    const { workflow, deps } = cases(waitingOn('REVIEW', { resumeCount: 2 }));

    // Act
    await resumeOpenCases(deps);

    // Assert
    expect(workflow.starts[0]?.resume?.count).toBe(3);
  });

  it('resumes once, from where it stands then, a case that moves meanwhile', async () => {
    // Arrange
    const { store, workflow, deps } = cases(waitingOn('REVIEW'));
    movesMeanwhile(store, { currentTask: { taskId: 'case-1.info.1', kind: 'INFO' } });

    // Act
    await resumeOpenCases(deps);

    // Assert
    expect(workflow.starts.map((start) => start.resume?.input)).toEqual([{ resumeAt: 'AwaitInfo' }]);
  });

  it('resumes the other cases when one cannot be started, and names the one left with its error', async () => {
    // Arrange
    const { workflow, deps } = cases(waitingOn('REVIEW'), waitingOn('REVIEW', { caseId: 'case-2' }));
    const failing = {
      start: async (caseId: string, resume?: Parameters<RecordingWorkflow['start']>[1]) => {
        if (caseId === 'case-1') throw new Error('the engine refused');
        await workflow.start(caseId, resume);
      },
    };

    // Act
    const outcome = await resumeOpenCases({ ...deps, workflow: failing, retryDelayMs: 0 });

    // Assert
    expect([outcome, workflow.starts.map((start) => start.caseId)]).toEqual([
      { resumed: 1, failed: [{ caseId: 'case-1', error: 'Error: the engine refused' }] },
      ['case-2'],
    ]);
  });

  it('tries a case again after a passing failure', async () => {
    // Arrange
    const { workflow, deps } = cases(waitingOn('REVIEW'));
    let refusals = 1;
    const flaky = {
      start: async (caseId: string, resume?: Parameters<RecordingWorkflow['start']>[1]) => {
        if (refusals-- > 0) throw new Error('connection reset');
        await workflow.start(caseId, resume);
      },
    };

    // Act
    const outcome = await resumeOpenCases({ ...deps, workflow: flaky, retryDelayMs: 0 });

    // Assert
    expect([outcome, workflow.starts.length]).toEqual([{ resumed: 1, failed: [] }, 1]);
  });

  it('starts each open case again under the name its case records once the engine restarted', async () => {
    // Arrange
    const { workflow, deps } = cases(waitingOn('REVIEW', { resumeCount: 2 }));

    // Act
    await resumeOpenCases({ ...deps, engineRestarted: true });

    // Assert
    expect(workflow.starts).toEqual([
      { caseId: 'case-1', resume: { count: 2, input: { resumeAt: 'AwaitReview' } } },
    ]);
  });

  it('writes nothing to the case when the engine restarted: a restart is not an event of the case', async () => {
    // Arrange
    const { store, deps } = cases(waitingOn('REVIEW'));

    // Act
    await resumeOpenCases({ ...deps, engineRestarted: true });

    // Assert
    expect([store.eventsOf('case-1'), (await store.getCase('case-1'))?.resumeCount]).toEqual([[], undefined]);
  });

  it('does not resume a case that closed meanwhile', async () => {
    // Arrange
    const { store, workflow, deps } = cases(waitingOn('REVIEW'));
    movesMeanwhile(store, { stage: 'CLOSED' });

    // Act
    await resumeOpenCases(deps);

    // Assert
    expect(workflow.starts).toEqual([]);
  });
});
