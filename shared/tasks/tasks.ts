/**
 * The task inbox: list, claim, release and complete. Completion is one conditional write, then the
 * callback.
 */

import type { CaseEventDraft } from '#shared/domain/case-event';
import {
  ConflictError,
  DependencyUnavailableError,
  type FieldIssue,
  ForbiddenRoleError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors';
import type { EvidenceParty, EvidencePurpose } from '#shared/domain/evidence';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';
import { needsSecondReview, type SecondReviewPolicy } from '#shared/domain/second-review';
import { parseWith } from '#shared/domain/validation';
import { caseSummary, taskView } from '#shared/domain/views';
import { attachEvidence } from '#shared/evidence/attach';
import type { CalendarStore } from '#shared/ports/calendar';
import type { CaseStore, InboxQuery, StoredTask, TaskWrite } from '#shared/ports/cases';
import type { EvidenceUploads } from '#shared/ports/evidence';
import type { WorkflowCallbacks } from '#shared/ports/workflow';
import { rulebooks } from '#shared/rulebook/rules';
import {
  completionBodies,
  type ExtensionDecision,
  type InfoAnswer,
  ListTasksQuery,
  type RectificationReport,
  type ReviewDecision,
  type SecondReviewDecision,
  type VerificationDecision,
} from '#shared/tasks/messages';
import { canCompleteTask, canSeeTask, isAddressedTo, subjectOf } from '#shared/tasks/task-access';
import { notOpenConflict } from '#shared/tasks/task-state';

export interface TaskDeps {
  store: CaseStore;
  callbacks: WorkflowCallbacks;
  /** Counts the working days left on each task shown. */
  calendar: CalendarStore;
  /** Reads the uploads a completion names, to refuse one that may not be named with a clear reason. */
  uploads: Pick<EvidenceUploads, 'getMany'>;
  /** Which UNLAWFUL decisions a second regulator confirms; without it, none. */
  secondReview?: SecondReviewPolicy;
  now?: () => Date;
}

const inboxOf = (principal: Principal, query: ReturnType<typeof ListTasksQuery.parse>): InboxQuery => {
  const filter = { status: query.status, ...(query.kind ? { kind: query.kind } : {}) };
  switch (principal.role) {
    case 'regulator':
      return { ...filter, owner: 'regulator', agency: principal.agency, province: principal.province };
    case 'association':
      return { ...filter, kind: 'RECTIFICATION', owner: 'association', creditCode: principal.creditCode };
    case 'enterprise':
      return { ...filter, kind: 'INFO', owner: 'enterprise', enterpriseId: principal.enterpriseId };
    case 'campaign-admin':
      return query.agency && query.province
        ? { ...filter, owner: 'regulator', agency: query.agency, province: query.province }
        : { ...filter, owner: 'everyone' };
    default:
      throw new ForbiddenRoleError('Sign in to see tasks');
  }
};

export const listTasks = async (deps: TaskDeps, principal: Principal, rawQuery: unknown) => {
  const query = parseWith(ListTasksQuery, rawQuery, 'query');
  if (principal.role !== 'campaign-admin' && (query.agency || query.province)) {
    throw new ValidationError('Only campaign admins choose an inbox', [
      {
        path: query.agency ? 'agency' : 'province',
        code: 'set_by_sign_in',
        message: 'your inbox comes from your sign-in',
      },
    ]);
  }
  const page = await deps.store.listTasks(inboxOf(principal, query), query.limit, query.cursor);
  const now = (deps.now ?? (() => new Date()))();
  const calendar = await deps.calendar.calendar();
  return { items: page.items.map((task) => taskView(task, now, principal, calendar)), cursor: page.cursor };
};

const visibleTask = async (deps: TaskDeps, principal: Principal, taskId: string): Promise<StoredTask> => {
  const task = taskId.length <= 200 ? await deps.store.getTask(taskId) : undefined;
  if (!task || !canSeeTask(principal, task)) throw new NotFoundError('No such task');
  return task;
};

export const claimTask = async (deps: TaskDeps, principal: Principal, taskId: string) => {
  const now = (deps.now ?? (() => new Date()))();
  const calendar = await deps.calendar.calendar();
  const subject = subjectOf(principal);
  let task = await visibleTask(deps, principal, taskId);
  // A task kind the caller's role never works (a regulator and an INFO task) is a wrong role, as on completion.
  if (!canCompleteTask(principal, task))
    throw new ForbiddenRoleError(`Your role cannot work on a ${task.kind} task`);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (!canCompleteTask(principal, task))
      throw new ConflictError('The task is not yours to work on any more');
    if (task.status !== 'OPEN') throw notOpenConflict(task);
    if (task.assignee === subject) return { task: taskView(task, now, principal, calendar) };
    if (task.assignee) throw new ConflictError('Someone else holds this task');
    const claimed: StoredTask = { ...task, assignee: subject, version: task.version + 1 };
    const outcome = await deps.store.updateTask({ task: claimed, expected: task.version, holder: subject });
    if (outcome === 'updated') return { task: taskView(claimed, now, principal, calendar) };
    task = await visibleTask(deps, principal, taskId);
  }
  throw new ConflictError('The task kept changing; please retry');
};

/**
 * Ends a claim: the holder ends their own, a campaign admin anyone's. A task nobody holds is left as
 * it is. Like a claim, a release is work management, not a step of the case: no case event.
 */
export const releaseTask = async (deps: TaskDeps, principal: Principal, taskId: string) => {
  const now = (deps.now ?? (() => new Date()))();
  const calendar = await deps.calendar.calendar();
  const subject = subjectOf(principal);
  const admin = principal.role === 'campaign-admin';
  let task = await visibleTask(deps, principal, taskId);
  if (!admin && !canCompleteTask(principal, task))
    throw new ForbiddenRoleError(`Your role cannot work on a ${task.kind} task`);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (task.status !== 'OPEN') throw notOpenConflict(task);
    if (!task.assignee) return { task: taskView(task, now, principal, calendar) };
    if (task.assignee !== subject && !admin) throw new ConflictError('Someone else holds this task');
    const { assignee: _released, ...unclaimed } = task;
    const released: StoredTask = { ...unclaimed, version: task.version + 1 };
    const outcome = await deps.store.updateTask({ task: released, expected: task.version });
    if (outcome === 'updated') return { task: taskView(released, now, principal, calendar) };
    task = await visibleTask(deps, principal, taskId);
  }
  throw new ConflictError('The task kept changing; please retry');
};

/** The cited rules that the rulebook of this version does not have. */
const unknownRules = (ruleIds: readonly string[], rulebookVersion: string): FieldIssue[] => {
  const known = new Set(rulebooks.get(rulebookVersion)?.rules.map((rule) => rule.id));
  return ruleIds.flatMap((id, i) =>
    known.has(id)
      ? []
      : [
          {
            path: `ruleIds.${i}`,
            code: 'not_a_rule',
            params: { ruleId: id, rulebookVersion },
            message: `${id} is not a rule of rulebook ${rulebookVersion}`,
          },
        ],
  );
};

interface Completion {
  after: FeeCase;
  event: CaseEventDraft;
  /** What the waiting workflow receives: small, IDs and decisions only. */
  output: Record<string, unknown>;
  /** The parsed body, kept on the task. */
  submission: Record<string, unknown>;
  /** Other tasks the completion changes in the same commit. */
  tasks?: TaskWrite[];
  /** The uploads the submission names (by id only, also in `submission`), attached with the completion. */
  attachments?: { purpose: EvidencePurpose; party: EvidenceParty; uploadIds: readonly string[] };
}

const completionOf = async (
  deps: TaskDeps,
  task: StoredTask,
  feeCase: FeeCase,
  body: unknown,
  at: string,
  actor: CaseEventDraft['actor'],
): Promise<Completion> => {
  switch (task.kind) {
    case 'REVIEW': {
      const decision: ReviewDecision = parseWith(completionBodies.REVIEW, body, 'review decision');
      const actions = decision.actions ?? [];
      const suggested = feeCase.classification?.suggested;
      if (!suggested) throw new ConflictError('The case has not been classified yet');
      // A self-inspection case has no complainant to put a question to.
      if (decision.verdict === 'NEEDS_INFO' && feeCase.complaintCount === 0)
        throw new ValidationError(
          'Invalid review decision: nobody complained about this fee, so nobody can be asked',
          [
            {
              path: 'verdict',
              code: 'invalid',
              message: 'a case found in a self-inspection has no complainant to ask; decide it',
            },
          ],
        );
      const unknown = unknownRules(decision.ruleIds, suggested.rulebookVersion);
      if (unknown.length > 0) {
        throw new ValidationError(
          `Invalid review decision: ${unknown.map((issue) => issue.message).join('; ')}`,
          unknown,
        );
      }
      const secondReview = needsSecondReview(
        deps.secondReview,
        feeCase.agency ?? task.agency,
        decision.verdict,
        feeCase.claimedFen,
      );
      // A decision a second regulator must confirm is only proposed: no verdict on the case yet, so
      // no counter, view or notice outside the office knows of it.
      const final = decision.verdict !== 'NEEDS_INFO' && !secondReview;
      return {
        after: {
          ...feeCase,
          ...(final ? { verdict: decision.verdict, decidedAt: at } : {}),
          classification: {
            suggested,
            final: {
              verdict: decision.verdict,
              ruleIds: decision.ruleIds,
              reason: decision.reason,
              actions,
              ...(decision.orderText ? { orderText: decision.orderText } : {}),
              ...(decision.rectificationDays ? { rectificationDays: decision.rectificationDays } : {}),
              decidedAt: at,
              ...(secondReview ? { awaitingSecondReview: true } : {}),
            },
          },
        },
        event: {
          type: secondReview ? 'REVIEW_PROPOSED' : 'REVIEW_DECIDED',
          actor,
          data: { taskId: task.taskId, verdict: decision.verdict, ruleIds: decision.ruleIds, actions },
        },
        output: { verdict: decision.verdict, hasActions: actions.length > 0, secondReview },
        submission: decision,
        attachments: { purpose: 'DECISION', party: 'OFFICIAL', uploadIds: decision.attachments ?? [] },
      };
    }
    case 'RECTIFICATION': {
      const report: RectificationReport = parseWith(
        completionBodies.RECTIFICATION,
        body,
        'rectification report',
      );
      // A request for more time nobody decided lapses with the report: its task leaves the inbox.
      const pending = task.extensionTaskId ? await deps.store.getTask(task.extensionTaskId) : undefined;
      const lapsed = pending?.status === 'OPEN' ? pending : undefined;
      return {
        ...(lapsed
          ? {
              tasks: [
                {
                  task: {
                    ...lapsed,
                    status: 'COMPLETED' as const,
                    completedAt: at,
                    result: { granted: false, lapsed: true },
                    version: lapsed.version + 1,
                  },
                  expected: lapsed.version,
                },
              ],
            }
          : {}),
        after: {
          ...feeCase,
          rectification: {
            abolished: report.abolished,
            refundedFen: report.refundedFen,
            ...(report.reducedAnnualFen === undefined ? {} : { reducedAnnualFen: report.reducedAnnualFen }),
            evidence: report.evidence,
            ...(report.note ? { note: report.note } : {}),
            reportedAt: at,
          },
        },
        event: {
          type: 'RECTIFICATION_REPORTED',
          actor,
          data: {
            taskId: task.taskId,
            abolished: report.abolished,
            refundedFen: report.refundedFen,
            ...(lapsed ? { extensionLapsed: lapsed.taskId } : {}),
          },
        },
        output: { reported: true },
        submission: report,
        // A regulator reporting on the association's behalf attaches the officials' files.
        attachments: {
          purpose: 'RECTIFICATION',
          party: actor.role === 'association' ? 'ASSOCIATION' : 'OFFICIAL',
          uploadIds: report.attachments ?? [],
        },
      };
    }
    case 'VERIFICATION': {
      const decision: VerificationDecision = parseWith(completionBodies.VERIFICATION, body, 'verification');
      if (!feeCase.rectification) throw new ConflictError('There is no rectification report to verify');
      return {
        after: { ...feeCase, rectification: { ...feeCase.rectification, accepted: decision.accepted } },
        event: {
          type: decision.accepted ? 'RECTIFICATION_ACCEPTED' : 'RECTIFICATION_REJECTED',
          actor,
          data: { taskId: task.taskId, accepted: decision.accepted },
        },
        output: { accepted: decision.accepted },
        submission: decision,
      };
    }
    case 'INFO': {
      const answer: InfoAnswer = parseWith(completionBodies.INFO, body, 'information');
      return {
        after: { ...feeCase, supplementaryFacts: { ...feeCase.supplementaryFacts, ...answer.facts } },
        // The note may name people; it stays on the task for regulators, out of the audit trail.
        event: { type: 'INFO_PROVIDED', actor, data: { taskId: task.taskId } },
        output: { answered: true },
        submission: answer,
        attachments: { purpose: 'INFO', party: 'ENTERPRISE', uploadIds: answer.attachments ?? [] },
      };
    }
    case 'SECOND_REVIEW': {
      const decision: SecondReviewDecision = parseWith(completionBodies.SECOND_REVIEW, body, 'second review');
      const classification = feeCase.classification;
      const proposed = classification?.final;
      if (!classification || !proposed?.awaitingSecondReview)
        throw new ConflictError('The case has no decision awaiting a second review');
      const { awaitingSecondReview: _confirmed, ...confirmed } = proposed;
      return {
        // Confirmed, the decision becomes the case's verdict; refused, it is dropped and the case is
        // reviewed again.
        after: decision.confirmed
          ? {
              ...feeCase,
              verdict: confirmed.verdict,
              decidedAt: at,
              classification: { ...classification, final: confirmed },
            }
          : { ...feeCase, classification: { suggested: classification.suggested } },
        event: {
          type: 'SECOND_REVIEW_DECIDED',
          actor,
          // A confirmation names the verdict it makes final, which the complainants' timeline shows.
          data: {
            taskId: task.taskId,
            confirmed: decision.confirmed,
            ...(decision.confirmed ? { verdict: proposed.verdict } : {}),
          },
        },
        output: { confirmed: decision.confirmed },
        submission: decision,
      };
    }
    case 'EXTENSION': {
      const decision: ExtensionDecision = parseWith(completionBodies.EXTENSION, body, 'extension decision');
      const request = task.extension;
      if (!request) throw new ConflictError('The task names no request for more time');
      const decided = { after: feeCase, output: { granted: decision.granted }, submission: decision };
      // The order's task is named so that the complainants' progress follows a granted due date.
      const about = { taskId: task.taskId, rectificationTaskId: request.rectificationTaskId };
      if (!decision.granted)
        return {
          ...decided,
          event: { type: 'EXTENSION_DECIDED', actor, data: { ...about, granted: false } },
        };
      const rectification = await deps.store.getTask(request.rectificationTaskId);
      // Reported on, or escalated past its due date before the answer came: the request lapsed
      // (it can still be refused).
      if (rectification?.status !== 'OPEN' || rectification.overdue)
        throw new ConflictError(
          'The rectification order was reported on or ran past its due date; the request lapsed',
        );
      const dueAt = request.requestedDueAt;
      return {
        ...decided,
        // The waiting workflow reads the task's due date whenever its wait ends, and re-arms to it.
        after: { ...feeCase, ...(feeCase.order ? { order: { ...feeCase.order, dueAt } } : {}) },
        event: { type: 'EXTENSION_DECIDED', actor, data: { ...about, granted: true, dueAt } },
        tasks: [
          {
            task: { ...rectification, dueAt, version: rectification.version + 1 },
            expected: rectification.version,
          },
        ],
      };
    }
    case 'DECLARATION':
      // Never reached (canCompleteTask refuses it): the association's declaration closes it.
      throw new ConflictError('This task closes itself when the association declares its fees');
  }
};

export const completeTask = async (deps: TaskDeps, principal: Principal, taskId: string, body: unknown) => {
  const subject = subjectOf(principal);
  let task = await visibleTask(deps, principal, taskId);
  if (!canCompleteTask(principal, task))
    throw new ForbiddenRoleError(`Your role cannot complete a ${task.kind} task`);
  const actor = { role: principal.role, ...(principal.role === 'enterprise' ? {} : { subject }) };
  // The party the task is addressed to takes it over from a regulator's claim; the version alone
  // guards its write.
  const addressee = isAddressedTo(principal, task);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (task.status !== 'OPEN') throw notOpenConflict(task);
    if (task.assignee && task.assignee !== subject && !addressee)
      throw new ConflictError('Someone else holds this task');
    const feeCase = await deps.store.getCase(task.caseId);
    if (!feeCase) throw new NotFoundError('No such task');
    const now = (deps.now ?? (() => new Date()))();
    const calendar = await deps.calendar.calendar();
    const at = now.toISOString();
    const { after, event, output, submission, tasks, attachments } = await completionOf(
      deps,
      task,
      feeCase,
      body,
      at,
      actor,
    );
    const evidence =
      attachments &&
      (await attachEvidence(deps.uploads, {
        ...attachments,
        owner: subject,
        target: { kind: 'TASK', taskId: task.taskId, caseId: task.caseId },
      }));
    // The workflow hears `output` alone: the files stay on the task, where views filter who reads them.
    const completed: StoredTask = {
      ...task,
      status: 'COMPLETED',
      completedAt: at,
      assignee: subject,
      result: output,
      submission,
      ...(evidence ? { attachments: evidence.records } : {}),
      version: task.version + 1,
    };
    const committed = await deps.store
      .commit({
        before: feeCase,
        after,
        at,
        event,
        tasks: [
          { task: completed, expected: task.version, ...(addressee ? {} : { holder: subject }) },
          ...(tasks ?? []),
        ],
        ...(evidence ? { evidence } : {}),
      })
      .catch(async (error: unknown) => {
        // A lost answer is not a lost write: if the task carries this very completion, it landed,
        // and the workflow must hear of it now rather than at its next deadline.
        if (!(error instanceof DependencyUnavailableError)) throw error;
        const landed = await deps.store.getTask(taskId);
        const current =
          landed?.completedAt === at && landed.assignee === subject
            ? await deps.store.getCase(task.caseId)
            : undefined;
        if (!current) throw error;
        return { status: 'committed' as const, feeCase: current };
      });
    if (committed.status === 'committed') {
      // The decision is recorded; if the workflow is not waiting right now it picks the result up
      // when it next opens this task (timeout recheck or resume).
      // No workflow waits on an EXTENSION (its token is empty): it is decided beside the rectification wait.
      if (task.kind !== 'EXTENSION') await deps.callbacks.succeed(task.taskToken, output);
      return { task: taskView(completed, now, principal, calendar), case: caseSummary(committed.feeCase) };
    }
    // Lost a race: a completion, a claim, an escalation or the workflow re-arming the wait. Re-read;
    // the checks at the top of the loop tell which, and only a re-armed wait is tried again.
    const reread = await deps.store.getTask(taskId);
    if (!reread) throw new NotFoundError('No such task');
    if (!canCompleteTask(principal, reread))
      throw new ConflictError('The task was escalated meanwhile; reload it');
    task = reread;
  }
  throw new ConflictError('The case kept changing; please retry');
};
