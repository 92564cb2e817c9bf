/**
 * Transferring a case (转办) over an in-memory case store: who may transfer it and when, what one commit
 * changes (the old task, the new one, the case, the audit trail), and why the waiting workflow needs no
 * change: the new task carries the wait's token, and the deadline steps read the case's current task.
 */
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DependencyUnavailableError,
  ForbiddenRoleError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { REVIEW_SLA_DAYS, VERIFICATION_SLA_DAYS } from '#shared/domain/fee-task';
import type { Principal } from '#shared/domain/principal';
import { checkDeadline, classifyCase, openTask, secondsUntilDue } from '#shared/fee-case-workflow/steps';
import { addCounters, caseContribution, counterDelta, taskContribution } from '#shared/metrics/counters';
import type { StoredTask } from '#shared/ports/cases';
import { claimTask, completeTask } from '#shared/tasks/tasks';
import { transferCase } from '#shared/tasks/transfer-case';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import { InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { aClassifiedCase, aComplaint, aTask, principals, regulatorOf } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const now = new Date('2026-06-02T08:00:00.000Z');
const toGuangdongSamr = {
  agency: 'SAMR',
  province: '44',
  reason: '收费依据属价格主管部门职责，转市场监管部门办理',
};
const guangdongSamr = regulatorOf('SAMR', '44', 'regulator-gd');
const abolish = { verdict: 'UNLAWFUL', ruleIds: ['R01'], reason: 'Forced membership', actions: ['ABOLISH'] };

/** A classified case waiting on `task` in MCA, Beijing (11), as the workflow leaves it. */
const desk = (task: StoredTask = aTask('REVIEW'), caseChanges: Partial<FeeCase> = {}) => {
  const store = new InMemoryCaseStore();
  const workflow = new RecordingWorkflow();
  const calendar = new InMemoryCalendarStore();
  store.addCase(
    aClassifiedCase({
      stage: task.kind === 'VERIFICATION' ? 'VERIFYING' : 'UNDER_REVIEW',
      currentTask: { taskId: task.taskId, kind: task.kind },
      taskRounds: { [task.kind]: 1 },
      ...caseChanges,
    }),
  );
  store.addTask(task);
  store.addComplaint(aComplaint());
  return {
    store,
    workflow,
    calendar,
    deps: { store, callbacks: workflow, calendar, uploads: new InMemoryEvidenceUploads(), now: () => now },
    taskId: task.taskId,
  };
};

const transfer = (
  scene: ReturnType<typeof desk>,
  principal: Principal = principals.regulator,
  body: unknown = toGuangdongSamr,
) => transferCase(scene.deps, principal, 'case-1', body);

describe('transferCase', () => {
  it('ends the open review TRANSFERRED, pointing at the task that opened in the receiving office', async () => {
    // Arrange
    const scene = desk();

    // Act
    await transfer(scene);

    // Assert
    expect(await scene.store.getTask(scene.taskId)).toMatchObject({
      status: 'TRANSFERRED',
      completedAt: now.toISOString(),
      transferredTo: { agency: 'SAMR', province: '44', taskId: 'case-1.review.2' },
      version: 2,
    });
  });

  it('opens the same work as the next round in the receiving office, on the same token, due afresh', async () => {
    // Arrange
    const scene = desk(aTask('REVIEW', { feeName: 'Annual dues', caseReference: '2026-11-000001' }));
    const expectedDue = (await scene.calendar.calendar()).dueAt(now, REVIEW_SLA_DAYS);

    // Act
    const answer = await transfer(scene);

    // Assert
    expect(answer.task).toMatchObject({ taskId: 'case-1.review.2', agency: 'SAMR', province: '44' });
    expect(await scene.store.getTask('case-1.review.2')).toMatchObject({
      kind: 'REVIEW',
      status: 'OPEN',
      agency: 'SAMR',
      province: '44',
      taskToken: 'token-review-1',
      feeName: 'Annual dues',
      caseReference: '2026-11-000001',
      createdAt: now.toISOString(),
      dueAt: expectedDue,
      escalated: false,
      overdue: false,
      version: 1,
    });
  });

  it('gives a transferred verification the verification SLA', async () => {
    // Arrange
    const scene = desk(aTask('VERIFICATION'));
    const expectedDue = (await scene.calendar.calendar()).dueAt(now, VERIFICATION_SLA_DAYS);

    // Act
    const answer = await transfer(scene);

    // Assert
    expect(answer.task).toMatchObject({ taskId: 'case-1.verification.2', dueAt: expectedDue });
  });

  it('moves the case to the receiving office, waiting on the new task, its overdue flags cleared', async () => {
    // Arrange
    const scene = desk(aTask('REVIEW', { province: '00', escalated: true, overdue: true }), {
      flags: ['overdue', 'escalated', 'attention'],
    });

    // Act
    const answer = await transfer(scene, principals.nationalRegulator);

    // Assert
    expect(answer.case.stage).toBe('UNDER_REVIEW');
    expect(await scene.store.getCase('case-1')).toMatchObject({
      agency: 'SAMR',
      province: '44',
      currentTask: { taskId: 'case-1.review.2', kind: 'REVIEW' },
      taskRounds: { REVIEW: 2 },
      flags: ['attention'],
      transferredAt: now.toISOString(),
    });
  });

  it('leaves the claim behind: the new task is unclaimed', async () => {
    // Arrange
    const scene = desk(aTask('REVIEW', { assignee: principals.regulator.subject, version: 2 }));

    // Act
    await transfer(scene);

    // Assert
    expect(await scene.store.getTask('case-1.review.2')).not.toHaveProperty('assignee');
    expect(await scene.store.getTask(scene.taskId)).not.toHaveProperty('assignee');
  });

  it('records CASE_TRANSFERRED with both offices, the new deadline and the reason, nothing of the complainant', async () => {
    // Arrange
    const scene = desk();

    // Act
    const answer = await transfer(scene);

    // Assert
    const [event] = scene.store.eventsOf('case-1');
    expect(event).toMatchObject({
      type: 'CASE_TRANSFERRED',
      actor: { role: 'regulator', subject: principals.regulator.subject },
      data: {
        taskId: 'case-1.review.2',
        fromTaskId: scene.taskId,
        kind: 'REVIEW',
        agency: 'SAMR',
        province: '44',
        fromAgency: 'MCA',
        fromProvince: '11',
        dueAt: answer.task.dueAt,
        reason: toGuangdongSamr.reason,
      },
    });
    expect(JSON.stringify(event)).not.toContain(aComplaint().enterpriseCreditCode);
  });

  it('lets a campaign admin transfer a case', async () => {
    // Arrange
    const scene = desk();

    // Act
    const answer = await transfer(scene, principals.admin);

    // Assert
    expect(answer.task.agency).toBe('SAMR');
  });

  it('refuses a national regulator who sees the case but does not hold its task with 403', async () => {
    // Arrange
    const scene = desk();

    // Act
    const moving = transfer(scene, principals.nationalRegulator);

    // Assert
    await expect(moving).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it.each([
    ['a regulator of another province', principals.otherProvinceRegulator],
    ['a regulator of another agency', principals.otherAgencyRegulator],
    ['the association', principals.association],
  ] as const)('answers %s as if the case did not exist', async (_who, principal) => {
    // Arrange
    const scene = desk();

    // Act
    const moving = transfer(scene, principal);

    // Assert
    await expect(moving).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ['waits on the association', aTask('RECTIFICATION')],
    ['waits on the complainant', aTask('INFO')],
    ['is in second review', aTask('SECOND_REVIEW')],
    ['has its review decided', aTask('REVIEW', { status: 'COMPLETED', completedAt: now.toISOString() })],
  ] as const)('refuses with 409 a case that %s', async (_state, task) => {
    // Arrange
    const scene = desk(task);

    // Act
    const moving = transfer(scene, principals.admin);

    // Assert
    await expect(moving).rejects.toThrow(ConflictError);
    await expect(moving).rejects.toThrow('not_awaiting_regulator');
  });

  it('refuses with 400 same_office a transfer to the office that has the task', async () => {
    // Arrange
    const scene = desk();

    // Act
    const moving = transfer(scene, principals.regulator, { agency: 'MCA', province: '11', reason: 'x' });

    // Assert
    await expect(moving).rejects.toBeInstanceOf(ValidationError);
    await expect(moving).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'same_office' })],
    });
  });

  it('refuses a transfer without a reason with 400', async () => {
    // Arrange
    const scene = desk();

    // Act
    const moving = transfer(scene, principals.regulator, { ...toGuangdongSamr, reason: '' });

    // Assert
    await expect(moving).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers a transfer whose write landed but whose answer was lost as done', async () => {
    // Arrange
    const scene = desk();
    scene.store.loseNextAnswer(new DependencyUnavailableError('DynamoDB timed out'));

    // Act
    const answer = await transfer(scene);

    // Assert
    expect(answer.task.taskId).toBe('case-1.review.2');
    expect(answer.case.caseId).toBe('case-1');
    expect(scene.store.eventsOf('case-1')).toHaveLength(1);
  });

  it('transfers once when the workflow re-armed its wait between the read and the write', async () => {
    // Arrange
    const scene = desk();
    scene.store.interleave(async () => {
      const task = (await scene.store.getTask(scene.taskId)) as StoredTask;
      await scene.store.updateTask({
        task: { ...task, taskToken: 'token-rearmed', version: task.version + 1 },
        expected: task.version,
      });
    });

    // Act
    await transfer(scene);

    // Assert
    expect((await scene.store.getTask('case-1.review.2'))?.taskToken).toBe('token-rearmed');
    expect(scene.store.eventsOf('case-1').map((event) => event.type)).toEqual(['CASE_TRANSFERRED']);
  });
});

describe('a transferred task', () => {
  it('answers a completion in the old office with 409 saying it was transferred', async () => {
    // Arrange
    const scene = desk();
    await transfer(scene);

    // Act
    const completion = completeTask(scene.deps, principals.regulator, scene.taskId, abolish);

    // Assert
    await expect(completion).rejects.toThrow(ConflictError);
    await expect(completion).rejects.toThrow('transferred to SAMR 44');
  });

  it('answers a claim in the old office with 409 saying it was transferred', async () => {
    // Arrange
    const scene = desk();
    await transfer(scene);

    // Act
    const claim = claimTask(scene.deps, principals.regulator, scene.taskId);

    // Assert
    await expect(claim).rejects.toThrow('transferred');
  });

  it("is decided in the receiving office, which answers the workflow's wait on its token", async () => {
    // Arrange
    const scene = desk();
    await transfer(scene);

    // Act
    await completeTask(scene.deps, guangdongSamr, 'case-1.review.2', abolish);

    // Assert
    expect(scene.workflow.callbacks).toEqual([
      { taskToken: 'token-review-1', output: { verdict: 'UNLAWFUL', hasActions: true, secondReview: false } },
    ]);
  });
});

describe('the waiting workflow after a transfer', () => {
  const stepDeps = (scene: ReturnType<typeof desk>, at: Date) => ({
    store: scene.store,
    callbacks: scene.workflow,
    calendar: scene.calendar,
    uploads: new InMemoryEvidenceUploads(),
    now: () => at,
  });
  const review = { caseId: 'case-1', kind: 'REVIEW', workingDays: REVIEW_SLA_DAYS } as const;

  it('does not escalate when the old due date passes: the current task is the new one', async () => {
    // Arrange
    const scene = desk();
    await transfer(scene);
    const afterOldDue = new Date(Date.parse(aTask('REVIEW').dueAt) + 1000);

    // Act
    const { escalated } = await checkDeadline(stepDeps(scene, afterOldDue), review);

    // Assert
    expect(escalated).toBe(false);
    expect((await scene.store.getTask('case-1.review.2'))?.escalated).toBe(false);
  });

  it('waits again until the new task is due', async () => {
    // Arrange
    const scene = desk();
    const answer = await transfer(scene);

    // Act
    const { seconds } = await secondsUntilDue(stepDeps(scene, now), review);

    // Assert
    expect(seconds).toBe(Math.ceil((Date.parse(answer.task.dueAt) - now.getTime()) / 1000));
  });

  it('hands a re-entered wait (or a resumed one) the new task, with the new token', async () => {
    // Arrange
    const scene = desk();
    await transfer(scene);

    // Act
    const opened = await openTask(stepDeps(scene, now), { ...review, taskToken: 'token-resumed' });

    // Assert
    expect(opened).toEqual({ taskId: 'case-1.review.2', replayed: false });
    expect((await scene.store.getTask('case-1.review.2'))?.taskToken).toBe('token-resumed');
    expect(scene.store.eventsOf('case-1').map((event) => event.type)).toEqual(['CASE_TRANSFERRED']);
  });

  it('escalates the new task within its own agency once its own due date passes', async () => {
    // Arrange
    const scene = desk();
    const answer = await transfer(scene);
    const afterNewDue = new Date(Date.parse(answer.task.dueAt) + 1000);

    // Act
    const { escalated } = await checkDeadline(stepDeps(scene, afterNewDue), review);

    // Assert
    expect(escalated).toBe(true);
    expect(await scene.store.getTask('case-1.review.2')).toMatchObject({ agency: 'SAMR', province: '00' });
  });

  it('keeps the receiving agency when the case is classified again after more information', async () => {
    // Arrange
    const scene = desk();
    await transfer(scene);

    // Act
    await classifyCase(stepDeps(scene, now), 'case-1');

    // Assert
    expect((await scene.store.getCase('case-1'))?.agency).toBe('SAMR');
  });
});

describe('campaign counters after a transfer', () => {
  it('move the open task and the case from the old office to the new one', async () => {
    // Arrange
    const scene = desk();
    const [caseBefore, taskBefore] = [
      await scene.store.getCase('case-1'),
      await scene.store.getTask(scene.taskId),
    ];

    // Act
    await transfer(scene);

    // Assert
    const [caseAfter, oldAfter, opened] = [
      await scene.store.getCase('case-1'),
      await scene.store.getTask(scene.taskId),
      await scene.store.getTask('case-1.review.2'),
    ];
    const delta = addCounters(
      addCounters(
        counterDelta(caseContribution(caseBefore as FeeCase), caseContribution(caseAfter as FeeCase)),
        counterDelta(taskContribution(taskBefore as StoredTask), taskContribution(oldAfter as StoredTask)),
      ),
      counterDelta({}, taskContribution(opened as StoredTask)),
    );
    expect(delta['AGENCY_PROVINCE#MCA#11']).toMatchObject({ openTasks: -1, casesOpened: -1 });
    expect(delta['AGENCY_PROVINCE#SAMR#44']).toMatchObject({ openTasks: 1, casesOpened: 1 });
    expect(delta.ALL?.openTasks ?? 0).toBe(0);
    expect(delta.ALL?.casesOpened ?? 0).toBe(0);
    expect(taskContribution(oldAfter as StoredTask)).toEqual({});
  });
});
