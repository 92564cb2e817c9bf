/**
 * Assigning a task to a named officer (指派), over an in-memory case store: who may assign, which tasks,
 * what the audit trail records, and that a repeat or a race changes the task once.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenRoleError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import type { StoredTask } from '#shared/ports/cases';
import { assignTask } from '#shared/tasks/assign-task';
import { claimTask } from '#shared/tasks/tasks';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore } from '#test/support/fakes/case-store';
import { InMemoryEvidenceUploads } from '#test/support/fakes/evidence';
import { aClassifiedCase, aTask, principals } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const now = new Date('2026-06-02T08:00:00.000Z');
const officer = 'local:regulator:MCA:11:officer';

/** A classified case waiting on `task`, as the workflow leaves it. */
const desk = (task: StoredTask = aTask('REVIEW')) => {
  const store = new InMemoryCaseStore();
  store.addCase(
    aClassifiedCase({
      stage: 'UNDER_REVIEW',
      currentTask: { taskId: task.taskId, kind: task.kind },
      taskRounds: { [task.kind]: 1 },
    }),
  );
  store.addTask(task);
  return {
    store,
    deps: {
      store,
      callbacks: new RecordingWorkflow(),
      calendar: new InMemoryCalendarStore(),
      uploads: new InMemoryEvidenceUploads(),
      now: () => now,
    },
    taskId: task.taskId,
  };
};

const assign = (
  { deps, taskId }: ReturnType<typeof desk>,
  principal: Principal,
  assignee: string | null = officer,
) => assignTask(deps, principal, taskId, { assignee });

describe('assignTask', () => {
  it("lets the agency's national regulator give a provincial review to an officer", async () => {
    // Arrange
    const scene = desk();

    // Act
    const answer = await assign(scene, principals.nationalRegulator);

    // Assert
    expect(answer.task).toMatchObject({ taskId: scene.taskId, status: 'OPEN', assignee: officer });
    expect((await scene.store.getTask(scene.taskId))?.assignee).toBe(officer);
  });

  it('lets a campaign admin assign a task', async () => {
    // Arrange
    const scene = desk(aTask('VERIFICATION'));

    // Act
    const answer = await assign(scene, principals.admin);

    // Assert
    expect(answer.task.assignee).toBe(officer);
  });

  it('records TASK_ASSIGNED with the task, its kind, the officer and who assigned it', async () => {
    // Arrange
    const scene = desk();

    // Act
    await assign(scene, principals.nationalRegulator);

    // Assert
    expect(scene.store.eventsOf('case-1')).toEqual([
      expect.objectContaining({
        type: 'TASK_ASSIGNED',
        actor: { role: 'regulator', subject: principals.nationalRegulator.subject },
        data: { taskId: scene.taskId, kind: 'REVIEW', assignee: officer },
      }),
    ]);
  });

  it('takes a task back with a null assignee, and records that', async () => {
    // Arrange
    const scene = desk(aTask('REVIEW', { assignee: officer, version: 2 }));

    // Act
    const answer = await assign(scene, principals.admin, null);

    // Assert
    expect(answer.task).not.toHaveProperty('assignee');
    expect((await scene.store.getTask(scene.taskId))?.assignee).toBeUndefined();
    expect(scene.store.eventsOf('case-1').map((event) => event.data)).toEqual([
      { taskId: scene.taskId, kind: 'REVIEW', assignee: null },
    ]);
  });

  it('answers an assignment to the current assignee as it is, without a new event', async () => {
    // Arrange
    const scene = desk();
    await assign(scene, principals.nationalRegulator);

    // Act
    const again = await assign(scene, principals.nationalRegulator);

    // Assert
    expect(again.task.assignee).toBe(officer);
    expect(scene.store.eventsOf('case-1')).toHaveLength(1);
    expect((await scene.store.getTask(scene.taskId))?.version).toBe(2);
  });

  it('moves a task from the officer who claimed it to another', async () => {
    // Arrange
    const scene = desk();
    await claimTask(scene.deps, principals.regulator, scene.taskId);

    // Act
    const answer = await assign(scene, principals.nationalRegulator, principals.colleague.subject);

    // Assert
    expect(answer.task.assignee).toBe(principals.colleague.subject);
  });

  it('gives the assigned officer the task to work: a colleague cannot claim it', async () => {
    // Arrange
    const scene = desk();
    await assign(scene, principals.nationalRegulator, principals.regulator.subject);

    // Act
    const claim = claimTask(scene.deps, principals.colleague, scene.taskId);

    // Assert
    await expect(claim).rejects.toThrow('Someone else holds this task');
  });

  it('refuses a provincial regulator who sees the task with 403', async () => {
    // Arrange
    const scene = desk();

    // Act
    const assignment = assign(scene, principals.regulator);

    // Assert
    await expect(assignment).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it.each([
    ['a regulator of another province', principals.otherProvinceRegulator],
    ['a regulator of another agency', principals.otherAgencyRegulator],
    ['the association', principals.association],
  ] as const)('answers %s as if the task did not exist', async (_who, principal) => {
    // Arrange
    const scene = desk();

    // Act
    const assignment = assign(scene, principal);

    // Assert
    await expect(assignment).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers an unknown task with 404', async () => {
    // Arrange
    const scene = desk();

    // Act
    const assignment = assignTask(scene.deps, principals.admin, 'case-1.review.9', { assignee: officer });

    // Assert
    await expect(assignment).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an INFO task, which waits on the complainant', async () => {
    // Arrange
    const scene = desk(aTask('INFO'));

    // Act
    const assignment = assign(scene, principals.admin);

    // Assert
    await expect(assignment).rejects.toBeInstanceOf(ConflictError);
  });

  it.each(['RECTIFICATION', 'EXTENSION', 'SECOND_REVIEW'] as const)(
    'assigns an open %s task, which a regulator may work',
    async (kind) => {
      // Arrange
      const scene = desk(aTask(kind));

      // Act
      const answer = await assign(scene, principals.admin);

      // Assert
      expect(answer.task.assignee).toBe(officer);
    },
  );

  it.each(['COMPLETED', 'TRANSFERRED'] as const)('refuses a %s task with 409', async (status) => {
    // Arrange
    const scene = desk(aTask('REVIEW', { status, completedAt: now.toISOString() }));

    // Act
    const assignment = assign(scene, principals.admin);

    // Assert
    await expect(assignment).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses to give a second review to the officer whose decision it reviews', async () => {
    // Arrange
    const scene = desk(aTask('SECOND_REVIEW', { firstReviewer: officer }));

    // Act
    const assignment = assign(scene, principals.admin, officer);

    // Assert
    await expect(assignment).rejects.toThrow('cannot be given its second review');
  });

  it('refuses an empty assignee with 400', async () => {
    // Arrange
    const scene = desk();

    // Act
    const assignment = assign(scene, principals.admin, '   ');

    // Assert
    await expect(assignment).rejects.toBeInstanceOf(ValidationError);
  });

  it('assigns once when the task changed between its read and the write', async () => {
    // Arrange: the workflow re-arms its wait (a new token) just before the assignment is written.
    const scene = desk();
    scene.store.interleave(async () => {
      const task = (await scene.store.getTask(scene.taskId)) as StoredTask;
      await scene.store.updateTask({
        task: { ...task, taskToken: 'token-rearmed', version: task.version + 1 },
        expected: task.version,
      });
    });

    // Act
    const answer = await assign(scene, principals.nationalRegulator);

    // Assert
    expect(answer.task.assignee).toBe(officer);
    expect(await scene.store.getTask(scene.taskId)).toMatchObject({
      taskToken: 'token-rearmed',
      assignee: officer,
      version: 3,
    });
    expect(scene.store.eventsOf('case-1')).toHaveLength(1);
  });
});
