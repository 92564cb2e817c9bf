/** What the self-inspection and public fee-list routes answer (one schema per message, for OpenAPI too). */
import { associationLevels, associationStatuses } from '#shared/domain/association';
import { AttachmentView } from '#shared/domain/attachment-view';
import { FeeCategory, FeePeriod, ServiceProvided } from '#shared/domain/complaint';
import { CreditCode } from '#shared/domain/credit-code';
import { outcomes } from '#shared/domain/fee-case';
import * as z from '#shared/domain/schema';
import { FeeBasis, FeeTier } from '#shared/domain/self-inspection';

const Screening = z
  .object({
    result: z.enum(['DECLARED', 'SUSPECT']),
    verdict: z.enum(['UNLAWFUL', 'REGULATED', 'UNDETERMINED']).register(z.globalRegistry, {
      description: "The rulebook's suggestion for the fee as declared",
    }),
    ruleIds: z.optional(z.array(z.string())),
    caseId: z.optional(
      z.string().register(z.globalRegistry, { description: 'SUSPECT: the fee case it is handled in' }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'FeeScreening',
    description: 'DECLARED: no rule fired; SUSPECT: rules fired and a SELF_INSPECTION case handles the fee',
  });

const DeclaredFeeView = z.object({
  name: z.string(),
  category: FeeCategory,
  amountFen: z.optional(z.int()),
  tiers: z.optional(z.array(FeeTier)),
  period: FeePeriod,
  basis: FeeBasis,
  compulsory: z.boolean(),
  serviceProvided: ServiceProvided,
});

export const DeclarationView = z
  .object({
    creditCode: z.string(),
    associationName: z.string(),
    year: z.int(),
    version: z.int(),
    declaredAt: z.iso.datetime(),
    rulebookVersion: z.string(),
    fees: z.array(
      z.extend(DeclaredFeeView, {
        attachments: z.optional(
          z.array(AttachmentView).register(z.globalRegistry, {
            description: 'The documents the fee rests on (章程, 会员大会决议, 收费依据文件)',
          }),
        ),
        screening: Screening,
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'Declaration',
    description: 'One version of a self-inspection declaration',
  });
export type DeclarationView = z.infer<typeof DeclarationView>;

export const DeclarationList = z.object({ items: z.array(DeclarationView) }).register(z.globalRegistry, {
  id: 'DeclarationList',
  description: 'Declarations, newest year first and, within a year, newest version first',
});

export const ListSelfInspectionsQuery = z
  .strictObject({
    year: z.optional(z.coerce.number().check(z.int(), z.minimum(2020), z.maximum(2100))),
    creditCode: z.optional(CreditCode),
  })
  .register(z.globalRegistry, {
    id: 'ListSelfInspectionsQuery',
    description:
      "One year's declarations, or every year's; officials name the association by its credit code",
  });

export const PublicAssociation = z
  .object({
    association: z.object({
      name: z.string(),
      creditCode: z.string(),
      level: z.enum(associationLevels),
      registeringAuthority: z.string(),
      businessSupervisor: z.optional(z.string()),
      parent: z.optional(z.object({ creditCode: z.string(), name: z.optional(z.string()) })),
      memberCount: z.int(),
      status: z.enum(associationStatuses),
    }),
    fees: z.array(
      z.extend(DeclaredFeeView, {
        year: z.int(),
        version: z.int(),
      }),
    ),
    outcomes: z.array(
      z.object({
        fee: z.string(),
        category: FeeCategory,
        outcome: z.enum(outcomes),
        closedAt: z.iso.datetime(),
        refundedFen: z.int(),
        abolished: z.boolean(),
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'PublicAssociation',
    description:
      "An association's public fee list: its register entry, the fees of its latest declaration, and its closed cases' outcomes; nothing about complainants",
  });
export type PublicAssociation = z.infer<typeof PublicAssociation>;
