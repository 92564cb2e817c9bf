/**
 * The ranking of associations in the portal, in headless Chromium against the local runtime: a
 * regulator reaches it from the dashboard, sees its province's associations ranked by cases, re-sorts
 * by cases per 1,000 members from the table's header, and the page passes axe at 360 px in both
 * languages; an association is kept out.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { registryEntryItem } from '#shared/adapters/dynamodb/association-registry';
import type { RegisteredAssociation } from '#shared/domain/association';
import { fileComplaint, newScenario } from '#test/support/campaign-actors';
import {
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  open,
  pollPage,
  signIn,
  visibleText,
} from '#test/web/browser';
import { usePortal } from '#test/web/portal-harness';

announceSkip('test/web/association-ranking.test.ts');

const registered = (creditCode: string, name: string, memberCount: number): RegisteredAssociation => ({
  creditCode,
  name,
  level: 'PROVINCIAL',
  registeringAuthority: '北京市民政局',
  memberCount,
  status: 'ACTIVE',
  province: '11',
  registeredAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** The association names of the ranking's rows, top first. */
const rankedNames = (page: Page) =>
  page
    .locator('main table tbody tr td:nth-child(2) .cell > span')
    .evaluateAll((cells) => cells.map((cell) => cell.firstChild?.textContent ?? ''));

describe.skipIf(!hasChromium)('the ranking of associations in headless Chromium', () => {
  const portal = usePortal();

  it('ranks the province’s associations by cases, then per 1,000 members from the header', {
    timeout: 120_000,
  }, async () => {
    // Arrange: a large association with two cases, a small one with one.
    const [large, small] = await Promise.all([newScenario(portal.harness), newScenario(portal.harness)]);
    for (const entry of [
      registered(large.associationCode, 'Beijing Hardware Association', 1_000),
      registered(small.associationCode, 'Beijing Locksmiths Association', 100),
    ])
      await portal.harness.documentClient.send(
        new PutCommand({ TableName: portal.harness.tableName, Item: registryEntryItem(entry) }),
      );
    await fileComplaint(portal.harness, large, { feeName: 'Annual dues' });
    await fileComplaint(portal.harness, large, { feeName: 'Training fee', category: 'MEETING_TRAINING' });
    await fileComplaint(portal.harness, small, { feeName: 'Annual dues' });
    await portal.harness.runtime.drainStreams();
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await open(regulator.page, portal.base, '/dashboard');

    // Act
    await regulator.page.getByRole('link', { name: 'Associations to watch: ranking' }).click();
    await pollPage(
      regulator.page,
      portal.base,
      '/dashboard/associations?sort=cases',
      async (page) => (await rankedNames(page)).length === 2,
    );
    const byCases = await rankedNames(regulator.page);
    const sortedHeader = await regulator.page.locator('main th[aria-sort="descending"]').textContent();
    await regulator.page.getByRole('link', { name: 'Cases per 1,000 members' }).click();
    await regulator.page.locator('main th[aria-sort="descending"]', { hasText: 'per 1,000' }).waitFor();
    const perThousand = await rankedNames(regulator.page);
    const topFigure = await regulator.page
      .locator('main tbody tr')
      .first()
      .locator('td')
      .last()
      .textContent();
    const findings = await auditAtPhoneWidth(regulator.page, 'association-ranking');

    // Assert
    expect(byCases).toEqual(['Beijing Hardware Association', 'Beijing Locksmiths Association']);
    expect(sortedHeader).toBe('Complaint cases');
    expect(perThousand).toEqual(['Beijing Locksmiths Association', 'Beijing Hardware Association']);
    expect(topFigure).toBe('10');
    expect(findings).toEqual([]);
    expect(regulator.problems).toEqual([]);
  });

  it('keeps associations out of the ranking', { timeout: 60_000 }, async () => {
    const scenario = await newScenario(portal.harness);
    const association = await portal.person();
    await signIn(association.page, portal.base, {
      role: 'association',
      creditCode: scenario.associationCode,
    });

    await association.page.goto(`${portal.base}/#/dashboard/associations`);
    await association.page.locator('main[data-rendered]').waitFor();

    expect(await visibleText(association.page.locator('main'))).not.toContain('Associations to watch');
    expect(await association.page.locator('main table').count()).toBe(0);
  });
});
