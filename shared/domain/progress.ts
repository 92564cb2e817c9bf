/**
 * How far a complaint has come, in the five steps a complainant follows (提交 -> 审核 -> 整改 -> 核查 ->
 * 办结) rather than the workflow's stages. Each step is done, current or pending, with when it was done
 * (or, for the current step, when it began) and, for the current step, when it is due.
 */
import type { CaseEvent } from '#shared/domain/case-event';
import { decisionWorkingDays } from '#shared/domain/complaint';
import type { FeeCase, Stage } from '#shared/domain/fee-case';
import * as z from '#shared/domain/schema';
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';

export const progressSteps = ['SUBMITTED', 'REVIEW', 'RECTIFICATION', 'VERIFICATION', 'CLOSED'] as const;
export type ProgressStepName = (typeof progressSteps)[number];

export const progressStatuses = ['DONE', 'CURRENT', 'PENDING'] as const;

export const ProgressStep = z
  .object({
    step: z.enum(progressSteps),
    status: z.enum(progressStatuses),
    at: z.optional(
      z.iso.datetime().register(z.globalRegistry, {
        description: 'When the step was done; for the current step, when it began',
      }),
    ),
    dueAt: z.optional(
      z.iso.datetime().register(z.globalRegistry, { description: 'The current step: when it is due' }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'ProgressStep',
    description:
      'One step of a complaint: SUBMITTED, REVIEW (including requests for information), RECTIFICATION, ' +
      'VERIFICATION, CLOSED. A closed case leaves out the steps it never went through',
  });

export type ProgressStep = z.infer<typeof ProgressStep>;

const publishedCalendar = new WorkingDayCalendar(publishedYears);

/**
 * When the decision on a complaint is due: the date fixed when it was filed, by the calendar then in
 * force. A complaint filed before that date was stored counts 15 working days from its filing by the
 * built-in notices (the end of that day, China time).
 */
export const decisionDueAtOf = (complaint: { filedAt: string; decisionDueAt?: string | undefined }): string =>
  complaint.decisionDueAt ?? publishedCalendar.dueAt(new Date(complaint.filedAt), decisionWorkingDays);

/** The step each stage of the workflow belongs to. */
const stepOfStage: Record<Stage, ProgressStepName> = {
  RECEIVED: 'REVIEW',
  CLASSIFIED: 'REVIEW',
  UNDER_REVIEW: 'REVIEW',
  INFO_REQUESTED: 'REVIEW',
  RECTIFYING: 'RECTIFICATION',
  VERIFYING: 'VERIFICATION',
  CLOSED: 'CLOSED',
};

export const currentStepOf = (stage: Stage): ProgressStepName => stepOfStage[stage];

/** Whether the event dates the task: its own events, and the answer to a request for more time on it. */
const datesTask = (event: CaseEvent, taskId: string | undefined): boolean =>
  event.data?.taskId === taskId ||
  (event.type === 'EXTENSION_DECIDED' && event.data?.rectificationTaskId === taskId);

/**
 * When the case's current task is due: the latest due date its events gave it (an escalation or a
 * granted extension moves it).
 */
const currentDueAt = (feeCase: FeeCase, events: readonly CaseEvent[]): string | undefined => {
  const taskId = feeCase.currentTask?.taskId;
  let dueAt: string | undefined;
  for (const event of events) {
    if (datesTask(event, taskId) && typeof event.data?.dueAt === 'string') dueAt = event.data.dueAt;
  }
  return dueAt;
};

/**
 * The steps of a complaint filed at `filedAt` on `feeCase`, from the case's audit events in order. A
 * step is done when the case last moved past it (a rejected report sends the case back, and the step
 * is done again later); an open case shows every later step as pending, a closed one only the steps
 * it went through (a dismissed fee has no rectification).
 */
export const progressOf = (
  feeCase: FeeCase,
  events: readonly CaseEvent[],
  filedAt: string,
): ProgressStep[] => {
  const rank = (step: ProgressStepName) => progressSteps.indexOf(step);
  const began = new Map<ProgressStepName, string>([['SUBMITTED', filedAt]]);
  const done = new Map<ProgressStepName, string>([['SUBMITTED', filedAt]]);
  const entered = new Set<ProgressStepName>(['SUBMITTED', 'REVIEW', 'CLOSED']);
  let current: ProgressStepName = 'REVIEW';
  began.set('REVIEW', feeCase.openedAt > filedAt ? feeCase.openedAt : filedAt);
  for (const event of events) {
    if (!event.stage) continue;
    const next = stepOfStage[event.stage];
    if (next === current) continue;
    if (rank(next) > rank(current)) {
      for (const step of progressSteps.slice(rank(current), rank(next))) done.set(step, event.at);
    }
    began.set(next, event.at);
    entered.add(next);
    current = next;
  }
  const closed = feeCase.stage === 'CLOSED';
  if (closed) done.set('CLOSED', feeCase.closedAt ?? began.get('CLOSED') ?? feeCase.updatedAt);
  current = stepOfStage[feeCase.stage];
  const dueAt = closed ? undefined : currentDueAt(feeCase, events);
  return progressSteps
    .filter((step) => !closed || entered.has(step))
    .map((step): ProgressStep => {
      if (rank(step) < rank(current) || closed) {
        const at = done.get(step);
        return { step, status: 'DONE', ...(at ? { at } : {}) };
      }
      if (step !== current) return { step, status: 'PENDING' };
      const at = began.get(step);
      return { step, status: 'CURRENT', ...(at ? { at } : {}), ...(dueAt ? { dueAt } : {}) };
    });
};
