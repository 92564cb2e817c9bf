/**
 * The open-data export of closed cases: one row per case, RFC 4180 quoting, nothing about the
 * complainants (no names, contacts, credit codes or descriptions of enterprises).
 */
import { csvLine } from '#shared/domain/csv';
import type { FeeCase } from '#shared/domain/fee-case';
import { formatYuan } from '#shared/domain/money';

export const outcomeColumns = [
  'caseId',
  'reference',
  'associationName',
  'associationCreditCode',
  'province',
  'feeName',
  'category',
  'verdict',
  'outcome',
  'refundedFen',
  'refundedYuan',
  'annualFenRemoved',
  'annualYuanRemoved',
  'complaints',
  'openedOn',
  'closedOn',
] as const;

export const outcomeRow = (feeCase: FeeCase) =>
  csvLine([
    feeCase.caseId,
    feeCase.reference,
    feeCase.association.name,
    feeCase.association.creditCode,
    feeCase.province,
    feeCase.fee.name,
    feeCase.fee.category,
    feeCase.verdict,
    feeCase.outcome,
    feeCase.refundedFen,
    formatYuan(feeCase.refundedFen),
    feeCase.reducedAnnualFen,
    formatYuan(feeCase.reducedAnnualFen),
    feeCase.complaintCount,
    feeCase.openedAt.slice(0, 10),
    feeCase.closedAt?.slice(0, 10),
  ]);

export interface ClosedCases {
  /** Closed cases, oldest closure first, page by page. */
  closed(): AsyncIterable<FeeCase[]>;
}

/** The CSV, produced page by page so memory does not grow with the export. */
export async function* outcomesCsv(source: ClosedCases): AsyncGenerator<string> {
  yield csvLine(outcomeColumns);
  for await (const page of source.closed()) yield page.map(outcomeRow).join('');
}
