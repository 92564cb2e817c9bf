/**
 * Four eyes (复核): which UNLAWFUL decisions a second regulator confirms, how the policy is read at cold
 * start, and what completing the review and the second review write and tell the workflow.
 */
import { describe, expect, it } from 'vitest';
import { secondReviewPolicy } from '#infra/system';
import { ConfigurationError, loadConfig, SecondReviewConfig } from '#shared/config';
import { ConflictError, ForbiddenRoleError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { needsSecondReview, type SecondReviewPolicy } from '#shared/domain/second-review';
import { caseContribution } from '#shared/metrics/counters';
import type { StoredTask } from '#shared/ports/cases';
import { completeTask } from '#shared/tasks/tasks';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import { InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { aClassifiedCase, aTask, principals } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const now = new Date('2026-06-02T08:00:00.000Z');
const threshold = 10_000_000;
const policy: SecondReviewPolicy = {
  SAMR: { mode: 'always' },
  MCA: { mode: 'threshold', thresholdFen: threshold },
  NDRC: { mode: 'off' },
};
const abolish = { verdict: 'UNLAWFUL', ruleIds: ['R01'], reason: 'Forced membership', actions: ['ABOLISH'] };

describe('needsSecondReview', () => {
  it.each([
    ['MCA', threshold, true],
    ['MCA', threshold - 1, false],
    ['SAMR', 1, true],
    ['NDRC', threshold * 10, false],
  ] as const)('asks %s for a second regulator on an UNLAWFUL claim of %i fen: %s', (agency, fen, needed) => {
    // Act
    const needs = needsSecondReview(policy, agency, 'UNLAWFUL', fen);

    // Assert
    expect(needs).toBe(needed);
  });

  it.each(['REGULATED', 'DISMISSED', 'NEEDS_INFO'] as const)(
    'never asks one for a %s decision',
    (verdict) => {
      // Act
      const needs = needsSecondReview(policy, 'SAMR', verdict, threshold);

      // Assert
      expect(needs).toBe(false);
    },
  );
});

describe('SecondReviewConfig', () => {
  const withEnv = (value: string | undefined) => {
    const saved = process.env.SECOND_REVIEW_POLICY;
    if (value === undefined) delete process.env.SECOND_REVIEW_POLICY;
    else process.env.SECOND_REVIEW_POLICY = value;
    try {
      return loadConfig(SecondReviewConfig);
    } finally {
      if (saved === undefined) delete process.env.SECOND_REVIEW_POLICY;
      else process.env.SECOND_REVIEW_POLICY = saved;
    }
  };

  it('reads the policy the system description gives the tasks API', () => {
    // Act
    const config = withEnv(JSON.stringify(secondReviewPolicy));

    // Assert
    expect(config.SECOND_REVIEW_POLICY).toEqual(secondReviewPolicy);
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{SAMR'],
    ['without an agency', JSON.stringify({ SAMR: { mode: 'off' }, MCA: { mode: 'off' } })],
    [
      'with a negative threshold',
      JSON.stringify({ ...policy, MCA: { mode: 'threshold', thresholdFen: -1 } }),
    ],
  ])('fails at cold start when the policy is %s', (_problem, value) => {
    // Act
    const load = () => withEnv(value);

    // Assert
    expect(load).toThrow(ConfigurationError);
  });
});

/** A case under review whose complainants claimed `claimedFen`, as the workflow leaves it. */
const underReview = (claimedFen: number, task: StoredTask = aTask('REVIEW')) => {
  const store = new InMemoryCaseStore();
  const workflow = new RecordingWorkflow();
  store.addCase(
    aClassifiedCase({
      stage: 'UNDER_REVIEW',
      claimedFen,
      currentTask: { taskId: task.taskId, kind: task.kind },
      taskRounds: { [task.kind]: 1 },
    }),
  );
  store.addTask(task);
  const deps = {
    store,
    callbacks: workflow,
    calendar: new InMemoryCalendarStore(),
    uploads: new InMemoryEvidenceUploads(),
    secondReview: policy,
    now: () => now,
  };
  return { store, workflow, deps, taskId: task.taskId };
};

describe('completing a review that needs four eyes', () => {
  it('keeps the decision as proposed, with no verdict on the case', async () => {
    // Arrange
    const { store, deps, taskId } = underReview(threshold);

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);
    const feeCase = (await store.getCase('case-1')) as FeeCase;

    // Assert
    expect(feeCase.verdict).toBeUndefined();
    expect(feeCase.decidedAt).toBeUndefined();
    expect(feeCase.classification?.final).toMatchObject({ verdict: 'UNLAWFUL', awaitingSecondReview: true });
  });

  it('records REVIEW_PROPOSED and sends the workflow to the second review', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = underReview(threshold);

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(store.eventsOf('case-1').map((event) => event.type)).toEqual(['REVIEW_PROPOSED']);
    expect(workflow.callbacks[0]?.output).toEqual({
      verdict: 'UNLAWFUL',
      hasActions: true,
      secondReview: true,
    });
  });

  it('counts no final verdict and no decision time for a proposal', async () => {
    // Arrange
    const { store, deps, taskId } = underReview(threshold);

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);
    const counted = Object.values(caseContribution((await store.getCase('case-1')) as FeeCase)).flatMap(
      Object.keys,
    );

    // Assert
    expect(counted.filter((name) => name.includes('verdict.final') || name.includes('decision'))).toEqual([]);
  });

  it('decides below the threshold at once', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = underReview(threshold - 1);

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(await store.getCase('case-1')).toMatchObject({
      verdict: 'UNLAWFUL',
      decidedAt: now.toISOString(),
    });
    expect(workflow.callbacks[0]?.output).toMatchObject({ secondReview: false });
  });
});

/** A proposed UNLAWFUL decision waiting on its SECOND_REVIEW task, decided by regulator-1. */
const awaitingSecondReview = async () => {
  const review = underReview(threshold);
  await completeTask(review.deps, principals.regulator, review.taskId, abolish);
  const second = aTask('SECOND_REVIEW', { firstReviewer: principals.regulator.subject });
  review.store.addTask(second);
  const feeCase = (await review.store.getCase('case-1')) as FeeCase;
  review.store.addCase({
    ...feeCase,
    currentTask: { taskId: second.taskId, kind: 'SECOND_REVIEW' },
    taskRounds: { REVIEW: 1, SECOND_REVIEW: 1 },
  });
  return { ...review, taskId: second.taskId };
};

describe('completing a second review', () => {
  it('refuses the regulator who made the decision', async () => {
    // Arrange
    const { deps, taskId } = await awaitingSecondReview();

    // Act
    const ownDecision = completeTask(deps, principals.regulator, taskId, { confirmed: true });

    // Assert
    await expect(ownDecision).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it("makes a colleague's confirmation the case's verdict", async () => {
    // Arrange
    const { store, deps, taskId } = await awaitingSecondReview();

    // Act
    await completeTask(deps, principals.colleague, taskId, { confirmed: true, note: '复核同意' });
    const feeCase = (await store.getCase('case-1')) as FeeCase;

    // Assert
    expect(feeCase).toMatchObject({ verdict: 'UNLAWFUL', decidedAt: now.toISOString() });
    expect(feeCase.classification?.final).not.toHaveProperty('awaitingSecondReview');
    expect(feeCase.classification?.final).toMatchObject({ verdict: 'UNLAWFUL', ruleIds: ['R01'] });
  });

  it('records SECOND_REVIEW_DECIDED and tells the workflow it was confirmed', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = await awaitingSecondReview();

    // Act
    await completeTask(deps, principals.colleague, taskId, { confirmed: true });

    // Assert
    expect(store.eventsOf('case-1').at(-1)).toMatchObject({
      type: 'SECOND_REVIEW_DECIDED',
      data: { taskId, confirmed: true },
    });
    expect(workflow.callbacks.at(-1)).toEqual({
      taskToken: 'token-second_review-1',
      output: { confirmed: true },
    });
  });

  it('drops a refused decision, so the case is reviewed again', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = await awaitingSecondReview();

    // Act
    await completeTask(deps, principals.colleague, taskId, { confirmed: false, note: '证据不足' });
    const feeCase = (await store.getCase('case-1')) as FeeCase;

    // Assert
    expect(feeCase.verdict).toBeUndefined();
    expect(feeCase.classification?.final).toBeUndefined();
    expect(store.eventsOf('case-1').at(-1)).toMatchObject({ data: { taskId, confirmed: false } });
    expect(workflow.callbacks.at(-1)?.output).toEqual({ confirmed: false });
  });

  it('refuses a second review when no decision awaits one', async () => {
    // Arrange
    const { store, deps } = underReview(threshold);
    const second = aTask('SECOND_REVIEW', { firstReviewer: principals.regulator.subject });
    store.addTask(second);

    // Act
    const nothingToConfirm = completeTask(deps, principals.colleague, second.taskId, { confirmed: true });

    // Assert
    await expect(nothingToConfirm).rejects.toBeInstanceOf(ConflictError);
  });
});
