/** Messages of the complaint read operations: parsed queries and the shapes returned. */
import * as z from 'zod';
import { ComplaintFacts, Contact, Fee, FeeCategory } from '#shared/domain/complaint';
import { outcomes, stages } from '#shared/domain/fee-case';

export const ListComplaintsQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .meta({ id: 'ListComplaintsQuery' });

export const ComplaintSummary = z
  .object({
    complaintId: z.string(),
    caseId: z.string(),
    associationName: z.string(),
    feeName: z.string(),
    category: FeeCategory,
    amountFen: z.number().int(),
    filedAt: z.iso.datetime(),
    stage: z.enum(stages),
    outcome: z.enum(outcomes).optional(),
  })
  .meta({ id: 'ComplaintSummary' });

export const ComplaintList = z
  .object({ items: z.array(ComplaintSummary), cursor: z.string().nullable() })
  .meta({ id: 'ComplaintList' });

/** The association as recorded: its province always resolved. */
export const AssociationView = z
  .object({ name: z.string(), creditCode: z.string().optional(), province: z.string() })
  .meta({ id: 'AssociationView' });

export const ComplaintView = z
  .object({
    complaintId: z.string(),
    caseId: z.string(),
    enterpriseCreditCode: z.string(),
    association: AssociationView,
    fee: Fee,
    facts: ComplaintFacts,
    description: z.string(),
    contact: Contact,
    discloseIdentityToAssociation: z.boolean(),
    filedAt: z.iso.datetime(),
  })
  .meta({ id: 'ComplaintView' });

export const CaseSummary = z
  .object({
    caseId: z.string(),
    stage: z.enum(stages),
    verdict: z.string().optional(),
    outcome: z.enum(outcomes).optional(),
    refundedFen: z.number().int(),
    reducedAnnualFen: z.number().int(),
  })
  .meta({ id: 'CaseSummary' });

export const TimelineEntry = z
  .object({ at: z.iso.datetime(), stage: z.enum(stages), note: z.string().optional() })
  .meta({ id: 'TimelineEntry' });

export const ComplaintDetail = z
  .object({ complaint: ComplaintView, case: CaseSummary, timeline: z.array(TimelineEntry) })
  .meta({ id: 'ComplaintDetail' });

export type ComplaintSummary = z.infer<typeof ComplaintSummary>;
export type ComplaintList = z.infer<typeof ComplaintList>;
export type ComplaintDetail = z.infer<typeof ComplaintDetail>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
