import { caseOrigins } from '#shared/domain/association';
import { AttachmentView } from '#shared/domain/attachment-view';
import { ClosingFeedbackView } from '#shared/domain/closing-feedback';
import { ComplaintFacts, Fee, FeeCategory, FeePeriod } from '#shared/domain/complaint';
import { outcomes, stages } from '#shared/domain/fee-case';
import { Reference } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { AssociationView, EarlierComplaintMessage, TaskView } from '#shared/domain/views';

const MatchedRule = z.object({ id: z.string(), title: z.string(), citation: z.string() });

const RectificationOrder = z.object({
  actions: z.array(z.string()),
  rectificationDays: z.int(),
  issuedAt: z.string(),
  dueAt: z.string(),
  orderText: z.optional(
    z.string().register(z.globalRegistry, {
      description: "What the order tells the association: the regulator's text for it, or a standard wording",
    }),
  ),
});

const AuditEvent = z.object({
  seq: z.int(),
  at: z.iso.datetime(),
  type: z.string(),
  stage: z.optional(z.enum(stages)),
  actor: z.object({ role: z.string(), subject: z.optional(z.string()) }),
  publicNote: z.optional(z.string()),
  data: z.optional(z.record(z.string(), z.unknown())),
  previousHash: z.string(),
  /** `hmac-sha256` when the link is keyed; absent on events from before the chain was keyed. */
  link: z.optional(z.string()),
  hash: z.string(),
});

/** What every reader of a case sees of it: where it stands, its aggregates, the order and the report. */
const caseFields = {
  caseId: z.string(),
  reference: z.optional(Reference),
  stage: z.enum(stages),
  verdict: z.optional(z.string()),
  outcome: z.optional(z.enum(outcomes)),
  flags: z.array(
    z.enum(['overdue', 'escalated', 'attention', 'undeclared']).register(z.globalRegistry, {
      description: '`undeclared`: a complaint about a fee its association left out of its self-inspection',
    }),
  ),
  origin: z.optional(
    z.enum(caseOrigins).register(z.globalRegistry, {
      description:
        'SELF_INSPECTION: opened by a fee the association declared (no complainant); absent: by a complaint',
    }),
  ),
  declaration: z.optional(
    z.object({ year: z.int(), version: z.int() }).register(z.globalRegistry, {
      description: 'For a SELF_INSPECTION case: the declaration whose fee opened it',
    }),
  ),
  complaintCount: z.int(),
  enterpriseCount: z.int(),
  claimedFen: z.int(),
  refundedFen: z.int(),
  reducedAnnualFen: z.int(),
  association: AssociationView,
  agency: z.optional(z.string()),
  province: z.string(),
  closedAt: z.optional(z.iso.datetime()),
  previousCaseId: z.optional(z.string()),
  order: z.optional(RectificationOrder),
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
};

const suggestedFields = {
  verdict: z.string(),
  rules: z.array(MatchedRule),
  agency: z.string(),
  actions: z.array(z.string()),
  rulebookVersion: z.string(),
};

const finalFields = { verdict: z.string(), ruleIds: z.array(z.string()), actions: z.array(z.string()) };

const shared = {
  /** The facts the classification used: all complaints' facts merged with later answers. */
  facts: ComplaintFacts,
  tasks: z.array(TaskView),
  auditIntegrity: z.object({
    intact: z.boolean(),
    events: z.optional(z.int()),
    /** Events from before the chain was keyed: verified by plain hash only. */
    unkeyedEvents: z.optional(z.int()),
    /** Events covered by the latest head anchored outside the table. */
    anchoredEvents: z.optional(z.int()),
    brokenAtSeq: z.optional(z.int()),
    reason: z.optional(z.string()),
  }),
};

export const CaseDetail = z
  .object({
    view: z.literal('full'),
    case: z.object({ ...caseFields, fee: Fee, openedAt: z.iso.datetime() }),
    classification: z.object({
      suggested: z.optional(z.object({ ...suggestedFields, refundBasisFen: z.int() })),
      final: z.optional(z.object({ ...finalFields, reason: z.string(), orderText: z.optional(z.string()) })),
    }),
    complaints: z.array(
      z.object({
        complaintId: z.string(),
        reference: z.optional(Reference),
        filedAt: z.iso.datetime(),
        amountFen: z.int(),
        description: z.optional(z.string()),
        enterpriseCreditCode: z.optional(z.string()),
        repeatOf: z.optional(EarlierComplaintMessage),
        feedback: z.optional(ClosingFeedbackView),
        attachments: z.optional(z.array(AttachmentView)),
      }),
    ),
    audit: z.array(AuditEvent),
    ...shared,
  })
  .register(z.globalRegistry, {
    id: 'CaseDetail',
    description: 'A case as regulators with jurisdiction and campaign admins see it: everything',
  });

export const AssociationCaseView = z
  .object({
    view: z.literal('association'),
    case: z.object({
      ...caseFields,
      fee: z.object({ name: z.string(), category: FeeCategory, period: FeePeriod }),
    }),
    classification: z.object({
      suggested: z.optional(z.object(suggestedFields)),
      final: z.optional(z.object(finalFields)),
    }),
    complaints: z.array(
      z
        .object({
          complaintId: z.string(),
          filedAt: z.iso.datetime(),
          enterpriseCreditCode: z.string(),
          description: z.string(),
          attachments: z.optional(z.array(AttachmentView)),
        })
        .register(z.globalRegistry, { description: 'A complaint whose complainant agreed to be named' }),
    ),
    orderAttachments: z.optional(
      z.array(AttachmentView).register(z.globalRegistry, {
        description: 'Files of the decision that ordered rectification, which the order rests on',
      }),
    ),
    audit: z.array(AuditEvent),
    ...shared,
  })
  .register(z.globalRegistry, {
    id: 'AssociationCaseView',
    description:
      'A case as its association sees it: case-level aggregates, the order and its report, and only ' +
      'the complaints of complainants who agreed to be named; no amount, charge or filing date of a ' +
      'complaint, no internal reasoning of the regulator, and only the audit events about the order',
  });

export const CaseView = z
  .discriminatedUnion('view', [CaseDetail, AssociationCaseView])
  .register(z.globalRegistry, { id: 'CaseView', description: 'A fee case, as the caller may see it' });

export type CaseDetail = z.infer<typeof CaseDetail>;
export type AssociationCaseView = z.infer<typeof AssociationCaseView>;
export type CaseView = z.infer<typeof CaseView>;
