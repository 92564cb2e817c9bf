/**
 * The task inbox use cases (list, claim, release, complete) over an in-memory case store: who may act
 * on which task, what a conflict answers, and that a completion is written before the workflow hears.
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
import type { Principal } from '#shared/domain/principal';
import type { StoredTask } from '#shared/ports/cases';
import { claimTask, completeTask, listTasks, releaseTask } from '#shared/tasks/tasks';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import { InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { aClassifiedCase, aTask, principals } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const now = new Date('2026-06-02T08:00:00.000Z');

/** A classified case waiting on `task`, as the workflow leaves it. */
const inbox = (task: StoredTask = aTask('REVIEW'), caseChanges: Partial<FeeCase> = {}) => {
  const store = new InMemoryCaseStore();
  const workflow = new RecordingWorkflow();
  store.addCase(
    aClassifiedCase({
      stage: 'UNDER_REVIEW',
      currentTask: { taskId: task.taskId, kind: task.kind },
      taskRounds: { [task.kind]: 1 },
      ...caseChanges,
    }),
  );
  store.addTask(task);
  return {
    store,
    workflow,
    deps: {
      store,
      callbacks: workflow,
      calendar: new InMemoryCalendarStore(),
      uploads: new InMemoryEvidenceUploads(),
      now: () => now,
    },
    taskId: task.taskId,
  };
};

const claimedBy = (principal: Principal & { subject: string }, kind: StoredTask['kind'] = 'REVIEW') =>
  aTask(kind, { assignee: principal.subject, version: 2 });

const abolish = { verdict: 'UNLAWFUL', ruleIds: ['R01'], reason: 'Forced membership', actions: ['ABOLISH'] };

describe('listTasks', () => {
  it("lists the regulator's own inbox in due-date order", async () => {
    // Arrange
    const { store, deps } = inbox(aTask('REVIEW', { taskId: 'late', dueAt: '2026-06-09T00:00:00.000Z' }));
    store.addTask(aTask('REVIEW', { taskId: 'early', dueAt: '2026-06-03T00:00:00.000Z' }));
    store.addTask(aTask('REVIEW', { taskId: 'elsewhere', province: '31' }));
    store.addTask(aTask('REVIEW', { taskId: 'other-agency', agency: 'SAMR' }));

    // Act
    const page = await listTasks(deps, principals.regulator, {});

    // Assert
    expect(page.items.map((task) => task.taskId)).toEqual(['early', 'late']);
  });

  it('pages with a cursor that continues where the last page ended', async () => {
    // Arrange
    const { store, deps } = inbox(aTask('REVIEW', { taskId: 'first', dueAt: '2026-06-03T00:00:00.000Z' }));
    store.addTask(aTask('REVIEW', { taskId: 'second', dueAt: '2026-06-04T00:00:00.000Z' }));
    const first = await listTasks(deps, principals.regulator, { limit: '1' });

    // Act
    const second = await listTasks(deps, principals.regulator, { limit: '1', cursor: first.cursor });

    // Assert
    expect([first.items[0]?.taskId, second.items[0]?.taskId, second.cursor]).toEqual([
      'first',
      'second',
      null,
    ]);
  });

  it("refuses another inbox's cursor", async () => {
    // Arrange
    const { store, deps } = inbox(aTask('REVIEW', { taskId: 'first' }));
    store.addTask(aTask('REVIEW', { taskId: 'second' }));
    const { cursor } = await listTasks(deps, principals.regulator, { limit: '1' });

    // Act
    const listing = listTasks(deps, principals.otherProvinceRegulator, { cursor });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a regulator who names an inbox: theirs comes from their sign-in', async () => {
    // Arrange
    const { deps } = inbox();

    // Act
    const listing = listTasks(deps, principals.regulator, { agency: 'SAMR', province: '31' });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });

  it('lets a campaign admin browse the inbox of an agency and province', async () => {
    // Arrange
    const { store, deps } = inbox(aTask('REVIEW', { taskId: 'beijing' }));
    store.addTask(aTask('REVIEW', { taskId: 'shanghai', province: '31' }));

    // Act
    const page = await listTasks(deps, principals.admin, { agency: 'MCA', province: '31' });

    // Assert
    expect(page.items.map((task) => task.taskId)).toEqual(['shanghai']);
  });

  it('shows an association only its rectification orders, without who holds them', async () => {
    // Arrange
    const { store, deps } = inbox(claimedBy(principals.regulator, 'RECTIFICATION'));
    store.addTask(aTask('RECTIFICATION', { taskId: 'not-ours', associationCreditCode: 'someone else' }));

    // Act
    const page = await listTasks(deps, principals.association, {});

    // Assert
    expect(page.items).toEqual([
      expect.not.objectContaining({ assignee: expect.anything(), taskToken: expect.anything() }),
    ]);
  });

  it('marks an open task past its due date overdue', async () => {
    // Arrange
    const { deps } = inbox(aTask('REVIEW', { dueAt: '2026-06-01T00:00:00.000Z' }));

    // Act
    const page = await listTasks(deps, principals.regulator, {});

    // Assert
    expect(page.items[0]?.overdue).toBe(true);
  });

  it('refuses a caller who is not signed in', async () => {
    // Arrange
    const { deps } = inbox();

    // Act
    const listing = listTasks(deps, principals.anonymous, {});

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ForbiddenRoleError);
  });
});

describe('claimTask', () => {
  it('gives an open task nobody holds to the regulator who claims it', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();

    // Act
    await claimTask(deps, principals.regulator, taskId);

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({ assignee: 'regulator-1', version: 2 });
  });

  it('leaves a task its claimant holds already as it is', async () => {
    // Arrange
    const { store, deps, taskId } = inbox(claimedBy(principals.regulator));

    // Act
    await claimTask(deps, principals.regulator, taskId);

    // Assert
    expect((await store.getTask(taskId))?.version).toBe(2);
  });

  it('answers 409 when a colleague holds the task', async () => {
    // Arrange
    const { deps, taskId } = inbox(claimedBy(principals.colleague));

    // Act
    const claim = claimTask(deps, principals.regulator, taskId);

    // Assert
    await expect(claim).rejects.toThrow(new ConflictError('Someone else holds this task'));
  });

  it('answers 409 when a colleague claims it between the read and the write', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();
    store.interleave(async () => {
      await claimTask(deps, principals.colleague, taskId);
    });

    // Act
    const claim = claimTask(deps, principals.regulator, taskId);

    // Assert
    await expect(claim).rejects.toThrow(new ConflictError('Someone else holds this task'));
  });

  it('answers 409 for a completed task', async () => {
    // Arrange
    const { deps, taskId } = inbox(aTask('REVIEW', { status: 'COMPLETED' }));

    // Act
    const claim = claimTask(deps, principals.regulator, taskId);

    // Assert
    await expect(claim).rejects.toThrow(new ConflictError('The task is already completed'));
  });

  it("refuses a regulator a complainant's information request as a wrong role", async () => {
    // Arrange
    const { deps, taskId } = inbox(aTask('INFO'));

    // Act
    const claim = claimTask(deps, principals.regulator, taskId);

    // Assert
    await expect(claim).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it('answers 404 to a regulator of another province', async () => {
    // Arrange
    const { deps, taskId } = inbox();

    // Act
    const claim = claimTask(deps, principals.otherProvinceRegulator, taskId);

    // Assert
    await expect(claim).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('releaseTask', () => {
  it("ends the holder's own claim", async () => {
    // Arrange
    const { store, deps, taskId } = inbox(claimedBy(principals.regulator));

    // Act
    await releaseTask(deps, principals.regulator, taskId);

    // Assert
    expect(await store.getTask(taskId)).not.toHaveProperty('assignee');
  });

  it("lets a campaign admin end anyone's claim", async () => {
    // Arrange
    const { store, deps, taskId } = inbox(claimedBy(principals.colleague));

    // Act
    await releaseTask(deps, principals.admin, taskId);

    // Assert
    expect((await store.getTask(taskId))?.assignee).toBeUndefined();
  });

  it("answers 409 to a regulator releasing a colleague's claim", async () => {
    // Arrange
    const { deps, taskId } = inbox(claimedBy(principals.colleague));

    // Act
    const release = releaseTask(deps, principals.regulator, taskId);

    // Assert
    await expect(release).rejects.toThrow(new ConflictError('Someone else holds this task'));
  });

  it('leaves a task nobody holds unchanged', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();

    // Act
    await releaseTask(deps, principals.regulator, taskId);

    // Assert
    expect((await store.getTask(taskId))?.version).toBe(1);
  });

  it('answers 409 for a completed task', async () => {
    // Arrange
    const { deps, taskId } = inbox(aTask('REVIEW', { status: 'COMPLETED', assignee: 'regulator-1' }));

    // Act
    const release = releaseTask(deps, principals.regulator, taskId);

    // Assert
    await expect(release).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('completeTask', () => {
  it("records the regulator's review decision on the case", async () => {
    // Arrange
    const { store, deps, taskId } = inbox();

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(await store.getCase('case-1')).toMatchObject({
      verdict: 'UNLAWFUL',
      decidedAt: now.toISOString(),
      classification: { final: { verdict: 'UNLAWFUL', ruleIds: ['R01'], actions: ['ABOLISH'] } },
    });
  });

  it('completes the task for its completer, keeping what was submitted', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(await store.getTask(taskId)).toMatchObject({
      status: 'COMPLETED',
      assignee: 'regulator-1',
      completedAt: now.toISOString(),
      submission: abolish,
      result: { verdict: 'UNLAWFUL', hasActions: true },
    });
  });

  it('writes the completion before the waiting workflow hears of it', async () => {
    // Arrange
    const { store, taskId } = inbox();
    const seenByCallback: (StoredTask | undefined)[] = [];
    const callbacks = {
      succeed: async () => {
        seenByCallback.push(await store.getTask(taskId));
        return 'delivered' as const;
      },
    };

    // Act
    await completeTask(
      {
        store,
        callbacks,
        calendar: new InMemoryCalendarStore(),
        uploads: new InMemoryEvidenceUploads(),
        now: () => now,
      },
      principals.regulator,
      taskId,
      abolish,
    );

    // Assert
    expect(seenByCallback.map((task) => task?.status)).toEqual(['COMPLETED']);
  });

  it("hands the workflow the task's token and a small output", async () => {
    // Arrange
    const { workflow, deps, taskId } = inbox();

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(workflow.callbacks).toEqual([
      { taskToken: 'token-review-1', output: { verdict: 'UNLAWFUL', hasActions: true, secondReview: false } },
    ]);
  });

  it('keeps the completion when the workflow no longer waits on the token', async () => {
    // Arrange
    const { workflow, deps, taskId } = inbox();
    workflow.forget('token-review-1');

    // Act
    const completed = await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(completed.task.status).toBe('COMPLETED');
  });

  it('answers with the case as its complainants see it', async () => {
    // Arrange
    const { deps, taskId } = inbox();

    // Act
    const completed = await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(completed.case).toEqual({
      caseId: 'case-1',
      stage: 'UNDER_REVIEW',
      verdict: 'UNLAWFUL',
      refundedFen: 0,
      reducedAnnualFen: 0,
    });
  });

  it('refuses a decision citing a rule the rulebook does not have, naming it', async () => {
    // Arrange
    const { deps, taskId } = inbox();

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, { ...abolish, ruleIds: ['R99'] });

    // Assert
    await expect(completion).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'ruleIds.0' })],
    });
  });

  it('writes nothing for a refused decision', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();

    // Act
    await completeTask(deps, principals.regulator, taskId, { verdict: 'MAYBE' }).catch(() => undefined);

    // Assert
    expect([store.eventsOf('case-1'), (await store.getTask(taskId))?.status]).toEqual([[], 'OPEN']);
  });

  it('asks for information without deciding the case', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();
    const question = { verdict: 'NEEDS_INFO', ruleIds: [], reason: 'Was joining a condition?' };

    // Act
    await completeTask(deps, principals.regulator, taskId, question);

    // Assert
    expect((await store.getCase('case-1'))?.verdict).toBeUndefined();
  });

  it('answers 409 for a review of a case the rulebook has not classified', async () => {
    // Arrange
    const { deps, taskId } = inbox(aTask('REVIEW'), { classification: undefined });

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    await expect(completion).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers 409 when a colleague holds the task', async () => {
    // Arrange
    const { deps, taskId } = inbox(claimedBy(principals.colleague));

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    await expect(completion).rejects.toThrow(new ConflictError('Someone else holds this task'));
  });

  it('answers 409 for a task completed already', async () => {
    // Arrange
    const { deps, taskId } = inbox(aTask('REVIEW', { status: 'COMPLETED' }));

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    await expect(completion).rejects.toThrow(new ConflictError('The task is already completed'));
  });

  it('answers 409 when the task is escalated between the read and the write', async () => {
    // Arrange
    const { store, deps, taskId } = inbox();
    store.interleave(async () => {
      const task = (await store.getTask(taskId)) as StoredTask;
      await store.updateTask({ task: { ...task, province: '00', version: 2 }, expected: 1 });
    });

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    await expect(completion).rejects.toThrow(
      new ConflictError('The task was escalated meanwhile; reload it'),
    );
  });

  it('completes on a re-armed wait, with the new token', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = inbox();
    store.interleave(async () => {
      const task = (await store.getTask(taskId)) as StoredTask;
      await store.updateTask({ task: { ...task, taskToken: 'token-rearmed', version: 2 }, expected: 1 });
    });

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(workflow.callbacks.map((callback) => callback.taskToken)).toEqual(['token-rearmed']);
  });

  it('calls back when the write landed but its answer was lost', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = inbox();
    store.loseNextAnswer(new DependencyUnavailableError('DynamoDB timed out'));

    // Act
    await completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    expect(workflow.callbacks).toHaveLength(1);
  });

  it('answers 503 when the write failed, and calls nobody back', async () => {
    // Arrange
    const { store, workflow, deps, taskId } = inbox();
    store.interleave(() => {
      throw new DependencyUnavailableError('DynamoDB is unavailable');
    });

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, abolish);

    // Assert
    await expect(completion).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(workflow.callbacks).toEqual([]);
  });

  it('lets the association report on its order while a regulator holds it', async () => {
    // Arrange
    const { store, deps, taskId } = inbox(claimedBy(principals.regulator, 'RECTIFICATION'));
    const report = {
      abolished: true,
      refundedFen: 500_000,
      evidence: [{ kind: 'NOTICE', reference: 'n-1' }],
    };

    // Act
    await completeTask(deps, principals.association, taskId, report);

    // Assert
    expect((await store.getCase('case-1'))?.rectification).toMatchObject({
      abolished: true,
      refundedFen: 500_000,
    });
  });

  it('answers 409 for a verification with no report to verify', async () => {
    // Arrange
    const { deps, taskId } = inbox(aTask('VERIFICATION'));

    // Act
    const completion = completeTask(deps, principals.regulator, taskId, { accepted: true });

    // Assert
    await expect(completion).rejects.toThrow(new ConflictError('There is no rectification report to verify'));
  });

  it("adds the complainant's answer to the case's facts", async () => {
    // Arrange
    const { store, deps, taskId } = inbox(aTask('INFO'));

    // Act
    await completeTask(deps, principals.enterprise, taskId, { facts: { compulsory: true }, note: 'Yes' });

    // Assert
    expect((await store.getCase('case-1'))?.supplementaryFacts).toEqual({ compulsory: true });
  });

  it('refuses a campaign admin a review task as a wrong role', async () => {
    // Arrange
    const { deps, taskId } = inbox();

    // Act
    const completion = completeTask(deps, principals.admin, taskId, abolish);

    // Assert
    await expect(completion).rejects.toBeInstanceOf(ForbiddenRoleError);
  });
});
