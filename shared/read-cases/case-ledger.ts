/**
 * The ledger (台账): the cases a search finds, one CSV row each, for spreadsheets. UTF-8 with a byte
 * order mark so Excel reads the Chinese, headers and labels in the caller's language, amounts in yuan,
 * dates China time. Produced page by page up to a size bound under the Lambda response limit; a cut
 * export ends with a row saying so and hands back a cursor to continue.
 */
import { caseWords } from '#shared/domain/case-words';
import { csvDay, csvHeaderForPeople, csvLine } from '#shared/domain/csv';
import { handlingOffice, type OfficeLanguage } from '#shared/domain/handling-office';
import { formatYuan } from '#shared/domain/money';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import { type FoundCase, searchPosition } from '#shared/ports/case-search';
import {
  type CaseSearchDeps,
  criteriaFor,
  decodeSearchCursor,
  encodeSearchCursor,
} from '#shared/read-cases/search-cases';
import { LedgerQuery } from '#shared/read-cases/search-messages';

/**
 * A Lambda answer may be 6 MB, counted on the JSON the function returns (where a CSV's quotes and line
 * ends take two bytes); the ledger stops at 5 MiB of that, leaving room for headers. It also stops after
 * a number of search pages, so a sparse filter cannot outlast the function's timeout.
 */
export const ledgerBounds = { encodedBytes: 5 * 1024 * 1024, pages: 100 };
const casesPerPage = 100;

type Labels = {
  columns: readonly string[];
  yes: string;
  no: string;
  unassigned: string;
  cut: (rows: number) => string;
};

const labels: Record<OfficeLanguage, Labels> = {
  'zh-CN': {
    columns: [
      '案件编号',
      '案件ID',
      '协会名称',
      '统一社会信用代码',
      '收费项目',
      '收费类别',
      '收费金额（元）',
      '投诉涉及金额（元）',
      '已退还金额（元）',
      '每年减负金额（元）',
      '办理阶段',
      '认定结论',
      '办理结果',
      '承办机关',
      '立案日期',
      '认定日期',
      '办结日期',
      '是否逾期',
    ],
    yes: '是',
    no: '否',
    unassigned: '待分类',
    cut: (rows) =>
      `（导出内容已达单次上限，本文件仅含前 ${rows} 条。请缩小立案日期范围或增加筛选条件后分批导出，或按响应头 X-Ledger-Cursor 继续导出。）`,
  },
  en: {
    columns: [
      'Reference',
      'Case ID',
      'Association',
      'Credit code',
      'Fee',
      'Category',
      'Fee amount (yuan)',
      'Amount complained of (yuan)',
      'Refunded (yuan)',
      'Annual reduction (yuan)',
      'Stage',
      'Verdict',
      'Outcome',
      'Handling office',
      'Opened',
      'Decided',
      'Closed',
      'Overdue',
    ],
    yes: 'Yes',
    no: 'No',
    unassigned: 'Not yet classified',
    cut: (rows) =>
      `(The export reached its size limit and holds the first ${rows} cases only. Narrow the opening dates or add filters and export in parts, or continue with the cursor in the X-Ledger-Cursor header.)`,
  },
};

export const ledgerRow = (feeCase: FoundCase, language: OfficeLanguage): string => {
  const words = labels[language];
  const names = caseWords[language];
  return csvLine([
    feeCase.reference,
    feeCase.caseId,
    feeCase.association.name,
    feeCase.association.creditCode,
    feeCase.fee.name,
    names.category[feeCase.fee.category],
    formatYuan(feeCase.fee.amountFen),
    formatYuan(feeCase.claimedFen),
    formatYuan(feeCase.refundedFen),
    formatYuan(feeCase.reducedAnnualFen),
    names.stage[feeCase.stage],
    feeCase.verdict && (names.verdict[feeCase.verdict] ?? feeCase.verdict),
    feeCase.outcome && names.outcome[feeCase.outcome],
    feeCase.agency ? handlingOffice(feeCase.agency, feeCase.province, language).name : words.unassigned,
    csvDay(feeCase.openedAt),
    csvDay(feeCase.decidedAt),
    csvDay(feeCase.closedAt),
    feeCase.flags.includes('overdue') ? words.yes : words.no,
  ]);
};

/** What a Lambda answer spends on a piece of its body: the JSON string it is sent as. */
const encodedBytes = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

export interface CaseLedger {
  csv: string;
  /** Set when the export was cut: the same filters with this cursor continue after its last row. */
  cursor?: string;
}

export const caseLedger = async (
  deps: CaseSearchDeps & { bounds?: typeof ledgerBounds },
  principal: Principal,
  rawQuery: unknown,
  language: OfficeLanguage,
): Promise<CaseLedger> => {
  const bounds = deps.bounds ?? ledgerBounds;
  const { cursor, ...filters } = parseWith(LedgerQuery, rawQuery, 'query');
  const criteria = await criteriaFor(deps, principal, filters);
  let before = cursor === undefined ? undefined : decodeSearchCursor(criteria, cursor);
  const words = labels[language];
  const parts = [csvHeaderForPeople(words.columns)];
  let spent = encodedBytes(parts[0] ?? '');
  // Room kept for the closing row of a cut export.
  const budget = bounds.encodedBytes - encodedBytes(csvLine([words.cut(Number.MAX_SAFE_INTEGER)]));
  let rows = 0;
  if (criteria === undefined) return { csv: parts.join('') };
  for (let page = 0; page < bounds.pages; page++) {
    const found = await deps.search.searchCases(criteria, casesPerPage, before);
    for (const feeCase of found.cases) {
      const row = ledgerRow(feeCase, language);
      const cost = encodedBytes(row);
      if (spent + cost > budget)
        return cut(parts, words, rows, before && encodeSearchCursor(criteria, before));
      parts.push(row);
      spent += cost;
      rows += 1;
      before = searchPosition(feeCase);
    }
    if (found.next === undefined) return { csv: parts.join('') };
    before = found.next;
  }
  return cut(parts, words, rows, before && encodeSearchCursor(criteria, before));
};

const cut = (parts: string[], words: Labels, rows: number, cursor: string | undefined): CaseLedger => ({
  csv: parts.join('') + csvLine([words.cut(rows)]),
  ...(cursor ? { cursor } : {}),
});
