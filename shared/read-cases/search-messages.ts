/** Messages of case search and the ledger: the filters, a found case, a page, the CSV. */
import { FeeCategory } from '#shared/domain/complaint';
import { CreditCode, RegulatorProvince } from '#shared/domain/credit-code';
import { outcomes, stages } from '#shared/domain/fee-case';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import { agencies } from '#shared/domain/principal';
import { Reference } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { issueParams } from '#shared/domain/validation';
import { AssociationView } from '#shared/domain/views';

/** Verdicts a case records once decided (a request for information decides nothing). */
export const caseVerdicts = ['UNLAWFUL', 'REGULATED', 'DISMISSED'] as const;

const text = (description: string) =>
  z.optional(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(200)).register(z.globalRegistry, { description }),
  );

const day = (description: string) =>
  z.optional(
    z.iso
      .date({ message: 'must be a real date written YYYY-MM-DD' })
      .register(z.globalRegistry, { description }),
  );

const filters = {
  /** A case's reference or one of its complaints': either finds the case. */
  reference: z.optional(Reference),
  association: text("Text the association's name contains"),
  creditCode: z.optional(CreditCode),
  fee: text("Text the fee's name contains"),
  stage: z.optional(z.enum(stages)),
  verdict: z.optional(z.enum(caseVerdicts)),
  outcome: z.optional(z.enum(outcomes)),
  category: z.optional(FeeCategory),
  agency: z.optional(z.enum(agencies)),
  province: z.optional(RegulatorProvince),
  from: day('Opened on or after this day (China time)'),
  to: day('Opened on or before this day (China time)'),
  overdue: z.optional(
    z.enum(['true', 'false']).register(z.globalRegistry, {
      description: 'Only cases with (true) or without (false) an overdue task',
    }),
  ),
  cursor: PageCursor,
};

const datesInOrder = z.refine<{ from?: string; to?: string }>(
  (query) => !query.from || !query.to || query.from <= query.to,
  {
    path: ['to'],
    message: 'must not be before from',
    params: issueParams('date_order'),
  },
);

export const SearchCasesQuery = z
  .strictObject({ ...filters, limit: PageLimit })
  .check(datesInOrder)
  .register(z.globalRegistry, {
    id: 'SearchCasesQuery',
    description:
      "Filters, all optional and combined; a filter outside the caller's jurisdiction finds nothing. " +
      "`reference` may be the case's or one of its complaints' and finds at most that case, on one page",
  });
export type SearchCasesQuery = z.infer<typeof SearchCasesQuery>;

/** The same filters for the ledger, which reads as many pages as its size bound allows. */
export const LedgerQuery = z.strictObject(filters).check(datesInOrder).register(z.globalRegistry, {
  id: 'LedgerQuery',
  description: 'The filters of case search; `cursor` continues an export that was cut',
});

export const FoundCaseView = z
  .object({
    caseId: z.string(),
    reference: z.optional(z.string()),
    association: AssociationView,
    fee: z.object({ name: z.string(), category: FeeCategory, amountFen: z.int() }),
    stage: z.enum(stages),
    verdict: z.optional(z.string()),
    outcome: z.optional(z.enum(outcomes)),
    /** Absent until the case is classified. */
    agency: z.optional(z.enum(agencies)),
    province: z.string(),
    handlingOffice: z.optional(
      z
        .object({ agency: z.enum(agencies), province: z.string(), name: z.string() })
        .register(z.globalRegistry, {
          description: "The office handling the case, named in the caller's language",
        }),
    ),
    openedAt: z.iso.datetime(),
    overdue: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'FoundCase' });
export type FoundCaseView = z.infer<typeof FoundCaseView>;

export const CaseSearchResult = z
  .object({
    items: z.array(FoundCaseView),
    cursor: z.nullable(
      z.string().register(z.globalRegistry, {
        description:
          'Where the next page starts; null when nothing more can match. A page reads a bounded number of ' +
          'cases, so it may hold fewer than `limit` (even none) while a cursor says more may follow',
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'CaseSearchResult', description: 'Cases found, newest first' });

/** The ledger: what the document says of it, since the CSV is written row by row, not parsed. */
export const CaseLedgerCsv = z.string().register(z.globalRegistry, {
  id: 'CaseLedgerCsv',
  description:
    'The ledger (台账): UTF-8 with a byte order mark, RFC 4180 CSV with a header row, one row per case; ' +
    'Chinese headers and labels for zh-CN callers. An export cut at the size bound ends with a row saying ' +
    'so, and the `X-Ledger-Cursor` header continues it',
});
