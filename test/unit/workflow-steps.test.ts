/**
 * The automated steps of the fee-case workflow over an in-memory case store: what each decides and
 * writes, and that running one again (a retry, a resumed wait) duplicates nothing.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors';
import type { FeeCase, FinalDecision } from '#shared/domain/fee-case';
import {
  checkDeadline,
  classifyCase,
  flagAttention,
  issueOrder,
  openTask,
  recordOutcome,
  secondsUntilDue,
} from '#shared/fee-case-workflow/steps';
import type { StoredTask } from '#shared/ports/cases';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import {
  aClassifiedCase,
  aComplaint,
  aFeeCase,
  aTask,
  parties,
  suggested,
} from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

/** Tuesday 2026-06-02, 16:00 China time; the Dragon Boat Festival keeps Friday 2026-06-19 off. */
const now = new Date('2026-06-02T08:00:00.000Z');

const decided = (final: Partial<FinalDecision> = {}): Partial<FeeCase> => ({
  verdict: 'UNLAWFUL',
  classification: {
    suggested,
    final: {
      verdict: 'UNLAWFUL',
      ruleIds: ['R01'],
      reason: 'Forced membership',
      actions: ['ABOLISH', 'REFUND'],
      decidedAt: '2026-06-01T10:00:00.000Z',
      ...final,
    },
  },
});

const campaign = (feeCase: FeeCase = aFeeCase(), ...tasks: StoredTask[]) => {
  const store = new InMemoryCaseStore();
  const workflow = new RecordingWorkflow();
  store.addCase(feeCase);
  store.addComplaint(aComplaint());
  for (const task of tasks) store.addTask(task);
  return {
    store,
    workflow,
    deps: { store, callbacks: workflow, calendar: new InMemoryCalendarStore(), now: () => now },
  };
};

const eventTypes = (store: InMemoryCaseStore) => store.eventsOf('case-1').map((event) => event.type);

/** A case waiting on `task`, as openTask leaves it. */
const waitingOn = (task: StoredTask, changes: Partial<FeeCase> = {}) =>
  campaign(
    aClassifiedCase({
      currentTask: { taskId: task.taskId, kind: task.kind },
      taskRounds: { [task.kind]: 1 },
      ...changes,
    }),
    task,
  );

describe('classifyCase', () => {
  it("routes the case to the agency the rulebook names for its complaints' facts", async () => {
    // Arrange
    const { store, deps } = campaign();

    // Act
    await classifyCase(deps, 'case-1');

    // Assert
    expect(await store.getCase('case-1')).toMatchObject({ stage: 'CLASSIFIED', agency: 'MCA' });
  });

  it("returns the rulebook's verdict to the workflow", async () => {
    // Arrange
    const { deps } = campaign();

    // Act
    const result = await classifyCase(deps, 'case-1');

    // Assert
    expect(result).toEqual({ verdict: 'UNLAWFUL', agency: 'MCA' });
  });

  it('records the suggestion in the audit trail', async () => {
    // Arrange
    const { store, deps } = campaign();

    // Act
    await classifyCase(deps, 'case-1');

    // Assert
    expect(store.eventsOf('case-1')[0]).toMatchObject({
      type: 'CLASSIFIED',
      data: { verdict: 'UNLAWFUL', ruleIds: ['R01'], agency: 'MCA' },
    });
  });

  it("takes the complainant's later answers into account", async () => {
    // Arrange
    const { store, deps } = campaign(aFeeCase({ supplementaryFacts: { forcedMembership: false } }));

    // Act
    await classifyCase(deps, 'case-1');

    // Assert
    expect((await store.getCase('case-1'))?.classification?.suggested.rules).not.toContainEqual(
      expect.objectContaining({ id: 'R01' }),
    );
  });

  it("keeps the regulator's decision when it classifies again", async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase(decided()));

    // Act
    await classifyCase(deps, 'case-1');

    // Assert
    expect((await store.getCase('case-1'))?.classification?.final?.verdict).toBe('UNLAWFUL');
  });

  it('leaves a closed case as it is', async () => {
    // Arrange
    const { store, deps } = campaign(aFeeCase({ stage: 'CLOSED' }));

    // Act
    await classifyCase(deps, 'case-1');

    // Assert
    expect(eventTypes(store)).toEqual([]);
  });

  it('tries again on the case as it is when it moved meanwhile', async () => {
    // Arrange
    const { store, deps } = campaign();
    store.interleave(async () => {
      await flagAttention(deps, { caseId: 'case-1', error: 'a concurrent step' });
    });

    // Act
    await classifyCase(deps, 'case-1');

    // Assert
    expect(eventTypes(store)).toEqual(['ATTENTION_NEEDED', 'CLASSIFIED']);
  });
});

describe('openTask', () => {
  const review = {
    caseId: 'case-1',
    kind: 'REVIEW',
    taskToken: 'token-1',
    workingDays: 5,
  } as const;

  it('opens a review task in the inbox of the case’s agency and province, due at the end of its last working day', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());

    // Act
    const { taskId } = await openTask(deps, review);

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({
      taskId: 'case-1.review.1',
      status: 'OPEN',
      agency: 'MCA',
      province: '11',
      dueAt: '2026-06-09T15:59:59.999Z',
      taskToken: 'token-1',
    });
  });

  it('opens a second review where the review was decided, naming who decided it', async () => {
    // Arrange
    const decided = aTask('REVIEW', { status: 'COMPLETED', province: '00', assignee: 'regulator-5' });
    const { store, deps } = campaign(
      aClassifiedCase({ currentTask: { taskId: decided.taskId, kind: 'REVIEW' }, taskRounds: { REVIEW: 1 } }),
    );
    store.addTask(decided);

    // Act
    const { taskId } = await openTask(deps, { ...review, kind: 'SECOND_REVIEW' });

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({
      taskId: 'case-1.second_review.1',
      kind: 'SECOND_REVIEW',
      agency: 'MCA',
      province: '00',
      firstReviewer: 'regulator-5',
    });
  });

  it('counts its working days past the Dragon Boat Festival', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());

    // Act
    const { taskId } = await openTask(deps, { ...review, workingDays: 15 });

    // Assert: June 3-5, 8-12, 15-18 and 22-24; Friday the 19th is off
    expect((await store.getTask(taskId))?.dueAt).toBe('2026-06-24T15:59:59.999Z');
  });

  it('moves the case to the stage of the task', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());

    // Act
    await openTask(deps, review);

    // Assert
    expect(await store.getCase('case-1')).toMatchObject({
      stage: 'UNDER_REVIEW',
      currentTask: { taskId: 'case-1.review.1', kind: 'REVIEW' },
    });
  });

  it('re-arms the task it opened already with the new token instead of opening another', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());
    await openTask(deps, review);

    // Act
    const again = await openTask(deps, { ...review, taskToken: 'token-2' });

    // Assert
    expect([again, (await store.getTask('case-1.review.1'))?.taskToken, eventTypes(store)]).toEqual([
      { taskId: 'case-1.review.1', replayed: false },
      'token-2',
      ['TASK_OPENED'],
    ]);
  });

  it('writes nothing when the task it opened already has the token of the wait', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());
    await openTask(deps, review);
    const opened = await store.getTask('case-1.review.1');

    // Act
    const again = await openTask(deps, review);

    // Assert
    expect([again, await store.getTask('case-1.review.1'), eventTypes(store)]).toEqual([
      { taskId: 'case-1.review.1', replayed: false },
      opened,
      ['TASK_OPENED'],
    ]);
  });

  it('delivers at once the result of a task completed while nobody waited', async () => {
    // Arrange
    const completed = aTask('REVIEW', {
      status: 'COMPLETED',
      result: { verdict: 'DISMISSED', hasActions: false },
    });
    const { workflow, deps } = waitingOn(completed);

    // Act
    const opened = await openTask(deps, review);

    // Assert
    expect([opened.replayed, workflow.callbacks]).toEqual([
      true,
      [{ taskToken: 'token-1', output: { verdict: 'DISMISSED', hasActions: false } }],
    ]);
  });

  it('opens the next round of a kind whose earlier task is done', async () => {
    // Arrange
    const { deps } = campaign(
      aClassifiedCase({ taskRounds: { REVIEW: 1 }, currentTask: { taskId: 'case-1.info.1', kind: 'INFO' } }),
    );

    // Act
    const { taskId } = await openTask(deps, review);

    // Assert
    expect(taskId).toBe('case-1.review.2');
  });

  it("addresses an information request to the first complainant, asking the regulator's question", async () => {
    // Arrange
    const { store, deps } = campaign(
      aClassifiedCase(decided({ verdict: 'NEEDS_INFO', reason: 'Was joining a condition?', actions: [] })),
    );

    // Act
    const { taskId } = await openTask(deps, { ...review, kind: 'INFO' });

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({
      enterpriseCreditCode: parties.enterpriseCode,
      question: 'Was joining a condition?',
    });
  });

  it("addresses a rectification order to the association, due when the order's period ends", async () => {
    // Arrange
    const order = {
      actions: ['ABOLISH'],
      rectificationDays: 30,
      issuedAt: now.toISOString(),
      dueAt: '2026-07-02T08:00:00.000Z',
      orderText: 'Stop charging the dues.',
    };
    const { store, deps } = campaign(aClassifiedCase({ ...decided(), order }));

    // Act
    const { taskId } = await openTask(deps, { ...review, kind: 'RECTIFICATION' });

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({
      associationCreditCode: parties.associationCode,
      orderText: 'Stop charging the dues.',
      dueAt: '2026-07-02T08:00:00.000Z',
    });
  });

  it('opens the task once when the case moves meanwhile', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());
    store.interleave(async () => {
      await flagAttention(deps, { caseId: 'case-1', error: 'a concurrent step' });
    });

    // Act
    await openTask(deps, review);

    // Assert
    expect(eventTypes(store)).toEqual(['ATTENTION_NEEDED', 'TASK_OPENED']);
  });
});

describe('checkDeadline', () => {
  const deadline = { caseId: 'case-1', kind: 'REVIEW', workingDays: 2 } as const;
  const overdue = (changes: Partial<StoredTask> = {}) =>
    aTask('REVIEW', { dueAt: '2026-06-01T20:00:00.000Z', assignee: 'regulator-1', ...changes });

  it('moves an overdue task to the national level of the same agency', async () => {
    // Arrange
    const { store, deps } = waitingOn(overdue());

    // Act
    await checkDeadline(deps, deadline);

    // Assert
    expect(await store.getTask('case-1.review.1')).toMatchObject({
      agency: 'MCA',
      province: '00',
      escalated: true,
      overdue: true,
      dueAt: '2026-06-04T15:59:59.999Z',
    });
  });

  it('ends the claim on an escalated task', async () => {
    // Arrange
    const { store, deps } = waitingOn(overdue());

    // Act
    await checkDeadline(deps, deadline);

    // Assert
    expect(await store.getTask('case-1.review.1')).not.toHaveProperty('assignee');
  });

  it('flags the case overdue and escalated, saying where the task came from', async () => {
    // Arrange
    const { store, deps } = waitingOn(overdue());

    // Act
    await checkDeadline(deps, deadline);

    // Assert
    expect([(await store.getCase('case-1'))?.flags, store.eventsOf('case-1')[0]?.data]).toEqual([
      ['overdue', 'escalated'],
      expect.objectContaining({ taskId: 'case-1.review.1', fromProvince: '11' }),
    ]);
  });

  it('moves nothing before the due date', async () => {
    // Arrange
    const { store, deps } = waitingOn(overdue({ dueAt: '2026-06-02T09:00:00.000Z' }));

    // Act
    const result = await checkDeadline(deps, deadline);

    // Assert
    expect([result, eventTypes(store)]).toEqual([{ escalated: false }, []]);
  });

  it('moves nothing once the task is completed', async () => {
    // Arrange
    const { store, deps } = waitingOn(overdue({ status: 'COMPLETED' }));

    // Act
    await checkDeadline(deps, deadline);

    // Assert
    expect(eventTypes(store)).toEqual([]);
  });
});

describe('secondsUntilDue', () => {
  const review = { caseId: 'case-1', kind: 'REVIEW', workingDays: 2 } as const;

  it('waits until the due date of the open task', async () => {
    // Arrange: due in one hour
    const { deps } = waitingOn(aTask('REVIEW', { dueAt: '2026-06-02T09:00:00.000Z' }));

    // Act
    const wait = await secondsUntilDue(deps, review);

    // Assert
    expect(wait).toEqual({ seconds: 3600 });
  });

  it('before the task is open, waits until the due date it will get', async () => {
    // Arrange
    const { deps } = campaign(aClassifiedCase());

    // Act
    const wait = await secondsUntilDue(deps, review);

    // Assert: until the end of Thursday 2026-06-04, China time: two days and eight hours
    expect(wait).toEqual({ seconds: 2 * 86_400 + 8 * 3600 });
  });

  it('waits one second for a task already past due, so it is checked at once', async () => {
    // Arrange
    const { deps } = waitingOn(aTask('REVIEW', { dueAt: '2026-06-01T20:00:00.000Z' }));

    // Act
    const wait = await secondsUntilDue(deps, review);

    // Assert
    expect(wait).toEqual({ seconds: 1 });
  });

  it("waits for a rectification until the order's due date", async () => {
    // Arrange
    const order = {
      actions: ['ABOLISH'],
      rectificationDays: 30,
      issuedAt: now.toISOString(),
      dueAt: '2026-06-03T08:00:00.000Z',
      orderText: 'Stop charging the dues.',
    };
    const { deps } = campaign(aClassifiedCase({ ...decided(), order }));

    // Act
    const wait = await secondsUntilDue(deps, { caseId: 'case-1', kind: 'RECTIFICATION', workingDays: 30 });

    // Assert
    expect(wait).toEqual({ seconds: 86_400 });
  });
});

describe('issueOrder', () => {
  it('orders the actions of the decision within the period the regulator set', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase(decided({ rectificationDays: 10 })));

    // Act
    const result = await issueOrder(deps, 'case-1');

    // Assert
    expect([result, (await store.getCase('case-1'))?.order]).toEqual([
      { rectificationDays: 10 },
      expect.objectContaining({ actions: ['ABOLISH', 'REFUND'], dueAt: '2026-06-16T15:59:59.999Z' }),
    ]);
  });

  it('gives 30 working days when the regulator named no period', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase(decided()));

    // Act
    await issueOrder(deps, 'case-1');

    // Assert
    expect((await store.getCase('case-1'))?.order?.rectificationDays).toBe(30);
  });

  it('issued again, returns the same order and its period', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase(decided({ rectificationDays: 10 })));
    await issueOrder(deps, 'case-1');
    deps.now = () => new Date('2026-06-03T08:00:00.000Z');

    // Act
    const again = await issueOrder(deps, 'case-1');

    // Assert
    expect([again, eventTypes(store)]).toEqual([{ rectificationDays: 10 }, ['ORDER_ISSUED']]);
  });

  it('answers a conflict for a case without a decision', async () => {
    // Arrange
    const { deps } = campaign(aClassifiedCase());

    // Act
    const ordering = issueOrder(deps, 'case-1');

    // Assert
    await expect(ordering).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('recordOutcome', () => {
  const accepted = {
    abolished: true,
    refundedFen: 400_000,
    evidence: [{ kind: 'REFUND_RECEIPT', reference: 'r-1' }],
    reportedAt: now.toISOString(),
    accepted: true,
  };

  it('closes an unlawful fee as abolished, with the refund of the accepted report', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase({ ...decided(), rectification: accepted }));

    // Act
    await recordOutcome(deps, 'case-1');

    // Assert
    expect(await store.getCase('case-1')).toMatchObject({
      stage: 'CLOSED',
      outcome: 'ABOLISHED',
      refundedFen: 400_000,
      reducedAnnualFen: 500_000,
      enterprisesHelped: 1,
      closedAt: now.toISOString(),
    });
  });

  it('writes the outcome onto every complaint of the case', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase({ ...decided(), rectification: accepted }));
    store.addComplaint(aComplaint({ complaintId: 'complaint-2', filedAt: '2026-06-01T09:00:00.000Z' }));

    // Act
    await recordOutcome(deps, 'case-1');

    // Assert
    expect([store.outcomeOf('complaint-1'), store.outcomeOf('complaint-2')]).toEqual([
      expect.objectContaining({ outcome: 'ABOLISHED', caseRefundedFen: 400_000 }),
      expect.objectContaining({ outcome: 'ABOLISHED', caseRefundedFen: 400_000 }),
    ]);
  });

  it('closes the fee, so that a later complaint about it opens a new case', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase(decided()));

    // Act
    await recordOutcome(deps, 'case-1');

    // Assert
    expect(store.feePointerOf('fee-key-1')).toEqual({ caseId: 'case-1', open: false });
  });

  it("closes a reopened case again without touching the fee's pointer, which a newer case may hold", async () => {
    // Arrange
    const reopened = { times: 1, taskId: 'case-1.verification.2', execution: 1, at: now.toISOString() };
    const { store, deps } = campaign(aClassifiedCase({ ...decided(), rectification: accepted, reopened }));
    store.addCase(aClassifiedCase({ caseId: 'case-2', previousCaseId: 'case-1' }));

    // Act
    await recordOutcome(deps, 'case-1');

    // Assert
    expect((await store.getCase('case-1'))?.stage).toBe('CLOSED');
    expect(store.feePointerOf('fee-key-1')).toEqual({ caseId: 'case-2', open: true });
  });

  it('dismisses a case without a decision, helping nobody', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase());

    // Act
    const result = await recordOutcome(deps, 'case-1');

    // Assert
    expect([result, (await store.getCase('case-1'))?.enterprisesHelped]).toEqual([
      { outcome: 'DISMISSED' },
      0,
    ]);
  });

  it('counts a regulated fee as helping only once a report was accepted', async () => {
    // Arrange
    const { store, deps } = campaign(
      aClassifiedCase(decided({ verdict: 'REGULATED', actions: ['PUBLISH_STANDARD'] })),
    );

    // Act
    await recordOutcome(deps, 'case-1');

    // Assert
    expect(await store.getCase('case-1')).toMatchObject({ outcome: 'REGULATED', enterprisesHelped: 0 });
  });

  it('recorded again, closes the case once', async () => {
    // Arrange
    const { store, deps } = campaign(aClassifiedCase(decided()));
    await recordOutcome(deps, 'case-1');

    // Act
    await recordOutcome(deps, 'case-1');

    // Assert
    expect(eventTypes(store)).toEqual(['CASE_CLOSED']);
  });
});

describe('flagAttention', () => {
  it('flags the case for an operator once, however often a step fails', async () => {
    // Arrange
    const { store, deps } = campaign();
    await flagAttention(deps, { caseId: 'case-1', error: 'first failure' });

    // Act
    await flagAttention(deps, { caseId: 'case-1', error: 'second failure' });

    // Assert
    expect([(await store.getCase('case-1'))?.flags, eventTypes(store)]).toEqual([
      ['attention'],
      ['ATTENTION_NEEDED'],
    ]);
  });
});
