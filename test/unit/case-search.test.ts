/**
 * Case search's rules without a table: which scopes each caller searches, how filters narrow them,
 * and what the ledger writes (BOM, headers and labels by language, yuan, China dates, the cut).
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/domain/principal';
import {
  type CaseSearch,
  type CaseSearchCriteria,
  type FoundCase,
  searchPosition,
} from '#shared/ports/case-search';
import type { ComplaintReads, ReferenceTarget } from '#shared/ports/complaints';
import { caseLedger, ledgerRow } from '#shared/read-cases/case-ledger';
import { criteriaFor, scopesFor, searchCases } from '#shared/read-cases/search-cases';
import { aClassifiedCase, principals } from '#test/support/fakes/records';

/** Hands out the cases given, newest first, `limit` at a time, recording what it was asked. */
class ListedCases implements CaseSearch {
  readonly asked: CaseSearchCriteria[] = [];
  constructor(private readonly cases: FoundCase[]) {}

  async searchCases(criteria: CaseSearchCriteria, limit: number, after?: string) {
    this.asked.push(criteria);
    const rest = this.cases.filter((feeCase) => after === undefined || searchPosition(feeCase) < after);
    const page = rest.slice(0, limit);
    const last = page.at(-1);
    return { cases: page, ...(rest.length > limit && last ? { next: searchPosition(last) } : {}) };
  }
}

/** The reference lookup items the intake writes: a reference and the case (and complaint) it names. */
class KnownReferences implements Pick<ComplaintReads, 'findReference'> {
  constructor(private readonly targets: ReferenceTarget[] = []) {}

  async findReference(reference: string) {
    return this.targets.find((target) => target.reference === reference);
  }
}

const noReferences = new KnownReferences();

const cases = (count: number): FoundCase[] =>
  Array.from({ length: count }, (_, i) =>
    aClassifiedCase({
      caseId: `case-${String(count - i).padStart(4, '0')}`,
      openedAt: new Date(Date.UTC(2026, 0, 1) + (count - i) * 3_600_000).toISOString(),
    }),
  );

describe('scopesFor', () => {
  it('gives a provincial regulator its office and the unclassified cases of its province', () => {
    expect(scopesFor(principals.regulator as Principal, {})).toEqual([
      { agency: 'MCA', province: '11' },
      { agency: 'UNCLASSIFIED', province: '11' },
    ]);
  });

  it('gives a national regulator its agency and the unclassified cases in every province', () => {
    expect(scopesFor(principals.nationalRegulator as Principal, {})).toEqual([
      { agency: 'MCA' },
      { agency: 'UNCLASSIFIED' },
    ]);
  });

  it('narrows a campaign admin to the agency and province asked for', () => {
    expect(scopesFor(principals.admin as Principal, { agency: 'SAMR', province: '44' })).toEqual([
      { agency: 'SAMR', province: '44' },
    ]);
  });

  it('leaves nothing for an agency or province outside the jurisdiction', () => {
    const regulator = principals.regulator as Principal;

    expect([scopesFor(regulator, { agency: 'SAMR' }), scopesFor(regulator, { province: '44' })]).toEqual([
      [],
      [],
    ]);
  });

  it('refuses callers who do not search cases', () => {
    expect(() => scopesFor(principals.enterprise as Principal, {})).toThrow(/Only regulators/);
  });
});

describe('criteriaFor', () => {
  const references = new KnownReferences([
    { reference: '2026-11-000007', caseId: 'case-7' },
    { reference: '2026-11-000008', caseId: 'case-7', complaintId: 'complaint-8' },
  ]);

  it('turns China days into instants: from the start of the first to the start of the day after the last', async () => {
    const criteria = await criteriaFor({ references: noReferences }, principals.admin as Principal, {
      from: '2026-03-01',
      to: '2026-03-31',
    });

    expect(criteria).toMatchObject({
      openedFrom: '2026-02-28T16:00:00.000Z',
      openedBefore: '2026-03-31T16:00:00.000Z',
    });
  });

  it.each([
    ['a case reference', '2026-11-000007'],
    ["a complaint's reference", '2026-11-000008'],
  ])('reads the one case %s names by its key, within the caller’s scopes', async (_what, reference) => {
    const criteria = await criteriaFor({ references }, principals.regulator as Principal, { reference });

    expect(criteria).toEqual({
      scopes: scopesFor(principals.regulator as Principal, {}),
      caseId: 'case-7',
    });
  });

  it('leaves nothing to ask for an unknown reference', async () => {
    const criteria = await criteriaFor({ references }, principals.admin as Principal, {
      reference: '2026-11-000009',
    });

    expect(criteria).toBeUndefined();
  });
});

describe('searchCases', () => {
  it.each([
    ['2026-11-00001', 'five digits'],
    ['2026-11-0000000001', 'ten digits'],
    ['11-2026-000001', 'province first'],
  ])('refuses the reference %s (%s) naming the field', async (reference) => {
    const search = new ListedCases(cases(1));

    const found = searchCases(
      { search, references: noReferences },
      principals.admin as Principal,
      { reference },
      'zh-CN',
    );

    await expect(found).rejects.toMatchObject({ issues: [{ path: 'reference' }] });
    expect(search.asked).toEqual([]);
  });

  it('accepts a reference whose sequence outgrew six digits', async () => {
    // Arrange
    const search = new ListedCases([]);
    const references = new KnownReferences([{ reference: '2026-44-123456789', caseId: 'case-1' }]);

    // Act
    const found = await searchCases(
      { search, references },
      principals.admin as Principal,
      { reference: '2026-44-123456789' },
      'zh-CN',
    );

    // Assert
    expect(found).toEqual({ items: [], cursor: null });
    expect(search.asked).toMatchObject([{ caseId: 'case-1' }]);
  });
});

describe('ledgerRow', () => {
  const decided = aClassifiedCase({
    caseId: 'case-1',
    reference: '2026-11-000001',
    stage: 'CLOSED',
    verdict: 'UNLAWFUL',
    outcome: 'ABOLISHED',
    refundedFen: 123_456,
    fee: { ...aClassifiedCase().fee, name: '+会费' },
    decidedAt: '2026-06-02T17:00:00.000Z',
    closedAt: '2026-06-30T16:30:00.000Z',
    flags: ['overdue'],
  } as Partial<FoundCase>);

  it('writes labels, yuan, China dates and the office in Chinese for a Chinese caller', () => {
    expect(ledgerRow(decided, 'zh-CN').split(',')).toEqual([
      '2026-11-000001',
      'case-1',
      'Widget Industry Association',
      aClassifiedCase().association.creditCode,
      "'+会费",
      '会费',
      '5000.00',
      '5000.00',
      '1234.56',
      '0.00',
      '已办结',
      '违规收费',
      '收费已取消',
      '北京市民政局',
      '2026-06-01',
      '2026-06-03',
      '2026-07-01',
      '是\r\n',
    ]);
  });

  it('writes them in English for an English caller', () => {
    expect(ledgerRow(decided, 'en')).toContain(
      ',Closed,Unlawful,Abolished,Beijing Municipal Civil Affairs Bureau,',
    );
  });
});

describe('caseLedger', () => {
  it('starts with a byte order mark and the headers in the caller’s language', async () => {
    const ledger = await caseLedger(
      { search: new ListedCases([]), references: noReferences },
      principals.admin as Principal,
      {},
      'zh-CN',
    );

    expect(ledger).toEqual({
      csv: '\uFEFF案件编号,案件ID,协会名称,统一社会信用代码,收费项目,收费类别,收费金额（元）,投诉涉及金额（元）,已退还金额（元）,每年减负金额（元）,办理阶段,认定结论,办理结果,承办机关,立案日期,认定日期,办结日期,是否逾期\r\n',
    });
  });

  it('stops at its size bound with a closing row and a cursor that continues after the last row', async () => {
    // Arrange
    const search = new ListedCases(cases(250));
    const bounds = { encodedBytes: 20_000, pages: 100 };

    // Act
    const parts: { csv: string; cursor?: string }[] = [];
    do {
      const cursor = parts.at(-1)?.cursor;
      parts.push(
        await caseLedger(
          { search, references: noReferences, bounds },
          principals.admin as Principal,
          cursor ? { cursor } : {},
          'en',
        ),
      );
    } while (parts.at(-1)?.cursor && parts.length < 10);

    // Assert
    const ids = (csv: string) => csv.split('\r\n').flatMap((line) => /^,(case-\d+),/.exec(line)?.[1] ?? []);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]?.csv).toMatch(/The export reached its size limit and holds the first \d+ cases only/);
    expect(parts.every((part) => Buffer.byteLength(JSON.stringify(part.csv)) <= bounds.encodedBytes)).toBe(
      true,
    );
    expect(parts.flatMap((part) => ids(part.csv))).toEqual(cases(250).map((c) => c.caseId));
  });

  it('stops after its number of pages when a filter keeps pages sparse', async () => {
    const ledger = await caseLedger(
      {
        search: new ListedCases(cases(450)),
        references: noReferences,
        bounds: { encodedBytes: 5_000_000, pages: 2 },
      },
      principals.admin as Principal,
      {},
      'zh-CN',
    );

    expect(ledger.cursor).toBeDefined();
    expect(ledger.csv).toContain('本文件仅含前 200 条');
  });

  it('writes only the headers for filters outside the jurisdiction, asking the store nothing', async () => {
    const search = new ListedCases(cases(3));

    const ledger = await caseLedger(
      { search, references: noReferences },
      principals.regulator as Principal,
      { province: '44' },
      'en',
    );

    expect(ledger.csv.split('\r\n').filter(Boolean)).toHaveLength(1);
    expect(search.asked).toEqual([]);
  });
});
