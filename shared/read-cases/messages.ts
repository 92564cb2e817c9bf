import * as z from 'zod';
import { ComplaintFacts, Fee } from '#shared/domain/complaint';
import { outcomes, stages } from '#shared/domain/fee-case';
import { AssociationView } from '#shared/read-complaints/messages';
import { TaskView } from '#shared/tasks/messages';

const MatchedRule = z.object({ id: z.string(), title: z.string(), citation: z.string() });

export const CaseDetail = z
  .object({
    case: z.object({
      caseId: z.string(),
      stage: z.enum(stages),
      verdict: z.string().optional(),
      outcome: z.enum(outcomes).optional(),
      flags: z.array(z.enum(['overdue', 'escalated', 'attention'])),
      complaintCount: z.int(),
      enterpriseCount: z.int(),
      claimedFen: z.int(),
      refundedFen: z.int(),
      reducedAnnualFen: z.int(),
      association: AssociationView,
      fee: Fee,
      agency: z.string().optional(),
      province: z.string(),
      openedAt: z.iso.datetime(),
      closedAt: z.iso.datetime().optional(),
      previousCaseId: z.string().optional(),
      order: z
        .object({
          actions: z.array(z.string()),
          rectificationDays: z.int(),
          issuedAt: z.string(),
          dueAt: z.string(),
        })
        .optional(),
      rectification: z
        .object({
          abolished: z.boolean(),
          refundedFen: z.int(),
          reducedAnnualFen: z.int(),
          evidence: z.array(z.object({ kind: z.string(), reference: z.string() })),
          note: z.string().optional(),
          reportedAt: z.string(),
          accepted: z.boolean().optional(),
        })
        .optional(),
    }),
    classification: z.object({
      suggested: z
        .object({
          verdict: z.string(),
          rules: z.array(MatchedRule),
          agency: z.string(),
          actions: z.array(z.string()),
          refundBasisFen: z.int(),
          rulebookVersion: z.string(),
        })
        .optional(),
      final: z
        .object({
          verdict: z.string(),
          ruleIds: z.array(z.string()),
          reason: z.string(),
          actions: z.array(z.string()),
        })
        .optional(),
    }),
    /** The facts the classification used: all complaints' facts merged with later answers. */
    facts: ComplaintFacts,
    complaints: z.array(
      z.object({
        complaintId: z.string(),
        filedAt: z.iso.datetime(),
        amountFen: z.int(),
        description: z.string().optional(),
        enterpriseCreditCode: z.string().optional(),
      }),
    ),
    tasks: z.array(TaskView),
    audit: z.array(
      z.object({
        seq: z.int(),
        at: z.iso.datetime(),
        type: z.string(),
        stage: z.enum(stages).optional(),
        actor: z.object({ role: z.string(), subject: z.string().optional() }),
        publicNote: z.string().optional(),
        data: z.record(z.string(), z.unknown()).optional(),
        previousHash: z.string(),
        hash: z.string(),
      }),
    ),
    auditIntegrity: z.object({
      intact: z.boolean(),
      events: z.int().optional(),
      brokenAtSeq: z.int().optional(),
      reason: z.string().optional(),
    }),
  })
  .meta({ id: 'CaseDetail' });

export type CaseDetail = z.infer<typeof CaseDetail>;
