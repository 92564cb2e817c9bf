/**
 * An association's request for more time on its rectification order, over an in-memory case store:
 * who may ask, once per order and before it is due, and what one commit writes.
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
import { progressOf } from '#shared/domain/progress';
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
import type { StoredTask } from '#shared/ports/cases';
import { requestExtension } from '#shared/tasks/request-extension';
import { completeTask } from '#shared/tasks/tasks';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import { InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { aClassifiedCase, aTask, openedAt, principals } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const now = new Date('2026-06-02T08:00:00.000Z');
/** The order's due date: the end of Friday 12 June 2026, China time. */
const dueAt = '2026-06-12T15:59:59.999Z';
const order = { actions: ['ABOLISH'], rectificationDays: 10, issuedAt: '2026-05-29T08:00:00.000Z', dueAt };
const asked = { days: 5, reason: '退费涉及会员较多，需逐户核对账目' };

/** A case ordered to rectify, waiting on the association's report. */
const ordered = (changes: Partial<StoredTask> = {}, caseChanges: Partial<FeeCase> = {}) => {
  const store = new InMemoryCaseStore();
  const rectification = aTask('RECTIFICATION', { dueAt, ...changes });
  store.addCase(
    aClassifiedCase({
      stage: 'RECTIFYING',
      verdict: 'UNLAWFUL',
      order,
      currentTask: { taskId: rectification.taskId, kind: 'RECTIFICATION' },
      taskRounds: { REVIEW: 1, RECTIFICATION: 1 },
      ...caseChanges,
    }),
  );
  store.addTask(rectification);
  return {
    store,
    deps: {
      store,
      calendar: new InMemoryCalendarStore(),
      uploads: new InMemoryEvidenceUploads(),
      now: () => now,
    },
    taskId: rectification.taskId,
  };
};

describe('requestExtension', () => {
  it("opens an EXTENSION task for the case's office, due when the order is, asking for the working days beyond it", async () => {
    // Arrange
    const { store, deps, taskId } = ordered();

    // Act
    const { task } = await requestExtension(deps, principals.association, taskId, asked);
    const stored = await store.getTask(task.taskId);

    // Assert
    expect(stored).toMatchObject({
      taskId: 'case-1.extension.1',
      kind: 'EXTENSION',
      status: 'OPEN',
      agency: 'MCA',
      province: '11',
      dueAt,
      taskToken: '',
      extension: {
        rectificationTaskId: taskId,
        days: 5,
        reason: asked.reason,
        currentDueAt: dueAt,
        requestedDueAt: new WorkingDayCalendar(publishedYears).dueAt(new Date(dueAt), 5),
      },
    });
  });

  it('counts the working days after the due date, skipping weekends and public holidays', async () => {
    // Arrange
    const { store, deps, taskId } = ordered();

    // Act
    const { task } = await requestExtension(deps, principals.association, taskId, asked);

    // Assert: Friday 12 June + 5 working days, with the Dragon Boat Festival on Friday 19 June, ends on
    // Monday 22 June, end of day in China.
    expect((await store.getTask(task.taskId))?.extension?.requestedDueAt).toBe('2026-06-22T15:59:59.999Z');
  });

  it('marks the order with its request and leaves the case waiting on the rectification', async () => {
    // Arrange
    const { store, deps, taskId } = ordered();

    // Act
    const { task } = await requestExtension(deps, principals.association, taskId, asked);

    // Assert
    expect((await store.getTask(taskId))?.extensionTaskId).toBe(task.taskId);
    expect(await store.getCase('case-1')).toMatchObject({
      currentTask: { taskId, kind: 'RECTIFICATION' },
      taskRounds: { EXTENSION: 1 },
      order: { dueAt },
    });
  });

  it('records EXTENSION_REQUESTED for the office without the reason', async () => {
    // Arrange
    const { store, deps, taskId } = ordered();

    // Act
    await requestExtension(deps, principals.association, taskId, asked);

    // Assert
    const [event] = store.eventsOf('case-1');
    expect(event).toMatchObject({
      type: 'EXTENSION_REQUESTED',
      actor: { role: 'association' },
      data: {
        taskId: 'case-1.extension.1',
        rectificationTaskId: taskId,
        kind: 'EXTENSION',
        agency: 'MCA',
        province: '11',
        days: 5,
        requestedDueAt: '2026-06-22T15:59:59.999Z',
        dueAt,
      },
    });
    expect(JSON.stringify(event)).not.toContain(asked.reason);
  });

  it('takes one request per order', async () => {
    // Arrange
    const { deps, taskId } = ordered();
    await requestExtension(deps, principals.association, taskId, asked);

    // Act
    const again = requestExtension(deps, principals.association, taskId, asked);

    // Assert
    await expect(again).rejects.toBeInstanceOf(ConflictError);
  });

  it("takes one request per order, also on the order's next round after a rejected report", async () => {
    // Arrange
    const { store, deps, taskId } = ordered();
    await requestExtension(deps, principals.association, taskId, asked);
    const rejected = (await store.getCase('case-1')) as FeeCase;
    const nextRound = aTask('RECTIFICATION', { taskId: 'case-1.rectification.2', dueAt });
    store.addTask({ ...((await store.getTask(taskId)) as StoredTask), status: 'COMPLETED' });
    store.addTask(nextRound);
    store.addCase({
      ...rejected,
      currentTask: { taskId: nextRound.taskId, kind: 'RECTIFICATION' },
      taskRounds: { ...rejected.taskRounds, RECTIFICATION: 2 },
    });

    // Act
    const again = requestExtension(deps, principals.association, nextRound.taskId, asked);

    // Assert
    await expect(again).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers a request whose write landed but whose answer was lost as made', async () => {
    // Arrange
    const { store, deps, taskId } = ordered();
    store.loseNextAnswer(new DependencyUnavailableError('DynamoDB timed out'));

    // Act
    const answer = await requestExtension(deps, principals.association, taskId, asked);

    // Assert
    expect(answer.task.taskId).toBe('case-1.extension.1');
    expect(store.eventsOf('case-1')).toHaveLength(1);
  });

  it('refuses an order already past due', async () => {
    // Arrange
    const { deps, taskId } = ordered({ dueAt: '2026-06-01T15:59:59.999Z' });

    // Act
    const late = requestExtension(deps, principals.association, taskId, asked);

    // Assert
    await expect(late).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses an order that was already reported on', async () => {
    // Arrange
    const { deps, taskId } = ordered({ status: 'COMPLETED' });

    // Act
    const closed = requestExtension(deps, principals.association, taskId, asked);

    // Assert
    await expect(closed).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers 404 to an association the order is not addressed to', async () => {
    // Arrange
    const { deps, taskId } = ordered();

    // Act
    const foreign = requestExtension(deps, principals.otherAssociation, taskId, asked);

    // Assert
    await expect(foreign).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 403 to a regulator who sees the order but is not the association', async () => {
    // Arrange
    const { deps, taskId } = ordered();

    // Act
    const regulator = requestExtension(deps, principals.regulator, taskId, asked);

    // Assert
    await expect(regulator).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it('refuses more than 30 working days', async () => {
    // Arrange
    const { deps, taskId } = ordered();

    // Act
    const tooLong = requestExtension(deps, principals.association, taskId, { ...asked, days: 31 });

    // Assert
    await expect(tooLong).rejects.toBeInstanceOf(ValidationError);
  });

  it('asks again on a fresh read when the workflow re-armed the order meanwhile', async () => {
    // Arrange
    const { store, deps, taskId } = ordered();
    store.interleave(async () => {
      const task = (await store.getTask(taskId)) as StoredTask;
      await store.updateTask({ task: { ...task, taskToken: 'rearmed', version: 2 }, expected: 1 });
    });

    // Act
    await requestExtension(deps, principals.association, taskId, asked);

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({
      taskToken: 'rearmed',
      extensionTaskId: 'case-1.extension.1',
      version: 3,
    });
  });
});

/** An order whose association asked for 5 more working days, as the regulators' inbox has it. */
const requested = async () => {
  const { store, deps, taskId } = ordered();
  const { task } = await requestExtension(deps, principals.association, taskId, asked);
  const workflow = new RecordingWorkflow();
  return {
    store,
    workflow,
    decide: (body: unknown) =>
      completeTask({ ...deps, callbacks: workflow }, principals.regulator, task.taskId, body),
    rectificationTaskId: taskId,
    extensionTaskId: task.taskId,
  };
};
const requestedDueAt = '2026-06-22T15:59:59.999Z';

describe('completing an EXTENSION task', () => {
  it("moves the order's and its task's due date when granted", async () => {
    // Arrange
    const { store, decide, rectificationTaskId } = await requested();

    // Act
    await decide({ granted: true });

    // Assert
    expect((await store.getTask(rectificationTaskId))?.dueAt).toBe(requestedDueAt);
    expect((await store.getCase('case-1'))?.order?.dueAt).toBe(requestedDueAt);
  });

  it('records EXTENSION_DECIDED with the new due date', async () => {
    // Arrange
    const { store, decide, extensionTaskId } = await requested();

    // Act
    await decide({ granted: true, note: '同意延期' });

    // Assert
    expect(store.eventsOf('case-1').at(-1)).toMatchObject({
      type: 'EXTENSION_DECIDED',
      data: { taskId: extensionTaskId, granted: true, dueAt: requestedDueAt },
    });
  });

  it('moves nothing when refused', async () => {
    // Arrange
    const { store, decide, rectificationTaskId, extensionTaskId } = await requested();

    // Act
    await decide({ granted: false, note: '理由不充分' });

    // Assert
    expect((await store.getTask(rectificationTaskId))?.dueAt).toBe(dueAt);
    expect((await store.getCase('case-1'))?.order?.dueAt).toBe(dueAt);
    expect(store.eventsOf('case-1').at(-1)).toMatchObject({
      type: 'EXTENSION_DECIDED',
      data: { taskId: extensionTaskId, granted: false },
    });
  });

  it("shows the complainants' progress the granted due date instead of the order's first one", async () => {
    // Arrange
    const { store, decide, rectificationTaskId } = await requested();
    const rectifying = (await store.getCase('case-1')) as FeeCase;
    await store.commit({
      before: rectifying,
      after: rectifying,
      at: now.toISOString(),
      event: {
        type: 'TASK_OPENED',
        actor: { role: 'workflow' },
        stage: 'RECTIFYING',
        data: { taskId: rectificationTaskId, kind: 'RECTIFICATION', dueAt },
      },
    });

    // Act
    await decide({ granted: true });

    // Assert
    const feeCase = (await store.getCase('case-1')) as FeeCase;
    const rectification = progressOf(feeCase, store.eventsOf('case-1'), openedAt).find(
      (step) => step.step === 'RECTIFICATION',
    );
    expect(rectification).toMatchObject({ status: 'CURRENT', dueAt: requestedDueAt });
  });

  it('calls back no workflow: none waits on an extension', async () => {
    // Arrange
    const { workflow, decide } = await requested();

    // Act
    await decide({ granted: true });

    // Assert
    expect(workflow.callbacks).toEqual([]);
  });

  it('cannot grant time on an order the association already reported on', async () => {
    // Arrange
    const { store, decide, rectificationTaskId } = await requested();
    const rectification = (await store.getTask(rectificationTaskId)) as StoredTask;
    store.addTask({ ...rectification, status: 'COMPLETED' });

    // Act
    const lapsed = decide({ granted: true });

    // Assert
    await expect(lapsed).rejects.toBeInstanceOf(ConflictError);
  });

  it('cannot grant time on an order that ran past its due date before the answer', async () => {
    // Arrange
    const { store, decide, rectificationTaskId } = await requested();
    const rectification = (await store.getTask(rectificationTaskId)) as StoredTask;
    store.addTask({ ...rectification, province: '00', escalated: true, overdue: true });

    // Act
    const lapsed = decide({ granted: true });

    // Assert
    await expect(lapsed).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses the association: the regulators decide', async () => {
    // Arrange
    const { store, extensionTaskId } = await requested();
    const deps = {
      store,
      callbacks: new RecordingWorkflow(),
      calendar: new InMemoryCalendarStore(),
      uploads: new InMemoryEvidenceUploads(),
      now: () => now,
    };

    // Act
    const ownRequest = completeTask(deps, principals.association, extensionTaskId, { granted: true });

    // Assert
    await expect(ownRequest).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a request for more time still undecided when the association reports', () => {
  const report = {
    abolished: true,
    refundedFen: 500_000,
    evidence: [{ kind: 'REFUND_RECEIPT', reference: '退费凭证 2026-06-05' }],
  };
  const reportOn = async () => {
    const scene = await requested();
    const workflow = new RecordingWorkflow();
    await completeTask(
      {
        store: scene.store,
        calendar: new InMemoryCalendarStore(),
        uploads: new InMemoryEvidenceUploads(),
        callbacks: workflow,
        now: () => now,
      },
      principals.association,
      scene.rectificationTaskId,
      report,
    );
    return scene;
  };

  it('lapses: its task leaves the inbox, closed as not granted', async () => {
    // Act
    const { store, extensionTaskId } = await reportOn();

    // Assert
    expect(await store.getTask(extensionTaskId)).toMatchObject({
      status: 'COMPLETED',
      result: { granted: false, lapsed: true },
    });
  });

  it('is named as lapsed by the report in the audit trail', async () => {
    // Act
    const { store, extensionTaskId } = await reportOn();

    // Assert
    expect(store.eventsOf('case-1').at(-1)).toMatchObject({
      type: 'RECTIFICATION_REPORTED',
      data: { extensionLapsed: extensionTaskId },
    });
  });
});
