/**
 * Per-association figures (docs/associations.md, "Repeat offenders"): what each case adds to the
 * counters of the association it is about, counted by the metrics aggregator like the campaign's, and
 * the ranking regulators read. Complaint cases make the ranked figures; cases opened by a
 * self-inspection are counted apart, since a fee an association declared itself is less damning.
 */
import type { RegisteredAssociation } from '#shared/domain/association';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Counters, ScopedCounters } from '#shared/metrics/counters';

const scopePrefix = 'ASSOCIATION_FIGURES#';

/** The counter scope of one association, by credit code. */
export const associationScope = (creditCode: string) => `${scopePrefix}${creditCode}`;
/** The credit code of an association scope; nothing for any other scope. */
export const creditCodeOfScope = (scope: string): string | undefined =>
  scope.startsWith(scopePrefix) ? scope.slice(scopePrefix.length) : undefined;

/**
 * What one case adds to its association's counters. A case without a credit code adds nothing: its
 * association cannot be told apart from another of a similar name. Complaints joining an open case
 * move nothing here, so a fee thousands complain about does not make its association's item hot (one
 * linked onto a closed case moves the enterprises helped, once).
 */
export const associationContribution = (feeCase: FeeCase): ScopedCounters => {
  const creditCode = feeCase.association.creditCode;
  if (!creditCode) return {};
  const prefix = feeCase.origin === 'SELF_INSPECTION' ? 'selfInspection.' : '';
  const own: Counters = { [`${prefix}cases`]: 1 };
  if (feeCase.outcome) {
    own[`${prefix}outcome.${feeCase.outcome}`] = 1;
    own[`${prefix}refundedFen`] = feeCase.refundedFen;
    own[`${prefix}enterprisesHelped`] = feeCase.enterprisesHelped ?? 0;
  }
  return { [associationScope(creditCode)]: own };
};

/**
 * Counters a recurrence adds (`recurrences.ts`): once per charging case to the charging association
 * and its family's head, and once per kind to the charging association.
 */
export const recurrenceCounters = {
  charging: { recurrences: 1 } as Counters,
  family: { familyRecurrences: 1 } as Counters,
  kind: (kind: 'SAME_ASSOCIATION' | 'OTHER_BRANCH'): Counters => ({
    [kind === 'SAME_ASSOCIATION' ? 'recurrences.sameAssociation' : 'recurrences.otherBranch']: 1,
  }),
};

/** What the register says of an association, copied beside its figures so one read ranks them. */
export interface AssociationProfile {
  creditCode: string;
  name: string;
  province: string;
  /** Absent when the association is not in the register. */
  memberCount?: number;
  parentCreditCode?: string;
  registered: boolean;
  /** The register entry's `updatedAt`: an older copy never replaces a newer one. */
  registryUpdatedAt?: string;
}

/** What the figures say of a registered association. */
export const profileOfEntry = (entry: RegisteredAssociation): AssociationProfile => ({
  creditCode: entry.creditCode,
  name: entry.name,
  province: entry.province,
  memberCount: entry.memberCount,
  ...(entry.parentCreditCode ? { parentCreditCode: entry.parentCreditCode } : {}),
  registered: true,
  registryUpdatedAt: entry.updatedAt,
});

export interface AssociationFigures {
  creditCode: string;
  name: string;
  province: string;
  memberCount: number | null;
  parentCreditCode: string | null;
  registered: boolean;
  /** Cases opened by complaints; closed ones by outcome. */
  cases: number;
  closed: { ABOLISHED: number; REGULATED: number; DISMISSED: number };
  abolishedFees: number;
  refundedFen: number;
  enterprisesHelped: number;
  /** Cases it opened for a fee abolished within the two years before (its own or a branch's). */
  recurrences: number;
  recurrencesSameAssociation: number;
  recurrencesOtherBranch: number;
  /** Recurrences anywhere in the family this association heads (itself included). */
  familyRecurrences: number;
  casesPerThousandMembers: number | null;
  abolishedFeesPerThousandMembers: number | null;
  /** Cases opened by its own self-inspection, apart. */
  selfInspection: { cases: number; abolishedFees: number; refundedFen: number };
}

const perThousand = (count: number, members: number | undefined) =>
  members && members > 0 ? Math.round((count * 1000 * 100) / members) / 100 : null;

export const associationFiguresOf = (profile: AssociationProfile, counters: Counters): AssociationFigures => {
  const count = (name: string) => counters[name] ?? 0;
  const cases = count('cases');
  const abolishedFees = count('outcome.ABOLISHED');
  return {
    creditCode: profile.creditCode,
    name: profile.name,
    province: profile.province,
    memberCount: profile.memberCount ?? null,
    parentCreditCode: profile.parentCreditCode ?? null,
    registered: profile.registered,
    cases,
    closed: {
      ABOLISHED: abolishedFees,
      REGULATED: count('outcome.REGULATED'),
      DISMISSED: count('outcome.DISMISSED'),
    },
    abolishedFees,
    refundedFen: count('refundedFen'),
    enterprisesHelped: count('enterprisesHelped'),
    recurrences: count('recurrences'),
    recurrencesSameAssociation: count('recurrences.sameAssociation'),
    recurrencesOtherBranch: count('recurrences.otherBranch'),
    familyRecurrences: count('familyRecurrences'),
    casesPerThousandMembers: perThousand(cases, profile.memberCount),
    abolishedFeesPerThousandMembers: perThousand(abolishedFees, profile.memberCount),
    selfInspection: {
      cases: count('selfInspection.cases'),
      abolishedFees: count('selfInspection.outcome.ABOLISHED'),
      refundedFen: count('selfInspection.refundedFen'),
    },
  };
};

export const rankingSorts = ['cases', 'abolished', 'refunds', 'recurrences', 'perThousandMembers'] as const;
export type RankingSort = (typeof rankingSorts)[number];

/** The figure a sort ranks by; `null` (members unknown) ranks after every known figure. */
export const rankedFigure = (figures: AssociationFigures, sort: RankingSort): number | null => {
  switch (sort) {
    case 'cases':
      return figures.cases;
    case 'abolished':
      return figures.abolishedFees;
    case 'refunds':
      return figures.refundedFen;
    case 'recurrences':
      return figures.recurrences;
    case 'perThousandMembers':
      return figures.casesPerThousandMembers;
  }
};

/** Where an association stands: higher figures first, then more cases, then by credit code. */
export interface RankPosition {
  figure: number | null;
  cases: number;
  creditCode: string;
}

export const positionOf = (figures: AssociationFigures, sort: RankingSort): RankPosition => ({
  figure: rankedFigure(figures, sort),
  cases: figures.cases,
  creditCode: figures.creditCode,
});

/** Negative when `a` ranks before `b`. */
export const compareRank = (a: RankPosition, b: RankPosition): number => {
  if (a.figure !== b.figure) {
    if (a.figure === null) return 1;
    if (b.figure === null) return -1;
    return b.figure - a.figure;
  }
  if (a.cases !== b.cases) return b.cases - a.cases;
  return a.creditCode < b.creditCode ? -1 : a.creditCode > b.creditCode ? 1 : 0;
};
