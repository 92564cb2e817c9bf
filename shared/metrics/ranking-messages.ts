/** The ranking of associations by their figures (`GET /api/metrics/associations`). */
import { CreditCode, RegulatorProvince } from '#shared/domain/credit-code';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import * as z from '#shared/domain/schema';
import { rankingSorts } from '#shared/metrics/association-figures';

const count = (description: string) => z.int().register(z.globalRegistry, { description });
const perThousand = (description: string) =>
  z.nullable(z.number()).register(z.globalRegistry, {
    description: `${description} per 1,000 members, to two decimals; null when the register gives no member count (or 0)`,
  });

export const AssociationRankingQuery = z
  .strictObject({
    sort: z._default(
      z.enum(rankingSorts).register(z.globalRegistry, {
        description:
          'cases (complaint cases), abolished (fees abolished), refunds (fen refunded), recurrences, or perThousandMembers (complaint cases per 1,000 members)',
      }),
      'cases',
    ),
    province: z.optional(RegulatorProvince),
    limit: PageLimit,
    cursor: PageCursor,
  })
  .register(z.globalRegistry, {
    id: 'AssociationRankingQuery',
    description:
      'Provincial regulators rank the associations of their own province; national regulators and campaign admins every association, or one province',
  });
export type AssociationRankingQuery = z.infer<typeof AssociationRankingQuery>;

export const RankedAssociation = z
  .object({
    rank: count('Position in the ranking, from 1'),
    creditCode: CreditCode,
    name: z.string(),
    province: z.string(),
    memberCount: z.nullable(z.int()),
    parentCreditCode: z.nullable(z.string()),
    registered: z.boolean().register(z.globalRegistry, { description: 'Whether the register lists it' }),
    cases: count('Cases opened by complaints about its fees'),
    closed: z.object({ ABOLISHED: z.int(), REGULATED: z.int(), DISMISSED: z.int() }),
    abolishedFees: count('Complaint cases closed with the fee abolished'),
    refundedFen: count('Refunded to enterprises by complaint cases, in fen'),
    enterprisesHelped: z.int(),
    recurrences: count(
      'Its cases about a fee abolished, by itself or another branch of its family, within 730 days before',
    ),
    recurrencesSameAssociation: count('Recurrences following its own abolition'),
    recurrencesOtherBranch: count("Recurrences following another branch's abolition"),
    familyRecurrences: count('Recurrences anywhere in the family it heads, itself included'),
    casesPerThousandMembers: perThousand('Complaint cases'),
    abolishedFeesPerThousandMembers: perThousand('Abolished fees'),
    selfInspection: z
      .object({ cases: z.int(), abolishedFees: z.int(), refundedFen: z.int() })
      .register(z.globalRegistry, {
        description: 'Cases its own self-inspection opened: shown apart, never ranked',
      }),
  })
  .register(z.globalRegistry, { id: 'RankedAssociation' });

export const AssociationRanking = z
  .object({
    sort: z.enum(rankingSorts),
    province: z.nullable(z.string()),
    total: count('Associations with figures in the scope'),
    items: z.array(RankedAssociation),
    cursor: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'AssociationRanking' });
export type AssociationRanking = z.infer<typeof AssociationRanking>;
