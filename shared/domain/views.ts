/**
 * What several use cases answer about a task or a case: one shape and one mapping each, so that the
 * inbox, the case page and a complaint's page show a task or a case alike.
 */

import { AttachmentView } from '#shared/domain/attachment-view';
import { FeeCategory } from '#shared/domain/complaint';
import { type EvidenceContext, readableEvidence } from '#shared/domain/evidence';
import { type FeeCase, outcomes, stages } from '#shared/domain/fee-case';
import { type FeeTask, taskKinds, taskStatuses } from '#shared/domain/fee-task';
import { agencies, type Principal } from '#shared/domain/principal';
import { ProgressStep } from '#shared/domain/progress';
import { Reference } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import type { WorkingDayCalendar } from '#shared/domain/working-days';

/** The association as recorded: its province always resolved. */
export const AssociationView = z
  .object({ name: z.string(), creditCode: z.optional(z.string()), province: z.string() })
  .register(z.globalRegistry, { id: 'AssociationView' });

export const EarlierComplaintMessage = z
  .object({ complaintId: z.string(), reference: z.optional(Reference) })
  .register(z.globalRegistry, {
    id: 'EarlierComplaint',
    description: "The enterprise's complaint about the case that counts; a repeat filing was added to it",
  });

export const CaseSummary = z
  .object({
    caseId: z.string(),
    reference: z.optional(Reference),
    stage: z.enum(stages),
    verdict: z.optional(z.string()),
    outcome: z.optional(z.enum(outcomes)),
    refundedFen: z.int(),
    reducedAnnualFen: z.int(),
  })
  .register(z.globalRegistry, { id: 'CaseSummary' });

export type CaseSummary = z.infer<typeof CaseSummary>;

export const caseSummary = (feeCase: FeeCase): CaseSummary => ({
  caseId: feeCase.caseId,
  ...(feeCase.reference ? { reference: feeCase.reference } : {}),
  stage: feeCase.stage,
  ...(feeCase.verdict ? { verdict: feeCase.verdict } : {}),
  ...(feeCase.outcome ? { outcome: feeCase.outcome } : {}),
  refundedFen: feeCase.refundedFen,
  reducedAnnualFen: feeCase.reducedAnnualFen,
});

export const TaskView = z
  .object({
    taskId: z.string(),
    caseId: z.string(),
    kind: z.enum(taskKinds),
    status: z.enum(taskStatuses),
    agency: z.string(),
    province: z.string(),
    dueAt: z.iso.datetime().register(z.globalRegistry, {
      description: 'When the task is due: the end of its last working day, China time',
    }),
    dueWorkingDays: z.optional(
      z.int().register(z.globalRegistry, {
        description:
          'Open tasks: working days left until the due day, counted when read (public holidays and ' +
          'make-up working days included); 0 on the due day, negative when overdue by that many',
      }),
    ),
    createdAt: z.iso.datetime(),
    completedAt: z.optional(z.iso.datetime()),
    feeName: z.optional(z.string()),
    associationName: z.optional(z.string()),
    category: z.optional(FeeCategory),
    caseReference: z.optional(Reference),
    question: z.optional(
      z
        .string()
        .register(z.globalRegistry, { description: 'INFO tasks: what the regulator asks the complainant' }),
    ),
    orderText: z.optional(
      z.string().register(z.globalRegistry, {
        description: 'RECTIFICATION tasks: what the order tells the association',
      }),
    ),
    assignee: z.optional(z.string()),
    extension: z.optional(
      z
        .object({
          rectificationTaskId: z.string(),
          days: z.int(),
          reason: z.string(),
          currentDueAt: z.iso.datetime(),
          requestedDueAt: z.iso.datetime(),
        })
        .register(z.globalRegistry, {
          description:
            "EXTENSION tasks: the association's request for more time, which the regulators decide on",
        }),
    ),
    declaration: z.optional(
      z.object({ creditCode: z.string(), year: z.int() }).register(z.globalRegistry, {
        description: 'DECLARATION tasks: the association whose self-inspection for the year is missing',
      }),
    ),
    escalated: z.boolean(),
    overdue: z.boolean(),
    result: z.optional(z.record(z.string(), z.unknown())),
    attachments: z.optional(
      z.array(AttachmentView).register(z.globalRegistry, {
        description: 'Files the submission or request named, to those who may read them',
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'Task' });

export type TaskView = z.infer<typeof TaskView>;

/** A task as stored, less its workflow token, which no view shows. */
type ViewedTask = FeeTask & { submission?: Record<string, unknown> };

/**
 * What a task tells about who may read its files: the office and association it is about, and for an
 * INFO task the complainant who answers (taken as not named to the association: a task does not know,
 * and the association never sees INFO tasks). A REVIEW task's files go with an order when it gave one.
 */
const taskEvidenceContext = (task: ViewedTask): EvidenceContext => ({
  feeCase: {
    agency: task.agency,
    province: task.province,
    association: { ...(task.associationCreditCode ? { creditCode: task.associationCreditCode } : {}) },
  },
  complainants: task.enterpriseId ? [task.enterpriseId] : [],
  ...(task.enterpriseId
    ? { filedBy: { enterpriseId: task.enterpriseId, discloseIdentityToAssociation: false } }
    : {}),
  orderedRectification: task.kind === 'REVIEW' && task.result?.hasActions === true,
});

/**
 * A task as the API shows it: never its token; the submission only to those who act on cases; the
 * working days left on an open task as of `now`.
 */
export const taskView = (
  task: ViewedTask,
  now: Date,
  principal: Principal,
  calendar: WorkingDayCalendar,
): TaskView => {
  const attachments = readableEvidence(principal, task.attachments, taskEvidenceContext(task));
  return {
    taskId: task.taskId,
    caseId: task.caseId,
    kind: task.kind,
    status: task.status,
    agency: task.agency,
    province: task.province,
    dueAt: task.dueAt,
    ...(task.status === 'OPEN' ? { dueWorkingDays: calendar.workingDaysLeft(now, task.dueAt) } : {}),
    createdAt: task.createdAt,
    ...(task.completedAt ? { completedAt: task.completedAt } : {}),
    ...(task.feeName ? { feeName: task.feeName } : {}),
    ...(task.associationName ? { associationName: task.associationName } : {}),
    ...(task.category ? { category: task.category } : {}),
    ...(task.caseReference ? { caseReference: task.caseReference } : {}),
    ...(task.question ? { question: task.question } : {}),
    ...(task.orderText ? { orderText: task.orderText } : {}),
    ...(task.assignee && principal.role !== 'association' ? { assignee: task.assignee } : {}),
    ...(task.extension ? { extension: task.extension } : {}),
    ...(task.kind === 'DECLARATION' && task.associationCreditCode && task.declarationYear
      ? { declaration: { creditCode: task.associationCreditCode, year: task.declarationYear } }
      : {}),
    escalated: task.escalated,
    overdue: task.overdue || (task.status === 'OPEN' && Date.parse(task.dueAt) < now.getTime()),
    ...(task.submission && (principal.role === 'regulator' || principal.role === 'campaign-admin')
      ? { result: task.submission }
      : {}),
    ...(attachments ? { attachments } : {}),
  };
};

export const HandlingOfficeView = z
  .object({
    agency: z.enum(agencies),
    province: z.string(),
    name: z.string().register(z.globalRegistry, {
      description: "The office's real name in the caller's language, e.g. 广东省民政厅 or 民政部",
    }),
  })
  .register(z.globalRegistry, { id: 'HandlingOffice', description: 'The office that handles a case' });

export const ProgressView = z
  .object({
    steps: z.array(ProgressStep),
    handlingOffice: HandlingOfficeView,
    decisionDueAt: z.iso.datetime().register(z.globalRegistry, {
      description: 'When a decision on the fee is due: 15 working days from filing, China time',
    }),
  })
  .register(z.globalRegistry, {
    id: 'Progress',
    description: 'Where a complaint stands, in the steps its complainant follows, and who handles it',
  });

export type ProgressView = z.infer<typeof ProgressView>;
