/**
 * A complaint's progress in the complainant's five steps: done, current and pending from the case's
 * stage and audit events, the current task's due date, and only the steps a closed case went through.
 */
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#shared/domain/case-event';
import type { Stage } from '#shared/domain/fee-case';
import { decisionDueAtOf, progressOf } from '#shared/domain/progress';
import { aFeeCase, openedAt } from '#test/support/fakes/records';

/** The events of a case, one a day from 2 June, each moving it to a stage or naming a task's due date. */
const trail = (...steps: { stage?: Stage; type?: string; data?: Record<string, unknown> }[]): CaseEvent[] =>
  steps.map((step, i) => ({
    type: step.type ?? 'STEP',
    actor: { role: 'workflow' },
    ...(step.stage ? { stage: step.stage } : {}),
    ...(step.data ? { data: step.data } : {}),
    caseId: 'case-1',
    seq: i + 1,
    at: `2026-06-0${i + 2}T08:00:00.000Z`,
    previousHash: '',
    hash: '',
  }));

const reviewOpened = {
  stage: 'UNDER_REVIEW',
  type: 'TASK_OPENED',
  data: { taskId: 'case-1.review.1', dueAt: '2026-06-20T15:59:59.999Z' },
} as const;

describe('progressOf', () => {
  it('shows a case under review as submitted, in review until the task is due, and the rest pending', () => {
    // Arrange
    const feeCase = aFeeCase({
      stage: 'UNDER_REVIEW',
      currentTask: { taskId: 'case-1.review.1', kind: 'REVIEW' },
    });
    const events = trail({ stage: 'RECEIVED' }, { stage: 'CLASSIFIED' }, reviewOpened);

    // Act
    const steps = progressOf(feeCase, events, openedAt);

    // Assert
    expect(steps).toEqual([
      { step: 'SUBMITTED', status: 'DONE', at: openedAt },
      { step: 'REVIEW', status: 'CURRENT', at: openedAt, dueAt: '2026-06-20T15:59:59.999Z' },
      { step: 'RECTIFICATION', status: 'PENDING' },
      { step: 'VERIFICATION', status: 'PENDING' },
      { step: 'CLOSED', status: 'PENDING' },
    ]);
  });

  it('gives the current step the due date an escalation moved it to', () => {
    // Arrange
    const feeCase = aFeeCase({
      stage: 'UNDER_REVIEW',
      currentTask: { taskId: 'case-1.review.1', kind: 'REVIEW' },
    });
    const events = trail(reviewOpened, {
      type: 'TASK_ESCALATED',
      data: { taskId: 'case-1.review.1', dueAt: '2026-06-30T15:59:59.999Z' },
    });

    // Act
    const review = progressOf(feeCase, events, openedAt)[1];

    // Assert
    expect(review).toMatchObject({ step: 'REVIEW', status: 'CURRENT', dueAt: '2026-06-30T15:59:59.999Z' });
  });

  it('marks review done when the order sent the case to rectification, and rectification current since then', () => {
    // Arrange
    const feeCase = aFeeCase({ stage: 'RECTIFYING' });
    const events = trail(reviewOpened, { stage: 'RECTIFYING' });

    // Act
    const steps = progressOf(feeCase, events, openedAt);

    // Assert
    expect(steps.slice(1, 3)).toEqual([
      { step: 'REVIEW', status: 'DONE', at: '2026-06-03T08:00:00.000Z' },
      { step: 'RECTIFICATION', status: 'CURRENT', at: '2026-06-03T08:00:00.000Z' },
    ]);
  });

  it('shows rectification current again when verification sent a report back', () => {
    // Arrange
    const feeCase = aFeeCase({ stage: 'RECTIFYING' });
    const events = trail(
      reviewOpened,
      { stage: 'RECTIFYING' },
      { stage: 'VERIFYING' },
      { stage: 'RECTIFYING' },
    );

    // Act
    const steps = progressOf(feeCase, events, openedAt);

    // Assert
    expect(steps.map(({ step, status }) => `${step}:${status}`)).toEqual([
      'SUBMITTED:DONE',
      'REVIEW:DONE',
      'RECTIFICATION:CURRENT',
      'VERIFICATION:PENDING',
      'CLOSED:PENDING',
    ]);
  });

  it('leaves out rectification and verification of a case closed at review (a dismissed fee)', () => {
    // Arrange
    const closedAt = '2026-06-04T08:00:00.000Z';
    const feeCase = aFeeCase({ stage: 'CLOSED', outcome: 'DISMISSED', closedAt });
    const events = trail(reviewOpened, { stage: 'CLOSED', type: 'CASE_CLOSED' });

    // Act
    const steps = progressOf(feeCase, events, openedAt);

    // Assert
    expect(steps).toEqual([
      { step: 'SUBMITTED', status: 'DONE', at: openedAt },
      { step: 'REVIEW', status: 'DONE', at: '2026-06-03T08:00:00.000Z' },
      { step: 'CLOSED', status: 'DONE', at: closedAt },
    ]);
  });

  it('shows every step done, each when the case moved on, for a case closed after verification', () => {
    // Arrange
    const feeCase = aFeeCase({ stage: 'CLOSED', closedAt: '2026-06-05T08:00:00.000Z' });
    const events = trail(reviewOpened, { stage: 'RECTIFYING' }, { stage: 'VERIFYING' }, { stage: 'CLOSED' });

    // Act
    const steps = progressOf(feeCase, events, openedAt);

    // Assert
    expect(steps.map(({ step, status, at }) => [step, status, at])).toEqual([
      ['SUBMITTED', 'DONE', openedAt],
      ['REVIEW', 'DONE', '2026-06-03T08:00:00.000Z'],
      ['RECTIFICATION', 'DONE', '2026-06-04T08:00:00.000Z'],
      ['VERIFICATION', 'DONE', '2026-06-05T08:00:00.000Z'],
      ['CLOSED', 'DONE', '2026-06-05T08:00:00.000Z'],
    ]);
  });

  it('gives a verification reopened by a complainant the due date of its reopened task', () => {
    // Arrange
    const feeCase = aFeeCase({
      stage: 'VERIFYING',
      currentTask: { taskId: 'case-1.verification.2', kind: 'VERIFICATION' },
    });
    const events = trail(
      reviewOpened,
      { stage: 'RECTIFYING' },
      { stage: 'VERIFYING' },
      { stage: 'CLOSED' },
      {
        stage: 'VERIFYING',
        type: 'VERIFICATION_REOPENED',
        data: { taskId: 'case-1.verification.2', dueAt: '2026-06-26T15:59:59.999Z' },
      },
    );

    // Act
    const steps = progressOf(feeCase, events, openedAt);

    // Assert
    expect(steps.find((step) => step.status === 'CURRENT')).toEqual({
      step: 'VERIFICATION',
      status: 'CURRENT',
      at: '2026-06-06T08:00:00.000Z',
      dueAt: '2026-06-26T15:59:59.999Z',
    });
  });
});

describe('decisionDueAtOf', () => {
  it('gives the decision date fixed when the complaint was filed', () => {
    // Act
    const dueAt = decisionDueAtOf({
      filedAt: '2026-09-24T02:00:00.000Z',
      decisionDueAt: '2026-10-23T15:59:59.999Z',
    });

    // Assert
    expect(dueAt).toBe('2026-10-23T15:59:59.999Z');
  });

  it('counts 15 working days by the built-in notices for a complaint filed before the date was stored', () => {
    // Act
    const dueAt = decisionDueAtOf({ filedAt: '2026-09-24T02:00:00.000Z' });

    // Assert: Mid-Autumn and National Day 2026 put the 15th working day on 22 October.
    expect(dueAt).toBe('2026-10-22T15:59:59.999Z');
  });
});
