/**
 * Assigning a task (指派): a campaign admin, or a national regulator of the task's agency, gives an open
 * task to a named officer, or takes it back. Unlike a claim, an assignment is a decision about the
 * case's work made by someone other than the officer, so it is audited as TASK_ASSIGNED and the
 * officer's office is told.
 *
 * The assignee is the officer's subject (their sign-in's `sub`; locally `local:regulator:<agency>:
 * <province>:<name>`). There is no user directory yet (issue 17): the subject is not checked against
 * one. The assignment only names who is to work the task; the officer sees and works it only if their
 * own agency and province are the task's, as for any task.
 */
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import { ConflictError, ForbiddenRoleError, NotFoundError } from '#shared/domain/errors';
import type { FeeTask, TaskKind } from '#shared/domain/fee-task';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import { taskView } from '#shared/domain/views';
import type { StoredTask } from '#shared/ports/cases';
import { AssignTaskBody } from '#shared/tasks/messages';
import { canSeeTask, subjectOf } from '#shared/tasks/task-access';
import { notOpenConflict } from '#shared/tasks/task-state';
import type { TaskDeps } from '#shared/tasks/tasks';

/** Kinds a regulator works: an INFO task waits on the complainant, whom nobody assigns. */
const assignableKinds: ReadonlySet<TaskKind> = new Set([
  'REVIEW',
  'VERIFICATION',
  // A regulator may report on the association's behalf.
  'RECTIFICATION',
  'EXTENSION',
  'SECOND_REVIEW',
]);

/** Campaign admins, and the agency's regulators at the national level, direct its work. */
export const canAssignTask = (principal: Principal, task: FeeTask): boolean =>
  principal.role === 'campaign-admin' ||
  (principal.role === 'regulator' &&
    principal.agency === task.agency &&
    principal.province === NATIONAL_PROVINCE);

export const assignTask = async (deps: TaskDeps, principal: Principal, taskId: string, rawBody: unknown) => {
  const { assignee } = parseWith(AssignTaskBody, rawBody, 'assignment');
  const found = taskId.length <= 200 ? await deps.store.getTask(taskId) : undefined;
  if (!found || !(canSeeTask(principal, found) || canAssignTask(principal, found)))
    throw new NotFoundError('No such task');
  if (!canAssignTask(principal, found))
    throw new ForbiddenRoleError("Only campaign admins and the agency's national regulators assign tasks");
  if (!assignableKinds.has(found.kind))
    throw new ConflictError(`A ${found.kind} task waits on the complainant and is not assigned`);
  const actor = { role: principal.role, subject: subjectOf(principal) };
  let task: StoredTask = found;
  for (let attempt = 0; attempt < 10; attempt++) {
    if (task.status !== 'OPEN') throw notOpenConflict(task);
    if (assignee !== null && task.kind === 'SECOND_REVIEW' && assignee === task.firstReviewer)
      throw new ConflictError('The officer who made the decision cannot be given its second review');
    const now = (deps.now ?? (() => new Date()))();
    const calendar = await deps.calendar.calendar();
    if ((task.assignee ?? null) === assignee) return { task: taskView(task, now, principal, calendar) };
    const feeCase = await deps.store.getCase(task.caseId);
    if (!feeCase) throw new NotFoundError('No such task');
    const { assignee: _previous, ...unassigned } = task;
    const assigned: StoredTask = {
      ...unassigned,
      ...(assignee === null ? {} : { assignee }),
      version: task.version + 1,
    };
    const at = now.toISOString();
    const committed = await deps.store.commit({
      before: feeCase,
      after: feeCase,
      at,
      event: {
        type: 'TASK_ASSIGNED',
        actor,
        data: { taskId: task.taskId, kind: task.kind, assignee },
      },
      tasks: [{ task: assigned, expected: task.version }],
    });
    if (committed.status === 'committed') return { task: taskView(assigned, now, principal, calendar) };
    // Lost a race (a claim, a completion, an escalation, the workflow re-arming its wait): read again.
    const reread = await deps.store.getTask(taskId);
    if (!reread) throw new NotFoundError('No such task');
    task = reread;
  }
  throw new ConflictError('The task kept changing; please retry');
};
