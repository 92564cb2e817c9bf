/** Messages of the task operations: list queries, completion bodies by kind, and the task view. */
import { ComplaintFacts, MAX_AMOUNT_FEN } from '#shared/domain/complaint';
import { RegulatorProvince } from '#shared/domain/credit-code';
import { Attachments } from '#shared/domain/evidence';
import { MAX_EXTENSION_WORKING_DAYS, taskKinds, taskStatuses } from '#shared/domain/fee-task';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import { agencies } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';
import { issueParams, namedPattern } from '#shared/domain/validation';
import { CaseSummary, TaskView } from '#shared/domain/views';

export const finalVerdicts = ['UNLAWFUL', 'REGULATED', 'DISMISSED', 'NEEDS_INFO'] as const;
export const orderActions = [
  'ABOLISH',
  'REFUND',
  'REDUCE_PRICE',
  'PUBLISH_STANDARD',
  'ADJUST_TIERS',
] as const;

const note = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));

/** A list in which no entry appears twice. */
const distinct = <T>(message: string) =>
  z.refine<T[]>((items) => new Set(items).size === items.length, {
    message,
    params: issueParams('not_unique'),
  });

export const ReviewDecision = z
  .strictObject({
    verdict: z.enum(finalVerdicts),
    ruleIds: z
      .array(z.string().check(namedPattern('rule_id', /^R\d{2}$/, 'a rule id such as R01')))
      .check(z.maxLength(17), distinct('list each rule once')),
    reason: note,
    orderText: z.optional(
      z
        .string()
        .check(z.trim(), z.minLength(1), z.maxLength(2000))
        .register(z.globalRegistry, {
          description:
            'What the order tells the association (UNLAWFUL, or REGULATED with actions); without it the ' +
            'association reads a standard wording of the verdict and actions, never the internal `reason`',
        }),
    ),
    actions: z.optional(
      z
        .array(z.enum(orderActions))
        .check(z.maxLength(orderActions.length), distinct('list each action once')),
    ),
    rectificationDays: z.optional(z.int().check(z.minimum(1), z.maximum(365))),
    attachments: z.optional(Attachments),
  })
  .check(
    z.superRefine((decision, ctx) => {
      const actions = decision.actions ?? [];
      if (decision.verdict === 'UNLAWFUL' && !actions.includes('ABOLISH')) {
        ctx.addIssue({
          code: 'custom',
          path: ['actions'],
          message: 'an unlawful fee must be abolished: include ABOLISH',
          params: issueParams('abolish_required'),
        });
      }
      if ((decision.verdict === 'DISMISSED' || decision.verdict === 'NEEDS_INFO') && actions.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['actions'],
          message: `no actions can be ordered with ${decision.verdict}`,
          params: issueParams('no_actions', { verdict: decision.verdict }),
        });
      }
      // What is abolished or ordered rests on rules; a lawful fee with nothing to order may rest on none.
      const orders =
        decision.verdict === 'UNLAWFUL' || (decision.verdict === 'REGULATED' && actions.length > 0);
      if (orders && decision.ruleIds.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['ruleIds'],
          message: 'name the rules the decision rests on',
          params: issueParams('rules_required'),
        });
      }
    }),
  )
  .check(
    z.refine(
      (decision) =>
        decision.orderText === undefined ||
        decision.verdict === 'UNLAWFUL' ||
        (decision.verdict === 'REGULATED' && (decision.actions ?? []).length > 0),
      {
        path: ['orderText'],
        message: 'only a decision that orders rectification has an order text',
        params: issueParams('order_text_not_allowed'),
      },
    ),
  )
  .register(z.globalRegistry, { id: 'ReviewDecision', description: "The regulator's decision on a fee" });

export const Evidence = z.strictObject({
  kind: z.enum(['NOTICE', 'REFUND_RECEIPT', 'PUBLISHED_STANDARD', 'BOARD_RESOLUTION', 'OTHER']),
  reference: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
});

const fenAmount = () => z.int().check(z.minimum(0), z.maximum(MAX_AMOUNT_FEN));

export const RectificationReport = z
  .strictObject({
    abolished: z.boolean(),
    refundedFen: fenAmount(),
    reducedAnnualFen: z.optional(fenAmount()),
    evidence: z._default(z.array(Evidence).check(z.maxLength(20)), []),
    attachments: z.optional(Attachments),
    note: z.optional(note),
  })
  .check(
    z.refine((report) => report.evidence.length > 0 || (report.attachments ?? []).length > 0, {
      path: ['evidence'],
      message: 'give at least one piece of evidence: a reference or an attached file',
      params: issueParams('evidence_required'),
    }),
  )
  .register(z.globalRegistry, {
    id: 'RectificationReport',
    description: 'What the association did about the order',
  });

export const VerificationDecision = z
  .strictObject({ accepted: z.boolean(), note: z.optional(note) })
  .register(z.globalRegistry, {
    id: 'VerificationDecision',
    description: "The regulator's check of the rectification",
  });

export const InfoAnswer = z
  .strictObject({ facts: z.optional(ComplaintFacts), note, attachments: z.optional(Attachments) })
  .register(z.globalRegistry, {
    id: 'InfoAnswer',
    description: "The complainant's answer to a request for information",
  });

export const ExtensionDecision = z
  .strictObject({ granted: z.boolean(), note: z.optional(note) })
  .register(z.globalRegistry, {
    id: 'ExtensionDecision',
    description: "The regulator's answer to an association's request for more time",
  });

export const SecondReviewDecision = z
  .strictObject({ confirmed: z.boolean(), note: z.optional(note) })
  .register(z.globalRegistry, {
    id: 'SecondReviewDecision',
    description:
      'A second regulator of the agency confirms an UNLAWFUL decision (the order goes out) or refuses it (the case is reviewed again)',
  });

export const completionBodies = {
  REVIEW: ReviewDecision,
  RECTIFICATION: RectificationReport,
  VERIFICATION: VerificationDecision,
  INFO: InfoAnswer,
  EXTENSION: ExtensionDecision,
  SECOND_REVIEW: SecondReviewDecision,
} as const;

export const TaskCompletion = z
  .union([
    ReviewDecision,
    RectificationReport,
    VerificationDecision,
    InfoAnswer,
    ExtensionDecision,
    SecondReviewDecision,
  ])
  .register(z.globalRegistry, { id: 'TaskCompletion', description: 'The body depends on the task kind' });

export type ReviewDecision = z.infer<typeof ReviewDecision>;
export type RectificationReport = z.infer<typeof RectificationReport>;
export type VerificationDecision = z.infer<typeof VerificationDecision>;
export type InfoAnswer = z.infer<typeof InfoAnswer>;
export type ExtensionDecision = z.infer<typeof ExtensionDecision>;
export type SecondReviewDecision = z.infer<typeof SecondReviewDecision>;

export const AssignTaskBody = z
  .strictObject({
    assignee: z.nullable(
      z.string().check(z.trim(), z.minLength(1), z.maxLength(200)).register(z.globalRegistry, {
        description: "The officer's subject (their sign-in's `sub`); null takes the task back",
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'AssignTaskBody',
    description: 'Give an open task to a named officer of its agency and jurisdiction, or take it back',
  });

export const TransferCaseBody = z
  .strictObject({ agency: z.enum(agencies), province: RegulatorProvince, reason: note })
  .register(z.globalRegistry, {
    id: 'TransferCaseBody',
    description: 'Transfer (转办) a case to the office that should handle it, with the reason',
  });

export const ExtensionRequest = z
  .strictObject({
    days: z.int().check(z.minimum(1), z.maximum(MAX_EXTENSION_WORKING_DAYS)).register(z.globalRegistry, {
      description: "Working days beyond the order's current due date",
    }),
    reason: note,
    attachments: z.optional(Attachments),
  })
  .register(z.globalRegistry, {
    id: 'ExtensionRequest',
    description: 'An association asks for more time on its rectification order',
  });

export type AssignTaskBody = z.infer<typeof AssignTaskBody>;
export type TransferCaseBody = z.infer<typeof TransferCaseBody>;
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

export const ListTasksQuery = z
  .strictObject({
    status: z._default(z.enum(taskStatuses), 'OPEN'),
    kind: z.optional(z.enum(taskKinds)),
    limit: PageLimit,
    cursor: PageCursor,
    /** Campaign admins browse one inbox at a time. */
    agency: z.optional(z.enum(agencies)),
    province: z.optional(RegulatorProvince),
  })
  .register(z.globalRegistry, { id: 'ListTasksQuery' });

export const TaskList = z
  .object({ items: z.array(TaskView), cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'TaskList' });

/** What claiming, releasing or assigning a task answers: the task as it is now. */
export const TaskAnswer = z.object({ task: TaskView }).register(z.globalRegistry, { id: 'TaskAnswer' });
export const CompletedTask = z
  .object({ task: TaskView, case: CaseSummary })
  .register(z.globalRegistry, { id: 'CompletedTask' });

/** What a transfer answers: the task that opened in the receiving office, and the case as it is now. */
export const TransferredCase = z
  .object({ task: TaskView, case: CaseSummary })
  .register(z.globalRegistry, { id: 'TransferredCase' });

/** What an extension request answers: the EXTENSION task the regulators now decide. */
export const RequestedExtension = z
  .object({ task: TaskView })
  .register(z.globalRegistry, { id: 'RequestedExtension' });
