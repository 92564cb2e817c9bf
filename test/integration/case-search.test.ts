/**
 * Case search on DynamoDB Local: following the cursors finds exactly the cases a caller may read that
 * match the filters, newest first, each once; every page costs a bounded number of reads; the ledger
 * is the same cases as CSV, cut at its bound with a cursor that continues it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { associationCode } from '#infra/local/campaign-fixtures';
import { DynamoCaseSearch } from '#shared/adapters/dynamodb/case-search';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { caseItem } from '#shared/adapters/dynamodb/items';
import { referenceKey } from '#shared/adapters/dynamodb/keys';
import type { FeeCategory } from '#shared/domain/complaint';
import type { FeeCase, Stage } from '#shared/domain/fee-case';
import { regulatorHasJurisdiction } from '#shared/domain/jurisdiction';
import type { Agency, Principal } from '#shared/domain/principal';
import { caseLedger } from '#shared/read-cases/case-ledger';
import { searchCases } from '#shared/read-cases/search-cases';
import { aFeeCase, principals } from '#test/support/fakes/records';
import { useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();

/** Counts the reads each search page sends. */
let reads = 0;
documentClient.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'QueryCommand' || context.commandName === 'GetItemCommand') reads += 1;
    return next(args);
  },
  { step: 'initialize', name: 'countReads' },
);
const search = {
  search: new DynamoCaseSearch(documentClient, tableName),
  references: new DynamoComplaintReads(documentClient, tableName),
};

const agencies: (Agency | undefined)[] = ['MCA', 'SAMR', undefined, 'MCA', 'NDRC'];
const provinces = ['11', '11', '31', '44'];
const stages: Stage[] = ['RECEIVED', 'UNDER_REVIEW', 'RECTIFYING', 'CLOSED'];
const categories: FeeCategory[] = ['MEMBERSHIP_DUES', 'MEETING_TRAINING', 'OTHER'];
const start = Date.parse('2026-01-10T00:00:00.000Z');

/** 90 cases, one opened every 7 hours, spread over agencies, provinces, stages and categories. */
const cases: FeeCase[] = Array.from({ length: 90 }, (_, i) => {
  const agency = agencies[i % agencies.length];
  const stage = agency ? (stages[i % stages.length] as Stage) : 'RECEIVED';
  const openedAt = new Date(start + i * 7 * 3_600_000).toISOString();
  return aFeeCase({
    caseId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    province: provinces[i % provinces.length] as string,
    ...(agency ? { agency } : {}),
    stage,
    association: {
      name: i % 3 === 0 ? `南方物流协会 ${i}` : `Widget Association ${i}`,
      creditCode: associationCode('11', i % 9 === 0 ? 1 : 100 + i),
      province: provinces[i % provinces.length] as string,
    },
    fee: {
      ...aFeeCase().fee,
      name: i % 2 ? '=会费 2026' : 'Training fee',
      category: categories[i % 3] as FeeCategory,
    },
    flags: i % 4 === 0 ? ['overdue'] : [],
    openedAt,
    updatedAt: openedAt,
    ...(stage === 'CLOSED' ? { verdict: 'UNLAWFUL', outcome: 'ABOLISHED', closedAt: openedAt } : {}),
  });
});

const mayRead = (principal: Principal, feeCase: FeeCase) =>
  principal.role === 'campaign-admin' ||
  (principal.role === 'regulator' && regulatorHasJurisdiction(principal, feeCase));

/** Every page of a search, following its cursors; the reads each page sent. */
const allPages = async (principal: Principal, query: Record<string, string>) => {
  const pages: { ids: string[]; reads: number }[] = [];
  let cursor: string | null = null;
  do {
    reads = 0;
    const page: { items: { caseId: string }[]; cursor: string | null } = await searchCases(
      search,
      principal,
      { ...query, ...(cursor ? { cursor } : {}) },
      'zh-CN',
    );
    pages.push({ ids: page.items.map((item) => item.caseId), reads });
    cursor = page.cursor;
  } while (cursor && pages.length < 200);
  return pages;
};

const newestFirst = (found: FeeCase[]) =>
  [...found].sort((a, b) => b.openedAt.localeCompare(a.openedAt)).map((feeCase) => feeCase.caseId);

/** The lookup items the intake writes: a complaint's reference on case 0 (Beijing), case 3's own (Guangdong). */
const complaintReference = '2026-11-000100';
const guangdongReference = '2026-44-000003';
const referenceItems = [
  { reference: complaintReference, caseId: cases[0]?.caseId, complaintId: 'complaint-100' },
  { reference: guangdongReference, caseId: cases[3]?.caseId },
].map((target) => ({ ...referenceKey(target.reference), entity: 'Reference', ...target }));

beforeAll(async () => {
  await Promise.all(
    [...cases.map(caseItem), ...referenceItems].map((Item) =>
      documentClient.send(new PutCommand({ TableName: tableName, Item })),
    ),
  );
});

describe('searchCases over DynamoDB Local', () => {
  const provincial = principals.regulator as Principal;
  const national = principals.nationalRegulator as Principal;
  const admin = principals.admin as Principal;

  it.each([
    ['a provincial regulator, no filter', provincial, {}, () => true],
    ['a national regulator, no filter', national, {}, () => true],
    ['a campaign admin, no filter', admin, {}, () => true],
    ['a campaign admin, one province', admin, { province: '11' }, (c: FeeCase) => c.province === '11'],
    ['a campaign admin, one agency', admin, { agency: 'SAMR' }, (c: FeeCase) => c.agency === 'SAMR'],
    ['a national regulator, a stage', national, { stage: 'CLOSED' }, (c: FeeCase) => c.stage === 'CLOSED'],
    ['an admin, overdue', admin, { overdue: 'true' }, (c: FeeCase) => c.flags.includes('overdue')],
    ['an admin, not overdue', admin, { overdue: 'false' }, (c: FeeCase) => !c.flags.includes('overdue')],
    [
      'an admin, a category and a fee name',
      admin,
      { category: 'OTHER', fee: '会费' },
      (c: FeeCase) => c.fee.category === 'OTHER' && c.fee.name.includes('会费'),
    ],
    ['an admin, a name', admin, { association: '南方' }, (c: FeeCase) => c.association.name.includes('南方')],
    [
      'a regulator, a credit code',
      national,
      { creditCode: associationCode('11', 1) },
      (c: FeeCase) => c.association.creditCode === associationCode('11', 1),
    ],
    [
      'an admin, a date range (China days)',
      admin,
      { from: '2026-01-12', to: '2026-01-15' },
      (c: FeeCase) => c.openedAt >= '2026-01-11T16:00:00.000Z' && c.openedAt < '2026-01-15T16:00:00.000Z',
    ],
    [
      'an admin, a verdict and an outcome',
      admin,
      { verdict: 'UNLAWFUL', outcome: 'ABOLISHED' },
      (c: FeeCase) => c.outcome === 'ABOLISHED',
    ],
  ] as const)(
    'finds for %s exactly the matching cases it may read, newest first',
    async (_who, principal, query, matches) => {
      // Arrange
      const expected = newestFirst(cases.filter((c) => mayRead(principal, c) && matches(c)));

      // Act
      const pages = await allPages(principal, { ...query, limit: '7' });

      // Assert
      expect(pages.flatMap((page) => page.ids)).toEqual(expected);
    },
  );

  it('reads each partition once per page, whatever the filter passes over', async () => {
    // Arrange: an admin's search reads four partitions (three agencies and the unclassified)

    // Act
    const pages = await allPages(admin, { fee: 'no such fee', limit: '5' });

    // Assert
    expect(pages.every((page) => page.reads === 4)).toBe(true);
    expect(pages.flatMap((page) => page.ids)).toEqual([]);
  });

  it('finds nothing for a filter outside the jurisdiction', async () => {
    // Act
    const otherProvince = await searchCases(search, provincial, { province: '44' }, 'zh-CN');
    const otherAgency = await searchCases(search, provincial, { agency: 'SAMR' }, 'zh-CN');

    // Assert
    expect([otherProvince, otherAgency]).toEqual([
      { items: [], cursor: null },
      { items: [], cursor: null },
    ]);
  });

  it("finds the case a complaint's reference names, on one page without a cursor, in two reads", async () => {
    // Act
    const pages = await allPages(provincial, { reference: complaintReference });

    // Assert
    expect(pages).toEqual([{ ids: [cases[0]?.caseId], reads: 2 }]);
  });

  it("finds nothing for a provincial regulator given another province's case reference", async () => {
    // Act
    const [beijing, everywhere] = await Promise.all(
      [provincial, admin].map((principal) =>
        searchCases(search, principal, { reference: guangdongReference }, 'en'),
      ),
    );

    // Assert
    expect(beijing).toEqual({ items: [], cursor: null });
    expect(everywhere?.items.map((item) => item.caseId)).toEqual([cases[3]?.caseId]);
  });

  it('finds nothing when the case a reference names fails another filter', async () => {
    // Act
    const found = await Promise.all(
      [{ stage: 'CLOSED' }, { to: '2026-01-01' }, { overdue: 'false' }].map((filter) =>
        searchCases(search, admin, { reference: complaintReference, ...filter }, 'en'),
      ),
    );

    // Assert
    expect(found.flatMap((page) => page.items)).toEqual([]);
  });

  it('finds nothing for a reference nobody was given', async () => {
    // Act
    const pages = await allPages(admin, { reference: '2026-11-999999' });

    // Assert
    expect(pages).toEqual([{ ids: [], reads: 1 }]);
  });

  it('refuses a cursor handed out for other filters', async () => {
    // Arrange
    const first = await searchCases(search, admin, { limit: '2' }, 'zh-CN');

    // Act
    const reused = searchCases(
      search,
      admin,
      { limit: '2', stage: 'CLOSED', cursor: first.cursor ?? '' },
      'zh-CN',
    );

    // Assert
    await expect(reused).rejects.toMatchObject({ issues: [{ path: 'cursor', code: 'unknown_cursor' }] });
  });
});

describe('caseLedger over DynamoDB Local', () => {
  const admin = principals.admin as Principal;

  it('continues a cut export with its cursor, each case once', async () => {
    // Arrange: room for about 30 rows
    const bounded = { ...search, bounds: { encodedBytes: 9_000, pages: 100 } };
    const rowsOf = (csv: string) => csv.split('\r\n').filter((line) => /^[^,]*,0000/.test(line));

    // Act
    const parts: string[][] = [];
    let cursor: string | undefined;
    do {
      const ledger = await caseLedger(bounded, admin, cursor ? { cursor } : {}, 'en');
      parts.push(rowsOf(ledger.csv));
      cursor = ledger.cursor;
    } while (cursor && parts.length < 20);

    // Assert
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat().map((row) => row.split(',')[1])).toEqual(newestFirst(cases));
  });

  it("writes the one row of the case a complaint's reference names", async () => {
    // Act
    const ledger = await caseLedger(search, admin, { reference: complaintReference }, 'en');

    // Assert
    expect(ledger.csv.split('\r\n').map((row) => row.split(',')[1])).toEqual([
      'Case ID',
      cases[0]?.caseId,
      undefined,
    ]);
  });
});
