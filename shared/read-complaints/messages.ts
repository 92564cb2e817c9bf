/** Messages of the complaint read operations: parsed queries and the shapes returned. */

import { AttachmentView } from '#shared/domain/attachment-view';
import { ClosingFeedbackView } from '#shared/domain/closing-feedback';
import { ComplaintFacts, Contact, Fee, FeeCategory } from '#shared/domain/complaint';
import { CreditCode } from '#shared/domain/credit-code';
import { outcomes, stages } from '#shared/domain/fee-case';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import { ProgressStep, progressSteps } from '#shared/domain/progress';
import { Reference } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { timelineEventTypes } from '#shared/domain/timeline';
import {
  AssociationView,
  CaseSummary,
  EarlierComplaintMessage,
  HandlingOfficeView,
  ProgressView,
} from '#shared/domain/views';

export const ListComplaintsQuery = z
  .strictObject({ limit: PageLimit, cursor: PageCursor, reference: z.optional(Reference) })
  .register(z.globalRegistry, { id: 'ListComplaintsQuery' });

export const ComplaintSummary = z
  .object({
    complaintId: z.string(),
    reference: z.optional(Reference),
    caseId: z.string(),
    associationName: z.string(),
    feeName: z.string(),
    category: FeeCategory,
    amountFen: z.int(),
    filedAt: z.iso.datetime(),
    stage: z.enum(stages),
    outcome: z.optional(z.enum(outcomes)),
    repeatOf: z.optional(EarlierComplaintMessage),
  })
  .register(z.globalRegistry, { id: 'ComplaintSummary' });

export const ComplaintList = z
  .object({ items: z.array(ComplaintSummary), cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'ComplaintList' });

export const ComplaintView = z
  .object({
    complaintId: z.string(),
    reference: z.optional(Reference),
    caseId: z.string(),
    enterpriseCreditCode: z.string(),
    association: AssociationView,
    fee: Fee,
    facts: ComplaintFacts,
    description: z.string(),
    contact: Contact,
    discloseIdentityToAssociation: z.boolean(),
    filedAt: z.iso.datetime(),
    repeatOf: z.optional(EarlierComplaintMessage),
    attachments: z.optional(z.array(AttachmentView)),
  })
  .register(z.globalRegistry, { id: 'ComplaintView' });

export const TimelineEntry = z
  .object({
    at: z.iso.datetime(),
    /** Where the case stood after the event. */
    stage: z.enum(stages),
    type: z.enum(timelineEventTypes),
    params: z.optional(
      z.record(z.string(), z.union([z.string(), z.int()])).register(z.globalRegistry, {
        description:
          'What the event shows: `kind` of TASK_OPENED, `verdict` of REVIEW_DECIDED, `rectificationDays` ' +
          'and `dueAt` of ORDER_ISSUED, `outcome` of CASE_CLOSED',
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'TimelineEntry',
    description: 'One step of a complaint, as its type and values for clients to render in their language',
  });

export const ComplaintDetail = z
  .object({
    complaint: ComplaintView,
    case: CaseSummary,
    timeline: z.array(TimelineEntry),
    feedback: z.optional(ClosingFeedbackView),
    feedbackUntil: z.optional(
      z.iso.datetime().register(z.globalRegistry, {
        description: 'Feedback on the closed case is still possible until then (30 days after closure)',
      }),
    ),
    progress: ProgressView,
  })
  .register(z.globalRegistry, { id: 'ComplaintDetail' });

export type ComplaintSummary = z.infer<typeof ComplaintSummary>;
export type ComplaintList = z.infer<typeof ComplaintList>;
export type ComplaintDetail = z.infer<typeof ComplaintDetail>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const PublicProgressQuery = z
  .strictObject({ reference: Reference, creditCode: CreditCode })
  .register(z.globalRegistry, {
    id: 'PublicProgressQuery',
    description: "A complaint's reference and the credit code of the enterprise that filed it",
  });

export const PublicProgress = z
  .object({
    reference: Reference,
    stage: z.enum(progressSteps).register(z.globalRegistry, { description: 'The current step' }),
    steps: z.array(ProgressStep),
    handlingOffice: HandlingOfficeView,
    decisionDueAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, {
    id: 'PublicProgress',
    description:
      'Where a complaint stands, for anyone holding its reference and credit code: steps and dates only',
  });

export type PublicProgress = z.infer<typeof PublicProgress>;
