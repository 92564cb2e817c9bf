/**
 * An association asks for more time (延期) on its open rectification order: once per order, before it
 * is due, at most `MAX_EXTENSION_WORKING_DAYS` working days beyond its current due date. The request
 * opens an EXTENSION task for the regulators of the case, due when the order is, so that they answer
 * before the association's time runs out. No workflow waits on it: the workflow keeps waiting on the
 * rectification, and a grant moves that task's due date (`completeTask`).
 */
import {
  ConflictError,
  DependencyUnavailableError,
  ForbiddenRoleError,
  NotFoundError,
} from '#shared/domain/errors';
import { taskIdOf } from '#shared/domain/fee-task';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import { taskView } from '#shared/domain/views';
import { attachEvidence } from '#shared/evidence/attach';
import type { CalendarStore } from '#shared/ports/calendar';
import type { CaseStore, StoredTask } from '#shared/ports/cases';
import type { EvidenceUploads } from '#shared/ports/evidence';
import { ExtensionRequest } from '#shared/tasks/messages';
import { canSeeTask, isAddressedTo, subjectOf } from '#shared/tasks/task-access';

export interface RequestExtensionDeps {
  store: CaseStore;
  calendar: CalendarStore;
  /** Reads the uploads a request names, to refuse one that may not be named with a clear reason. */
  uploads: Pick<EvidenceUploads, 'getMany'>;
  now?: () => Date;
}

export const requestExtension = async (
  deps: RequestExtensionDeps,
  principal: Principal,
  taskId: string,
  body: unknown,
) => {
  const request = parseWith(ExtensionRequest, body, 'extension request');
  for (let attempt = 0; attempt < 10; attempt++) {
    const rectification = taskId.length <= 200 ? await deps.store.getTask(taskId) : undefined;
    if (!rectification || !canSeeTask(principal, rectification)) throw new NotFoundError('No such task');
    if (rectification.kind !== 'RECTIFICATION' || !isAddressedTo(principal, rectification))
      throw new ForbiddenRoleError('Only the association ordered to rectify asks for more time');
    if (rectification.status !== 'OPEN') throw new ConflictError('The rectification order is closed');
    const feeCase = await deps.store.getCase(rectification.caseId);
    if (!feeCase) throw new NotFoundError('No such task');
    // A case has one order (no review follows it), and a rejected report sends the association back to
    // that same order in a new round of its task: any request on the case was a request on this order.
    if (feeCase.taskRounds?.EXTENSION)
      throw new ConflictError('More time was already asked for on this order');
    const now = (deps.now ?? (() => new Date()))();
    if (rectification.overdue || Date.parse(rectification.dueAt) < now.getTime())
      throw new ConflictError('The rectification order is past due');

    const calendar = await deps.calendar.calendar();
    const at = now.toISOString();
    const currentDueAt = rectification.dueAt;
    const requestedDueAt = calendar.dueAt(new Date(currentDueAt), request.days);
    const round = (feeCase.taskRounds?.EXTENSION ?? 0) + 1;
    const extensionTaskId = taskIdOf(feeCase.caseId, 'EXTENSION', round);
    const evidence = await attachEvidence(deps.uploads, {
      uploadIds: request.attachments ?? [],
      owner: subjectOf(principal),
      party: 'ASSOCIATION',
      purpose: 'RECTIFICATION',
      target: { kind: 'TASK', taskId: extensionTaskId, caseId: feeCase.caseId },
    });
    const extension: StoredTask = {
      taskId: extensionTaskId,
      caseId: feeCase.caseId,
      kind: 'EXTENSION',
      status: 'OPEN',
      agency: feeCase.agency ?? rectification.agency,
      province: feeCase.province,
      dueAt: currentDueAt,
      createdAt: at,
      escalated: false,
      overdue: false,
      feeName: feeCase.fee.name,
      associationName: feeCase.association.name,
      category: feeCase.fee.category,
      ...(feeCase.reference ? { caseReference: feeCase.reference } : {}),
      extension: {
        rectificationTaskId: rectification.taskId,
        days: request.days,
        reason: request.reason,
        currentDueAt,
        requestedDueAt,
      },
      ...(evidence ? { attachments: evidence.records } : {}),
      taskToken: '',
      version: 1,
    };
    const committed = await deps.store
      .commit({
        before: feeCase,
        // The workflow still waits on the rectification: its current task stays.
        after: { ...feeCase, taskRounds: { ...feeCase.taskRounds, EXTENSION: round } },
        at,
        event: {
          type: 'EXTENSION_REQUESTED',
          actor: { role: principal.role, subject: subjectOf(principal) },
          // The reason stays on the task, for the regulators.
          data: {
            taskId: extension.taskId,
            rectificationTaskId: rectification.taskId,
            kind: 'EXTENSION',
            agency: extension.agency,
            province: extension.province,
            days: request.days,
            requestedDueAt,
            dueAt: currentDueAt,
          },
        },
        tasks: [
          {
            task: { ...rectification, extensionTaskId: extension.taskId, version: rectification.version + 1 },
            expected: rectification.version,
          },
          { task: extension, expected: 'new' },
        ],
        ...(evidence ? { evidence } : {}),
      })
      .then((outcome) => outcome.status === 'committed')
      .catch(async (error: unknown) => {
        // A lost answer is not a lost write: if the task this very request opened is there, it landed,
        // and the association's retry would only be told that it already asked.
        if (!(error instanceof DependencyUnavailableError)) throw error;
        if ((await deps.store.getTask(extension.taskId))?.createdAt !== at) throw error;
        return true;
      });
    if (committed) return { task: taskView(extension, now, principal, calendar) };
    // The case or the order moved (the workflow re-armed its wait, another request landed): read again.
  }
  throw new ConflictError('The case kept changing; please retry');
};
