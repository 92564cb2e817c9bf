/**
 * Transferring a case (转办) to the office that should handle it: while the case waits on a regulator's
 * review or verification, the open task ends TRANSFERRED and the same work opens as a new task in the
 * receiving agency and province, its deadline restarted. One conditional commit moves the task, the
 * case and the audit trail together.
 *
 * The workflow is not told: its execution waits on a task token, and the new task carries the same
 * token, so the decision made in the receiving office completes the very wait the old task opened.
 * When that wait times out (at the old due date at the latest) the deadline step reads the case's
 * current task, the new one, finds it not yet due and waits again until its due date.
 */
import {
  ConflictError,
  DependencyUnavailableError,
  ForbiddenRoleError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { REVIEW_SLA_DAYS, type TaskKind, taskIdOf, VERIFICATION_SLA_DAYS } from '#shared/domain/fee-task';
import { regulatorHasJurisdiction } from '#shared/domain/jurisdiction';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import { caseSummary, taskView } from '#shared/domain/views';
import type { StoredTask } from '#shared/ports/cases';
import { TransferCaseBody } from '#shared/tasks/messages';
import { subjectOf } from '#shared/tasks/task-access';
import type { TaskDeps } from '#shared/tasks/tasks';

/** The work a transfer moves, with the working days the receiving office gets for it. */
const transferableSlaDays: Partial<Record<TaskKind, number>> = {
  REVIEW: REVIEW_SLA_DAYS,
  VERIFICATION: VERIFICATION_SLA_DAYS,
};

const canSeeCase = (principal: Principal, feeCase: FeeCase): boolean =>
  principal.role === 'campaign-admin' ||
  (principal.role === 'regulator' && regulatorHasJurisdiction(principal, feeCase));

/** The office working the case now: its open task's (escalated tasks sit at 00), else the case's. */
const mayTransfer = (principal: Principal, office: { agency?: string; province: string }): boolean =>
  principal.role === 'campaign-admin' ||
  (principal.role === 'regulator' &&
    principal.agency === office.agency &&
    principal.province === office.province);

export const transferCase = async (
  deps: TaskDeps,
  principal: Principal,
  caseId: string,
  rawBody: unknown,
) => {
  const target = parseWith(TransferCaseBody, rawBody, 'transfer');
  const actor = { role: principal.role, subject: subjectOf(principal) };
  for (let attempt = 0; attempt < 10; attempt++) {
    const feeCase = caseId.length <= 100 ? await deps.store.getCase(caseId) : undefined;
    if (!feeCase || !canSeeCase(principal, feeCase)) throw new NotFoundError('No such case');
    const current = feeCase.currentTask ? await deps.store.getTask(feeCase.currentTask.taskId) : undefined;
    if (!mayTransfer(principal, current ?? feeCase))
      throw new ForbiddenRoleError('Only the office working the case, or a campaign admin, transfers it');
    const slaDays = current && transferableSlaDays[current.kind];
    if (current?.status !== 'OPEN' || slaDays === undefined)
      throw new ConflictError(
        'not_awaiting_regulator: the case is not waiting on a review or verification by a regulator',
      );
    if (current.agency === target.agency && current.province === target.province)
      throw new ValidationError('The case is already with this office', [
        { path: 'province', code: 'same_office', message: 'the case is already with this office' },
      ]);

    const now = (deps.now ?? (() => new Date()))();
    const at = now.toISOString();
    const calendar = await deps.calendar.calendar();
    const round = (feeCase.taskRounds?.[current.kind] ?? 0) + 1;
    const taskId = taskIdOf(caseId, current.kind, round);
    const dueAt = calendar.dueAt(now, slaDays);
    // The same work, token included, as a fresh task of the receiving office; nothing of its handling
    // in the old office (holder, escalation) goes with it.
    const {
      assignee: _holder,
      completedAt: _completed,
      result: _result,
      submission: _submission,
      ...work
    } = current;
    const opened: StoredTask = {
      ...work,
      taskId,
      status: 'OPEN',
      agency: target.agency,
      province: target.province,
      dueAt,
      createdAt: at,
      escalated: false,
      overdue: false,
      version: 1,
    };
    const transferred: StoredTask = {
      ...work,
      status: 'TRANSFERRED',
      completedAt: at,
      transferredTo: { agency: target.agency, province: target.province, taskId },
      version: current.version + 1,
    };
    const after: FeeCase = {
      ...feeCase,
      agency: target.agency,
      province: target.province,
      currentTask: { taskId, kind: current.kind },
      taskRounds: { ...feeCase.taskRounds, [current.kind]: round },
      flags: feeCase.flags.filter((flag) => flag !== 'overdue' && flag !== 'escalated'),
      transferredAt: at,
    };
    const committed = await deps.store
      .commit({
        before: feeCase,
        after,
        at,
        event: {
          type: 'CASE_TRANSFERRED',
          actor,
          data: {
            taskId,
            fromTaskId: current.taskId,
            kind: current.kind,
            agency: target.agency,
            province: target.province,
            fromAgency: current.agency,
            fromProvince: current.province,
            dueAt,
            reason: target.reason,
          },
        },
        tasks: [
          { task: transferred, expected: current.version },
          { task: opened, expected: 'new' },
        ],
      })
      .catch(async (error: unknown) => {
        // A lost answer is not a lost write: if the task opened by this very transfer is there, it
        // landed, and a retry would only be told the case is no longer the caller's to transfer.
        if (!(error instanceof DependencyUnavailableError)) throw error;
        const landed = await deps.store.getTask(taskId);
        const current = landed?.createdAt === at ? await deps.store.getCase(caseId) : undefined;
        if (!current) throw error;
        return { status: 'committed' as const, feeCase: current };
      });
    if (committed.status === 'committed')
      return { task: taskView(opened, now, principal, calendar), case: caseSummary(committed.feeCase) };
    // Lost a race (a decision, a claim, an escalation, the workflow re-arming its wait): read again.
  }
  throw new ConflictError('The case kept changing; please retry');
};
