/**
 * Case search for regulators and campaign admins: the filters asked for, intersected with the caller's
 * jurisdiction, newest first, a page at a time. A filter outside the jurisdiction finds nothing
 * rather than failing, as a case outside it reads as absent (404) elsewhere.
 */
import { hash } from 'node:crypto';
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import { ForbiddenRoleError, ValidationError } from '#shared/domain/errors';
import { handlingOffice, type OfficeLanguage } from '#shared/domain/handling-office';
import { agencies, type Principal } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';
import {
  type CaseScope,
  type CaseSearch,
  type CaseSearchCriteria,
  type FoundCase,
  UNCLASSIFIED,
} from '#shared/ports/case-search';
import type { ComplaintReads } from '#shared/ports/complaints';
import { type FoundCaseView, SearchCasesQuery } from '#shared/read-cases/search-messages';

export type CaseFilters = Omit<SearchCasesQuery, 'limit' | 'cursor'>;

/**
 * The scopes the caller may search, narrowed by the agency and province asked for: regulators their
 * agency in their province (national ones in every province) and the unclassified cases they may read
 * (`regulatorHasJurisdiction`); admins everything. Empty when the filters fall outside.
 */
export const scopesFor = (principal: Principal, filters: Pick<CaseFilters, 'agency' | 'province'>) => {
  let candidates: CaseScope['agency'][] = filters.agency ? [filters.agency] : [...agencies, UNCLASSIFIED];
  let province: string | undefined = filters.province;
  if (principal.role === 'regulator') {
    candidates = candidates.filter((agency) => agency === principal.agency || agency === UNCLASSIFIED);
    if (principal.province !== NATIONAL_PROVINCE) {
      if (province !== undefined && province !== principal.province) return [];
      province = principal.province;
    }
  } else if (principal.role !== 'campaign-admin') {
    throw new ForbiddenRoleError('Only regulators and campaign admins search cases');
  }
  return candidates.map((agency): CaseScope => (province === undefined ? { agency } : { agency, province }));
};

/** The first instant of a China-time day (UTC+8, no daylight saving). */
const chinaDayStart = (day: string, plusDays = 0): string =>
  new Date(Date.parse(`${day}T00:00:00+08:00`) + plusDays * 86_400_000).toISOString();

/**
 * What the store is asked, or nothing when the filters leave no scope or name an unknown reference.
 * A reference resolves through its lookup item to one case (a complaint's to the case it joined), so
 * the store reads that case by its key instead of passing over partitions for it.
 */
export const criteriaFor = async (
  deps: Pick<CaseSearchDeps, 'references'>,
  principal: Principal,
  filters: CaseFilters,
): Promise<CaseSearchCriteria | undefined> => {
  const scopes = scopesFor(principal, filters);
  if (scopes.length === 0) return undefined;
  const target =
    filters.reference === undefined ? undefined : await deps.references.findReference(filters.reference);
  if (filters.reference !== undefined && target === undefined) return undefined;
  const optional = <K extends keyof CaseSearchCriteria>(key: K, value: CaseSearchCriteria[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    scopes,
    ...optional('associationCreditCode', filters.creditCode),
    ...optional('caseId', target?.caseId),
    ...optional('associationName', filters.association),
    ...optional('feeName', filters.fee),
    ...optional('stage', filters.stage),
    ...optional('verdict', filters.verdict),
    ...optional('outcome', filters.outcome),
    ...optional('category', filters.category),
    ...optional('overdue', filters.overdue === undefined ? undefined : filters.overdue === 'true'),
    ...optional('openedFrom', filters.from && chinaDayStart(filters.from)),
    ...optional('openedBefore', filters.to && chinaDayStart(filters.to, 1)),
  };
};

/**
 * A cursor is the position to continue before and a digest of the search it belongs to, so a cursor
 * from another list, other filters or another jurisdiction is refused rather than misread.
 */
const SearchCursor = z.strictObject({
  before: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w.-]{1,100}$/)),
  search: z.string().check(z.length(22)),
});

const digestOf = (criteria: CaseSearchCriteria): string =>
  hash('sha256', JSON.stringify(criteria), 'base64url').slice(0, 22);

export const encodeSearchCursor = (criteria: CaseSearchCriteria, before: string): string =>
  Buffer.from(JSON.stringify({ before, search: digestOf(criteria) })).toString('base64url');

export const decodeSearchCursor = (criteria: CaseSearchCriteria | undefined, cursor: string): string => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = SearchCursor.safeParse(decoded);
  if (!parsed.success || criteria === undefined || parsed.data.search !== digestOf(criteria)) {
    throw new ValidationError('The cursor is not valid for this search', [
      { path: 'cursor', code: 'unknown_cursor', message: 'unknown cursor' },
    ]);
  }
  return parsed.data.before;
};

export const foundCaseView = (feeCase: FoundCase, language: OfficeLanguage): FoundCaseView => ({
  caseId: feeCase.caseId,
  ...(feeCase.reference ? { reference: feeCase.reference } : {}),
  association: feeCase.association,
  fee: { name: feeCase.fee.name, category: feeCase.fee.category, amountFen: feeCase.fee.amountFen },
  stage: feeCase.stage,
  ...(feeCase.verdict ? { verdict: feeCase.verdict } : {}),
  ...(feeCase.outcome ? { outcome: feeCase.outcome } : {}),
  ...(feeCase.agency
    ? { agency: feeCase.agency, handlingOffice: handlingOffice(feeCase.agency, feeCase.province, language) }
    : {}),
  province: feeCase.province,
  openedAt: feeCase.openedAt,
  overdue: feeCase.flags.includes('overdue'),
});

export interface CaseSearchDeps {
  search: CaseSearch;
  references: Pick<ComplaintReads, 'findReference'>;
}

export const searchCases = async (
  deps: CaseSearchDeps,
  principal: Principal,
  rawQuery: unknown,
  language: OfficeLanguage,
) => {
  const { limit, cursor, ...filters } = parseWith(SearchCasesQuery, rawQuery, 'query');
  const criteria = await criteriaFor(deps, principal, filters);
  const before = cursor === undefined ? undefined : decodeSearchCursor(criteria, cursor);
  if (criteria === undefined) return { items: [], cursor: null };
  const page = await deps.search.searchCases(criteria, limit, before);
  return {
    items: page.cases.map((feeCase) => foundCaseView(feeCase, language)),
    cursor: page.next === undefined ? null : encodeSearchCursor(criteria, page.next),
  };
};
