/**
 * The ranking of associations over HTTP, from cases the real workflow ran and the stream counted: a
 * branch's fee abolished and charged again by it and by its sibling, ranked for the province's regulator.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, claimsOf } from '#infra/local/campaign-fixtures';
import { registryEntryItem } from '#shared/adapters/dynamodb/association-registry';
import type { RegisteredAssociation } from '#shared/domain/association';
import { closeWithRefund, fileComplaint, newScenario, type Scenario } from '#test/support/campaign-actors';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let branch: Scenario;
let sibling: Scenario;
const parentCode = associationCode('11', 9_000_000 + Math.floor(Math.random() * 900_000));

const entry = (
  creditCode: string,
  name: string,
  memberCount: number,
  parent?: string,
): RegisteredAssociation => ({
  creditCode,
  name,
  level: 'PROVINCIAL',
  registeringAuthority: '北京市民政局',
  ...(parent ? { parentCreditCode: parent } : {}),
  memberCount,
  status: 'ACTIVE',
  province: '11',
  registeredAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

beforeAll(async () => {
  harness = await startTestRuntime();
  [branch, sibling] = await Promise.all([newScenario(harness), newScenario(harness)]);
  for (const association of [
    entry(parentCode, '北京市五金行业协会', 1_000),
    entry(branch.associationCode, '北京市五金行业协会工具分会', 200, parentCode),
    entry(sibling.associationCode, '北京市五金行业协会锁具分会', 0, parentCode),
  ])
    await harness.documentClient.send(
      new PutCommand({ TableName: harness.tableName, Item: registryEntryItem(association) }),
    );

  const first = await fileComplaint(harness, branch);
  await closeWithRefund(harness, branch, first.caseId, 750_000);
  // The same dues, charged again by the branch and by its sibling after the abolition.
  // (A different amount: the same complaint sent again would be a retry of the first.)
  const again = await fileComplaint(harness, branch, { amountFen: 600_000 });
  expect(again.caseId).not.toBe(first.caseId);
  await fileComplaint(harness, sibling);
  await harness.runtime.drainStreams();
}, 120_000);
afterAll(() => harness.stop());

const rank = async (token: string, query: string) => {
  const response = await harness.request('GET', `/api/metrics/associations${query}`, { token });
  return response;
};

describe('GET /api/metrics/associations', () => {
  it("ranks a province's associations with their cases, abolitions, refunds and recurrences", async () => {
    const { status, body } = await rank(branch.regulator, '?sort=recurrences&limit=100');

    const byCode = Object.fromEntries(
      body.items.map((item: { creditCode: string }) => [item.creditCode, item]),
    );
    expect(status).toBe(200);
    expect(body.province).toBe('11');
    expect(byCode[branch.associationCode]).toMatchObject({
      name: '北京市五金行业协会工具分会',
      cases: 2,
      abolishedFees: 1,
      refundedFen: 750_000,
      recurrences: 1,
      recurrencesSameAssociation: 1,
      memberCount: 200,
      casesPerThousandMembers: 10,
    });
    expect(byCode[sibling.associationCode]).toMatchObject({
      cases: 1,
      recurrences: 1,
      recurrencesOtherBranch: 1,
    });
    expect(byCode[parentCode]).toMatchObject({ cases: 0, familyRecurrences: 2, name: '北京市五金行业协会' });
  });

  it('ranks by cases per 1,000 members, an association without members after every known figure', async () => {
    const { body } = await rank(branch.regulator, '?sort=perThousandMembers&limit=100');

    const figures = body.items.map(
      (item: { casesPerThousandMembers: number | null }) => item.casesPerThousandMembers,
    );
    const known = figures.filter((figure: number | null) => figure !== null);
    expect(figures.slice(0, known.length)).toEqual([...known].sort((a, b) => b - a));
    expect(figures.slice(known.length).every((figure: number | null) => figure === null)).toBe(true);
    expect(figures.length).toBeGreaterThan(known.length);
  });

  it('pages through the ranking with the cursor, every association once and in order', async () => {
    const whole = await rank(branch.regulator, '?sort=cases&limit=100');
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?sort=cases&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const { body } = await rank(branch.regulator, query);
      paged.push(...body.items.map((item: { creditCode: string }) => item.creditCode));
      cursor = body.cursor;
    } while (cursor);

    expect(paged).toEqual(whole.body.items.map((item: { creditCode: string }) => item.creditCode));
    expect(paged.length).toBe(whole.body.total);
  });

  it("refuses a provincial regulator another province's ranking, and a cursor of another sort", async () => {
    const other = await harness.token(claimsOf.regulator('MCA', '44'));
    const { body } = await rank(branch.regulator, '?sort=cases&limit=1');

    const refused = await rank(other, '?province=11');
    const misused = await rank(branch.regulator, `?sort=refunds&cursor=${body.cursor}`);

    expect(refused.status).toBe(403);
    expect(misused.status).toBe(400);
  });

  it('lets the campaign admin rank one province or every province', async () => {
    const admin = await harness.token(claimsOf.admin());

    const province = await rank(admin, '?province=11&limit=100');
    const everywhere = await rank(admin, '?limit=100');

    expect(province.body.items.map((item: { province: string }) => item.province)).toContain('11');
    expect(everywhere.body.province).toBeNull();
    expect(everywhere.body.total).toBeGreaterThanOrEqual(province.body.total);
  });
});
