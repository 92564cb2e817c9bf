/** Messages of the task operations: list queries, completion bodies by kind, and the task view. */
import * as z from 'zod';
import { ComplaintFacts, MAX_AMOUNT_FEN } from '#shared/domain/complaint';
import { taskKinds, taskStatuses } from '#shared/domain/fee-task';
import { CaseSummary } from '#shared/read-complaints/messages';

export const finalVerdicts = ['UNLAWFUL', 'REGULATED', 'DISMISSED', 'NEEDS_INFO'] as const;
export const orderActions = [
  'ABOLISH',
  'REFUND',
  'REDUCE_PRICE',
  'PUBLISH_STANDARD',
  'ADJUST_TIERS',
] as const;

const note = z.string().trim().min(1).max(2000);

export const ReviewDecision = z
  .strictObject({
    verdict: z.enum(finalVerdicts),
    ruleIds: z
      .array(z.string().regex(/^R\d{2}$/, 'a rule id such as R01'))
      .max(17)
      .refine((ids) => new Set(ids).size === ids.length, 'list each rule once'),
    reason: note,
    actions: z
      .array(z.enum(orderActions))
      .max(orderActions.length)
      .refine((actions) => new Set(actions).size === actions.length, 'list each action once')
      .optional(),
    rectificationDays: z.int().min(1).max(365).optional(),
  })
  .superRefine((decision, ctx) => {
    const actions = decision.actions ?? [];
    if (decision.verdict === 'UNLAWFUL' && !actions.includes('ABOLISH')) {
      ctx.addIssue({
        code: 'custom',
        path: ['actions'],
        message: 'an unlawful fee must be abolished: include ABOLISH',
      });
    }
    if ((decision.verdict === 'DISMISSED' || decision.verdict === 'NEEDS_INFO') && actions.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['actions'],
        message: `no actions can be ordered with ${decision.verdict}`,
      });
    }
    if (
      (decision.verdict === 'UNLAWFUL' || decision.verdict === 'REGULATED') &&
      decision.ruleIds.length === 0
    ) {
      ctx.addIssue({ code: 'custom', path: ['ruleIds'], message: 'name the rules the decision rests on' });
    }
  })
  .meta({ id: 'ReviewDecision', description: "The regulator's decision on a fee" });

export const Evidence = z.strictObject({
  kind: z.enum(['NOTICE', 'REFUND_RECEIPT', 'PUBLISHED_STANDARD', 'BOARD_RESOLUTION', 'OTHER']),
  reference: z.string().trim().min(1).max(500),
});

export const RectificationReport = z
  .strictObject({
    abolished: z.boolean(),
    refundedFen: z.int().min(0).max(MAX_AMOUNT_FEN),
    reducedAnnualFen: z.int().min(0).max(MAX_AMOUNT_FEN).optional(),
    evidence: z.array(Evidence).min(1).max(20),
    note: note.optional(),
  })
  .meta({ id: 'RectificationReport', description: 'What the association did about the order' });

export const VerificationDecision = z
  .strictObject({ accepted: z.boolean(), note: note.optional() })
  .meta({ id: 'VerificationDecision', description: "The regulator's check of the rectification" });

export const InfoAnswer = z
  .strictObject({ facts: ComplaintFacts.optional(), note })
  .meta({ id: 'InfoAnswer', description: "The complainant's answer to a request for information" });

export const completionBodies = {
  REVIEW: ReviewDecision,
  RECTIFICATION: RectificationReport,
  VERIFICATION: VerificationDecision,
  INFO: InfoAnswer,
} as const;

export const TaskCompletion = z
  .union([ReviewDecision, RectificationReport, VerificationDecision, InfoAnswer])
  .meta({ id: 'TaskCompletion', description: 'The body depends on the task kind' });

export type ReviewDecision = z.infer<typeof ReviewDecision>;
export type RectificationReport = z.infer<typeof RectificationReport>;
export type VerificationDecision = z.infer<typeof VerificationDecision>;
export type InfoAnswer = z.infer<typeof InfoAnswer>;

export const ListTasksQuery = z
  .strictObject({
    status: z.enum(taskStatuses).default('OPEN'),
    kind: z.enum(taskKinds).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(2048).optional(),
    /** Campaign admins browse one inbox at a time. */
    agency: z.enum(['SAMR', 'MCA', 'NDRC']).optional(),
    province: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
  })
  .meta({ id: 'ListTasksQuery' });

export const TaskView = z
  .object({
    taskId: z.string(),
    caseId: z.string(),
    kind: z.enum(taskKinds),
    status: z.enum(taskStatuses),
    agency: z.string(),
    province: z.string(),
    dueAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
    assignee: z.string().optional(),
    escalated: z.boolean(),
    overdue: z.boolean(),
    result: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Task' });

export const TaskList = z
  .object({ items: z.array(TaskView), cursor: z.string().nullable() })
  .meta({ id: 'TaskList' });

export type TaskView = z.infer<typeof TaskView>;

export const ClaimedTask = z.object({ task: TaskView }).meta({ id: 'ClaimedTask' });
export const CompletedTask = z.object({ task: TaskView, case: CaseSummary }).meta({ id: 'CompletedTask' });
