/**
 * The open-data export of closed cases: one row per case, RFC 4180 quoting, nothing about the
 * complainants (no names, contacts, credit codes or descriptions of enterprises). Two forms: the
 * machine-readable one (stable English column names, codes, fen and yuan, UTC days) for programs, and
 * one for people in Chinese or English (a byte order mark for Excel, named categories, verdicts,
 * outcomes and provinces, amounts once in yuan, China-time days), as the ledger writes them.
 */
import { caseWords } from '#shared/domain/case-words';
import { csvDay, csvHeaderForPeople, csvLine } from '#shared/domain/csv';
import type { FeeCase } from '#shared/domain/fee-case';
import { divisionName, type OfficeLanguage } from '#shared/domain/handling-office';
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

const columnsForPeople: Record<OfficeLanguage, readonly string[]> = {
  'zh-CN': [
    '案件编号',
    '协会名称',
    '统一社会信用代码',
    '省份',
    '收费项目',
    '收费类别',
    '认定结论',
    '办理结果',
    '已退还金额（元）',
    '每年减负金额（元）',
    '投诉件数',
    '立案日期',
    '办结日期',
  ],
  en: [
    'Reference',
    'Association',
    'Credit code',
    'Province',
    'Fee',
    'Category',
    'Verdict',
    'Outcome',
    'Refunded (yuan)',
    'Annual reduction (yuan)',
    'Complaints',
    'Opened',
    'Closed',
  ],
};

export const outcomeRowForPeople = (feeCase: FeeCase, language: OfficeLanguage) => {
  const words = caseWords[language];
  return csvLine([
    feeCase.reference,
    feeCase.association.name,
    feeCase.association.creditCode,
    divisionName(feeCase.province, language) ?? feeCase.province,
    feeCase.fee.name,
    words.category[feeCase.fee.category],
    feeCase.verdict && (words.verdict[feeCase.verdict] ?? feeCase.verdict),
    feeCase.outcome && words.outcome[feeCase.outcome],
    formatYuan(feeCase.refundedFen),
    formatYuan(feeCase.reducedAnnualFen),
    feeCase.complaintCount,
    csvDay(feeCase.openedAt),
    csvDay(feeCase.closedAt),
  ]);
};

export interface ClosedCases {
  /** Closed cases, oldest closure first, page by page. */
  closed(): AsyncIterable<FeeCase[]>;
}

/**
 * The CSV, produced page by page so memory does not grow with the export: for people in `language`,
 * or the machine-readable form when no language is asked for.
 */
export async function* outcomesCsv(source: ClosedCases, language?: OfficeLanguage): AsyncGenerator<string> {
  yield language ? csvHeaderForPeople(columnsForPeople[language]) : csvLine(outcomeColumns);
  for await (const page of source.closed())
    yield page
      .map((feeCase) => (language ? outcomeRowForPeople(feeCase, language) : outcomeRow(feeCase)))
      .join('');
}
