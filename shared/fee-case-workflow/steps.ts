/**
 * The automated steps of the fee-case workflow. Each reads the case (the source of truth), decides,
 * and commits one conditional change; each is safe to run again, which is what makes retries,
 * timeouts and resumption after a restart lose nothing and duplicate nothing.
 */
import { closingFiguresOf, complaintOutcomeOf } from '#shared/domain/closing-figures';
import { todayInChina } from '#shared/domain/complaint';
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import { type CaseFlag, caseFacts, type FeeCase, type Outcome, orderTextOf } from '#shared/domain/fee-case';
import { type CaseTaskKind, stageOfTaskKind, taskIdOf } from '#shared/domain/fee-task';
import { declares } from '#shared/domain/self-inspection';
import type { CalendarStore } from '#shared/ports/calendar';
import type { CaseCommit, CaseStore, StoredTask } from '#shared/ports/cases';
import type { WorkflowCallbacks } from '#shared/ports/workflow';
import { classifyFee } from '#shared/rulebook/evaluate';
import type { DeclarationStore } from '#shared/self-inspection/ports';

export interface StepDeps {
  store: CaseStore;
  callbacks: WorkflowCallbacks;
  /** The working-day calendar every due date is counted with. */
  calendar: CalendarStore;
  now?: () => Date;
  /** Self-inspection declarations, for flagging complaints about fees an association did not declare. */
  declarations?: Pick<DeclarationStore, 'latest'>;
  /** Rectification period, in working days, when the regulator names none. */
  defaultRectificationDays?: number;
}

const clock = (deps: StepDeps) => (deps.now ?? (() => new Date()))();

/** Reads the case and applies `change` until it commits on an unmoved version. */
const changeCase = async <T>(
  deps: StepDeps,
  caseId: string,
  change: (
    feeCase: FeeCase,
    at: string,
  ) => Promise<{ commit?: Omit<CaseCommit, 'before' | 'at'>; result: T }>,
): Promise<T> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const feeCase = await deps.store.getCase(caseId);
    if (!feeCase) throw new NotFoundError(`No case ${caseId}`);
    const at = clock(deps).toISOString();
    const { commit, result } = await change(feeCase, at);
    if (!commit) return result;
    const outcome = await deps.store.commit({ ...commit, before: feeCase, at });
    if (outcome.status === 'committed') return result;
  }
  throw new ConflictError(`Case ${caseId} kept changing; the step will be retried`);
};

/**
 * Whether a complaint's fee is missing from its association's self-inspection: it declared for the
 * year the case opened (or, early in a year, the year before) and this fee is not among its fees.
 */
const leftUndeclared = async (deps: StepDeps, feeCase: FeeCase): Promise<boolean> => {
  const creditCode = feeCase.association.creditCode;
  if (!deps.declarations || !creditCode) return false;
  const year = Number(todayInChina(new Date(feeCase.openedAt)).slice(0, 4));
  const declaration =
    (await deps.declarations.latest(creditCode, year)) ??
    (await deps.declarations.latest(creditCode, year - 1));
  return declaration !== undefined && !declares(declaration, feeCase.fee);
};

export const classifyCase = (deps: StepDeps, caseId: string) =>
  changeCase(deps, caseId, async (feeCase) => {
    const complaints = await deps.store.listComplaints(caseId);
    // A self-inspection case has no complaint: its declaration states the facts, as a complaint would.
    const facts = caseFacts(
      feeCase,
      complaints.map((complaint) => complaint.facts),
    );
    const undeclared = complaints.length > 0 && (await leftUndeclared(deps, feeCase));
    const suggested = classifyFee({ fee: feeCase.fee, facts });
    // Classified again (after more information): a transferred case stays with the office chosen.
    const agency = feeCase.transferredAt && feeCase.agency ? feeCase.agency : suggested.agency;
    const result = { verdict: suggested.verdict, agency };
    if (feeCase.stage === 'CLOSED') return { result };
    return {
      result,
      commit: {
        after: {
          ...feeCase,
          stage: 'CLASSIFIED',
          agency,
          flags: undeclared ? withFlags(feeCase.flags, 'undeclared') : feeCase.flags,
          classification: {
            suggested,
            ...(feeCase.classification?.final ? { final: feeCase.classification.final } : {}),
          },
        },
        event: {
          type: 'CLASSIFIED',
          actor: { role: 'workflow' },
          stage: 'CLASSIFIED',
          data: {
            verdict: suggested.verdict,
            ruleIds: suggested.rules.map((rule) => rule.id),
            agency: suggested.agency,
            rulebookVersion: suggested.rulebookVersion,
            ...(undeclared ? { undeclared: true } : {}),
          },
        },
      },
    };
  });

/**
 * Opens the task a callback state waits on, or, when the case already has it (a resumed or
 * re-entered wait), hands the new token to it (unless it has that token already); a task completed
 * while nobody was waiting has its recorded result delivered at once.
 */
export const openTask = async (
  deps: StepDeps,
  input: { caseId: string; kind: CaseTaskKind; taskToken: string; workingDays: number },
): Promise<{ taskId: string; replayed: boolean }> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const feeCase = await deps.store.getCase(input.caseId);
    if (!feeCase) throw new NotFoundError(`No case ${input.caseId}`);
    const current =
      feeCase.currentTask?.kind === input.kind
        ? await deps.store.getTask(feeCase.currentTask.taskId)
        : undefined;
    if (current?.status === 'COMPLETED') {
      await deps.callbacks.succeed(input.taskToken, current.result ?? {});
      return { taskId: current.taskId, replayed: true };
    }
    // The same wait again (a local restart continues a wait with the token it had): nothing to hand over.
    if (current?.taskToken === input.taskToken) return { taskId: current.taskId, replayed: false };
    if (current) {
      const refreshed = await deps.store.updateTask({
        task: { ...current, taskToken: input.taskToken, version: current.version + 1 },
        expected: current.version,
      });
      if (refreshed === 'updated') return { taskId: current.taskId, replayed: false };
      continue;
    }

    const now = clock(deps);
    const at = now.toISOString();
    const round = (feeCase.taskRounds?.[input.kind] ?? 0) + 1;
    const taskId = taskIdOf(input.caseId, input.kind, round);
    const dueAt =
      input.kind === 'RECTIFICATION' && feeCase.order
        ? feeCase.order.dueAt
        : (await deps.calendar.calendar()).dueAt(now, input.workingDays);
    const complainant =
      input.kind === 'INFO' ? (await deps.store.listComplaints(input.caseId))[0] : undefined;
    // Four eyes: the second review sits where the review was decided, and names who decided it.
    const review =
      input.kind === 'SECOND_REVIEW'
        ? await deps.store.getTask(taskIdOf(input.caseId, 'REVIEW', feeCase.taskRounds?.REVIEW ?? 0))
        : undefined;
    const task: StoredTask = {
      taskId,
      caseId: input.caseId,
      kind: input.kind,
      status: 'OPEN',
      agency: review?.agency ?? feeCase.agency ?? 'SAMR',
      province: review?.province ?? feeCase.province,
      dueAt,
      createdAt: at,
      escalated: false,
      overdue: false,
      feeName: feeCase.fee.name,
      associationName: feeCase.association.name,
      category: feeCase.fee.category,
      ...(feeCase.reference ? { caseReference: feeCase.reference } : {}),
      ...(input.kind === 'INFO' && feeCase.classification?.final?.verdict === 'NEEDS_INFO'
        ? { question: feeCase.classification.final.reason }
        : {}),
      ...(input.kind === 'RECTIFICATION' && feeCase.association.creditCode
        ? { associationCreditCode: feeCase.association.creditCode }
        : {}),
      ...(input.kind === 'RECTIFICATION' && feeCase.order?.orderText
        ? { orderText: feeCase.order.orderText }
        : {}),
      ...(complainant
        ? { enterpriseCreditCode: complainant.enterpriseCreditCode, enterpriseId: complainant.enterpriseId }
        : {}),
      ...(review?.assignee ? { firstReviewer: review.assignee } : {}),
      taskToken: input.taskToken,
      version: 1,
    };
    const stage = stageOfTaskKind[input.kind];
    const outcome = await deps.store.commit({
      before: feeCase,
      at,
      after: {
        ...feeCase,
        stage,
        currentTask: { taskId, kind: input.kind },
        taskRounds: { ...feeCase.taskRounds, [input.kind]: round },
        flags: feeCase.flags.filter((flag) => flag === 'attention' || flag === 'undeclared'),
      },
      event: {
        type: 'TASK_OPENED',
        actor: { role: 'workflow' },
        stage,
        data: { taskId, kind: input.kind, dueAt, agency: task.agency, province: task.province },
      },
      tasks: [{ task, expected: 'new' }],
    });
    if (outcome.status === 'committed') return { taskId, replayed: false };
  }
  throw new ConflictError(`Case ${input.caseId} kept changing while its task was opened`);
};

const withFlags = (flags: readonly CaseFlag[], ...added: CaseFlag[]): CaseFlag[] => [
  ...new Set([...flags, ...added]),
];

/**
 * How long a wait lasts: the seconds until the due date of the task it waits on (at least one, so a
 * task already past due is checked at once). Before the task is opened, the due date it will get: the
 * order's for rectification, otherwise `workingDays` from now. Reads only, so it is safe to repeat.
 */
export const secondsUntilDue = async (
  deps: StepDeps,
  input: { caseId: string; kind: CaseTaskKind; workingDays: number },
): Promise<{ seconds: number }> => {
  const feeCase = await deps.store.getCase(input.caseId);
  if (!feeCase) throw new NotFoundError(`No case ${input.caseId}`);
  const task =
    feeCase.currentTask?.kind === input.kind
      ? await deps.store.getTask(feeCase.currentTask.taskId)
      : undefined;
  const now = clock(deps);
  const dueAt =
    task?.status === 'OPEN'
      ? task.dueAt
      : input.kind === 'RECTIFICATION' && feeCase.order
        ? feeCase.order.dueAt
        : (await deps.calendar.calendar()).dueAt(now, input.workingDays);
  return { seconds: Math.max(1, Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000)) };
};

/**
 * Runs when a wait timed out. Past the due date the task is escalated to the national level of the
 * same agency, flagged overdue and unclaimed, and given `workingDays` more; before it (a heartbeat, a
 * clamped local timer) nothing moves, and the wait is armed again until the due date.
 */
export const checkDeadline = (
  deps: StepDeps,
  input: { caseId: string; kind: CaseTaskKind; workingDays: number },
) =>
  changeCase(deps, input.caseId, async (feeCase, at) => {
    const task =
      feeCase.currentTask?.kind === input.kind
        ? await deps.store.getTask(feeCase.currentTask.taskId)
        : undefined;
    if (task?.status !== 'OPEN' || Date.parse(task.dueAt) > Date.parse(at))
      return { result: { escalated: false } };
    const dueAt = (await deps.calendar.calendar()).dueAt(new Date(at), input.workingDays);
    // Escalation ends the claim: whoever at the national level takes the task up may work it (a
    // provincial holder cannot even see it there).
    const { assignee: _claimEnds, ...unclaimed } = task;
    const escalated: StoredTask = {
      ...unclaimed,
      province: NATIONAL_PROVINCE,
      escalated: true,
      overdue: true,
      dueAt,
      version: task.version + 1,
    };
    return {
      result: { escalated: true },
      commit: {
        after: { ...feeCase, flags: withFlags(feeCase.flags, 'overdue', 'escalated') },
        event: {
          type: 'TASK_ESCALATED',
          actor: { role: 'workflow' },
          data: { taskId: task.taskId, kind: task.kind, fromProvince: task.province, dueAt },
        },
        tasks: [{ task: escalated, expected: task.version }],
      },
    };
  });

/**
 * Records the rectification order of the regulator's decision, due at the end of its last working day;
 * issuing it twice returns the same order.
 */
export const issueOrder = (deps: StepDeps, caseId: string) =>
  changeCase(deps, caseId, async (feeCase, at) => {
    const decision = feeCase.classification?.final;
    if (!decision) throw new ConflictError(`Case ${caseId} has no decision to order`);
    const existing = feeCase.order;
    if (existing && existing.issuedAt >= decision.decidedAt) {
      return { result: { rectificationDays: existing.rectificationDays } };
    }
    const rectificationDays = decision.rectificationDays ?? deps.defaultRectificationDays ?? 30;
    const dueAt = (await deps.calendar.calendar()).dueAt(new Date(at), rectificationDays);
    return {
      result: { rectificationDays },
      commit: {
        after: {
          ...feeCase,
          order: {
            actions: decision.actions,
            rectificationDays,
            issuedAt: at,
            dueAt,
            orderText: orderTextOf(decision),
          },
        },
        event: {
          type: 'ORDER_ISSUED',
          actor: { role: 'workflow' },
          data: { actions: decision.actions, rectificationDays, dueAt },
        },
      },
    };
  });

const outcomeOf = (feeCase: FeeCase): { outcome: Outcome; verdict: string } => {
  const verdict = feeCase.classification?.final?.verdict ?? 'DISMISSED';
  if (verdict === 'UNLAWFUL') return { outcome: 'ABOLISHED', verdict };
  if (verdict === 'REGULATED') return { outcome: 'REGULATED', verdict };
  return { outcome: 'DISMISSED', verdict };
};

/** Writes the case's outcome onto each of its complaints; a repeat changes nothing. */
const writeOutcomeOnComplaints = async (deps: StepDeps, closed: FeeCase) => {
  for (const complaint of await deps.store.listComplaints(closed.caseId)) {
    await deps.store.recordComplaintOutcome(complaint.complaintId, complaintOutcomeOf(closed));
  }
};

/**
 * Writes the outcome onto each complaint, then closes the case with it. The case goes last: it is
 * closed only once every complaint carries the outcome, so a crash in between leaves an open case,
 * which is resumed and closed, never a closed case whose complaints never hear of it.
 */
export const recordOutcome = async (deps: StepDeps, caseId: string) => {
  const closed = await changeCase(deps, caseId, async (feeCase, at) => {
    if (feeCase.stage === 'CLOSED') {
      await writeOutcomeOnComplaints(deps, feeCase);
      return { result: feeCase };
    }
    const { outcome, verdict } = outcomeOf(feeCase);
    const { refundedFen, reducedAnnualFen, enterprisesHelped } = closingFiguresOf(feeCase, outcome);
    const after: FeeCase = {
      ...feeCase,
      stage: 'CLOSED',
      outcome,
      verdict,
      refundedFen,
      reducedAnnualFen,
      enterprisesHelped,
      closedAt: at,
      flags: feeCase.flags.filter((flag) => flag !== 'overdue'),
    };
    await writeOutcomeOnComplaints(deps, after);
    return {
      result: after,
      commit: {
        after,
        event: {
          type: 'CASE_CLOSED',
          actor: { role: 'workflow' },
          stage: 'CLOSED',
          data: { outcome, verdict, refundedFen, reducedAnnualFen },
        },
        // A reopened case closed its fee's pointer when it first closed; a later complaint about the
        // fee may since have opened a case of its own, whose pointer is not this case's to close.
        closeFeeKey: !feeCase.reopened,
      },
    };
  });
  return { outcome: closed.outcome };
};

/** A step kept failing: the case is flagged for an operator instead of being lost. */
export const flagAttention = (deps: StepDeps, input: { caseId: string; error: string }) =>
  changeCase(deps, input.caseId, async (feeCase) => ({
    result: { flagged: true },
    commit: feeCase.flags.includes('attention')
      ? undefined
      : {
          after: { ...feeCase, flags: withFlags(feeCase.flags, 'attention') },
          event: {
            type: 'ATTENTION_NEEDED',
            actor: { role: 'workflow' },
            data: { error: input.error.slice(0, 200) },
          },
        },
  }));
