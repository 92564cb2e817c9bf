/**
 * Finding cases: newest first within a jurisdiction, by keyed reads whose cost per page does not grow
 * with the table.
 */
import type { FeeCategory } from '#shared/domain/complaint';
import type { FeeCase, Outcome, Stage } from '#shared/domain/fee-case';
import type { Agency } from '#shared/domain/principal';

/** Cases not yet classified have no agency. */
export const UNCLASSIFIED = 'UNCLASSIFIED';

/**
 * A set of cases read as one keyed partition: those of one agency (or the unclassified ones) in one
 * province, or in every province when `province` is absent. The scopes of one search never overlap.
 */
export interface CaseScope {
  agency: Agency | typeof UNCLASSIFIED;
  province?: string;
}

export interface CaseSearchCriteria {
  /** At least one; a case matches when it lies in any of them. */
  scopes: readonly CaseScope[];
  /** Read from the association's own partition instead of the scopes' (the scopes then filter). */
  associationCreditCode?: string;
  /** Only this case, read by its key (what a reference resolves to); the scopes then filter. */
  caseId?: string;
  /** Text the association's name contains. */
  associationName?: string;
  /** Text the fee's name contains. */
  feeName?: string;
  stage?: Stage;
  verdict?: string;
  outcome?: Outcome;
  category?: FeeCategory;
  overdue?: boolean;
  /** Opened at or after this instant (ISO). */
  openedFrom?: string;
  /** Opened before this instant (ISO). */
  openedBefore?: string;
}

/** What search reads of a case (what its listing and the ledger show); `reference` once cases carry one. */
export const foundCaseFields = [
  'caseId',
  'reference',
  'association',
  'fee',
  'stage',
  'verdict',
  'outcome',
  'agency',
  'province',
  'flags',
  'claimedFen',
  'refundedFen',
  'reducedAnnualFen',
  'openedAt',
  'decidedAt',
  'closedAt',
] as const;
export type FoundCase = Pick<FeeCase, Exclude<(typeof foundCaseFields)[number], 'reference'>> & {
  reference?: string;
};

export interface CaseSearchPage {
  /** Newest first; fewer than asked for when the page's reads ran out before it filled. */
  cases: FoundCase[];
  /** Where the next page starts (`<openedAt>#<caseId>`, exclusive); absent when nothing more can match. */
  next?: string;
}

export interface CaseSearch {
  searchCases(criteria: CaseSearchCriteria, limit: number, after?: string): Promise<CaseSearchPage>;
}

/** The position of a case in every search: newest first by opening time, then by id. */
export const searchPosition = (feeCase: Pick<FeeCase, 'openedAt' | 'caseId'>): string =>
  `${feeCase.openedAt}#${feeCase.caseId}`;
