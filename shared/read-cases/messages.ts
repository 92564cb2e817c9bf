import { ComplaintFacts, Fee } from '#shared/domain/complaint';
import { outcomes, stages } from '#shared/domain/fee-case';
import * as z from '#shared/domain/schema';
import { EarlierComplaintMessage } from '#shared/file-complaint/messages';
import { AssociationView } from '#shared/read-complaints/messages';
import { TaskView } from '#shared/tasks/messages';

const MatchedRule = z.object({ id: z.string(), title: z.string(), citation: z.string() });

export const CaseDetail = z
  .object({
    case: z.object({
      caseId: z.string(),
      stage: z.enum(stages),
      verdict: z.optional(z.string()),
      outcome: z.optional(z.enum(outcomes)),
      flags: z.array(z.enum(['overdue', 'escalated', 'attention'])),
      complaintCount: z.int(),
      enterpriseCount: z.int(),
      claimedFen: z.int(),
      refundedFen: z.int(),
      reducedAnnualFen: z.int(),
      association: AssociationView,
      fee: Fee,
      agency: z.optional(z.string()),
      province: z.string(),
      openedAt: z.iso.datetime(),
      closedAt: z.optional(z.iso.datetime()),
      previousCaseId: z.optional(z.string()),
      order: z.optional(
        z.object({
          actions: z.array(z.string()),
          rectificationDays: z.int(),
          issuedAt: z.string(),
          dueAt: z.string(),
        }),
      ),
      rectification: z.optional(
        z.object({
          abolished: z.boolean(),
          refundedFen: z.int(),
          reducedAnnualFen: z.optional(z.int()),
          evidence: z.array(z.object({ kind: z.string(), reference: z.string() })),
          note: z.optional(z.string()),
          reportedAt: z.string(),
          accepted: z.optional(z.boolean()),
        }),
      ),
    }),
    classification: z.object({
      suggested: z.optional(
        z.object({
          verdict: z.string(),
          rules: z.array(MatchedRule),
          agency: z.string(),
          actions: z.array(z.string()),
          refundBasisFen: z.int(),
          rulebookVersion: z.string(),
        }),
      ),
      final: z.optional(
        z.object({
          verdict: z.string(),
          ruleIds: z.array(z.string()),
          reason: z.string(),
          actions: z.array(z.string()),
        }),
      ),
    }),
    /** The facts the classification used: all complaints' facts merged with later answers. */
    facts: ComplaintFacts,
    complaints: z.array(
      z.object({
        complaintId: z.string(),
        filedAt: z.iso.datetime(),
        amountFen: z.int(),
        description: z.optional(z.string()),
        enterpriseCreditCode: z.optional(z.string()),
        repeatOf: z.optional(EarlierComplaintMessage),
      }),
    ),
    tasks: z.array(TaskView),
    audit: z.array(
      z.object({
        seq: z.int(),
        at: z.iso.datetime(),
        type: z.string(),
        stage: z.optional(z.enum(stages)),
        actor: z.object({ role: z.string(), subject: z.optional(z.string()) }),
        publicNote: z.optional(z.string()),
        data: z.optional(z.record(z.string(), z.unknown())),
        previousHash: z.string(),
        hash: z.string(),
      }),
    ),
    auditIntegrity: z.object({
      intact: z.boolean(),
      events: z.optional(z.int()),
      brokenAtSeq: z.optional(z.int()),
      reason: z.optional(z.string()),
    }),
  })
  .register(z.globalRegistry, { id: 'CaseDetail' });

export type CaseDetail = z.infer<typeof CaseDetail>;
