/**
 * Government offices by their official names, and what officials read written as a person would write
 * it (issue 16, points 1, 2 and 12), in headless Chromium against the local runtime: a Guangdong case
 * decided by 广东省民政厅 and a Beijing review assigned by the campaign admin, read in both languages on
 * the inbox, the case page, the orders, the case search, the complaint, the dashboard filters and the
 * transfer form. No page shows an agency or province code, a sign-in's subject or JSON, or scrolls
 * sideways at 360 px.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  type Scenario,
} from '#test/support/campaign-actors';
import {
  announceSkip,
  hasChromium,
  horizontalOverflow,
  open,
  pollPage,
  rendered,
  signIn,
  visibleText,
} from '#test/web/browser';
import { usePortal } from '#test/web/portal-harness';

announceSkip('test/web/government-names.test.ts');

/** The Guangdong case, decided and ordered to rectify, and the Beijing case whose review is assigned. */
let guangdong: Scenario;
let guangdongCase: { caseId: string; complaintId: string };
let beijingCase: { caseId: string };

const officer = 'local:regulator:MCA:11:zhang';

const text = (page: Page) => visibleText(page.locator('main'));
const caseRoute = (caseId: string) => `/cases/${encodeURIComponent(caseId)}`;

/** Switches the portal to `language` (it keeps the page) and waits for the page to render again. */
const inLanguage = async (page: Page, language: 'en' | 'zh-CN') => {
  if ((await page.evaluate(() => document.documentElement.lang)) === language) return;
  await page.locator('button.lang-switch').click();
  await page.waitForFunction(
    (want) =>
      document.documentElement.lang === want &&
      document.querySelector('main')?.dataset.rendered !== undefined,
    language,
  );
};

/** What no page may show a person: codes of agencies or provinces, sign-in subjects, JSON. */
const rawData = (seen: string): string[] =>
  [/\b(MCA|SAMR|NDRC)\b/, /local:(regulator|enterprise|association|admin)/, /\{"/, /\((00|11|44)\)/].flatMap(
    (pattern) => (pattern.test(seen) ? [`${pattern}: ${seen.match(pattern)?.[0]}`] : []),
  );

/** The page in both languages at 360 px: its text, and how far it scrolls sideways. */
/**
 * What a desk (1280 px) and a phone (360 px) show, one after the other: a phone's cards leave out
 * columns (the office of one's own inbox), and neither may show raw codes; the overflow is the phone's.
 */
const readInBothLanguages = async (page: Page) => {
  const seen: Record<string, { text: string; overflow: number }> = {};
  for (const language of ['zh-CN', 'en'] as const) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await inLanguage(page, language);
    const desk = await text(page);
    await page.setViewportSize({ width: 360, height: 780 });
    seen[language] = { text: `${desk}\n${await text(page)}`, overflow: await horizontalOverflow(page) };
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return seen as Record<'zh-CN' | 'en', { text: string; overflow: number }>;
};

describe.skipIf(!hasChromium)('government names and what officials read, in headless Chromium', () => {
  const portal = usePortal();

  beforeAll(async () => {
    // A Guangdong association's dues, found unlawful by 广东省民政厅 and ordered to rectify.
    guangdong = await newScenario(portal.harness, 'MCA', '44');
    guangdongCase = await fileComplaint(portal.harness, guangdong, { feeName: 'Guangdong dues' });
    const review = await openTaskOf(portal.harness, guangdong.regulator, guangdongCase.caseId, 'REVIEW');
    const decided = await completeTask(portal.harness, guangdong.regulator, review.taskId, decisions.abolish);
    if (decided.status !== 200) throw new Error(`review not completed: ${decided.status} ${decided.text}`);
    await openTaskOf(portal.harness, guangdong.association, guangdongCase.caseId, 'RECTIFICATION');
    // A Beijing review the campaign admin gives to an officer.
    const beijing = await newScenario(portal.harness, 'MCA', '11');
    beijingCase = await fileComplaint(portal.harness, beijing, { feeName: 'Beijing dues' });
    const beijingReview = await openTaskOf(portal.harness, beijing.regulator, beijingCase.caseId, 'REVIEW');
    const assigned = await portal.harness.request(
      'POST',
      `/api/tasks/${encodeURIComponent(beijingReview.taskId)}/assign`,
      { token: beijing.admin, body: { assignee: officer } },
    );
    if (assigned.status !== 200) throw new Error(`review not assigned: ${assigned.status} ${assigned.text}`);
  }, 120_000);

  it('titles a provincial inbox with its office and names the office of each task', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '44' });
    const row = regulator.page.locator('main table tbody tr', { hasText: 'Guangdong dues' });
    await pollPage(
      regulator.page,
      portal.base,
      '/inbox?status=COMPLETED',
      async () => (await row.count()) > 0,
    );

    // Act
    const seen = await readInBothLanguages(regulator.page);

    // Assert
    expect(seen['zh-CN'].text).toContain('广东省民政厅待办任务');
    expect(seen['zh-CN'].text).toMatch(/承办机关[\s\S]*广东省民政厅/);
    expect(seen.en.text).toContain('Task inbox of the Department of Civil Affairs of Guangdong Province');
    expect([...rawData(seen['zh-CN'].text), ...rawData(seen.en.text)]).toEqual([]);
    expect([seen['zh-CN'].overflow, seen.en.overflow]).toEqual([0, 0]);
    expect(regulator.problems).toEqual([]);
  });

  it('names the handling office on a Guangdong case, the decision in words and the actors by role and office', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '44' });
    await open(regulator.page, portal.base, caseRoute(guangdongCase.caseId));

    // Act
    const seen = await readInBothLanguages(regulator.page);

    // Assert
    const zh = seen['zh-CN'].text;
    expect(zh).toMatch(/主管部门\s+广东省民政厅/);
    expect(zh).not.toMatch(/主管部门\s+民政部/);
    expect(zh).toMatch(/认定\s+违规收费/);
    expect(zh).toContain('R01 强制入会');
    expect(zh).toContain('广东省民政厅工作人员');
    expect(zh).toContain('系统');
    expect(zh).toContain('投诉企业');
    expect(seen.en.text).toMatch(/Agency\s+Department of Civil Affairs of Guangdong Province/);
    expect(seen.en.text).toContain('Staff of the Department of Civil Affairs of Guangdong Province');
    expect(seen.en.text).toMatch(/Verdict\s+Unlawful/);
    expect([...rawData(zh), ...rawData(seen.en.text)]).toEqual([]);
    expect([seen['zh-CN'].overflow, seen.en.overflow]).toEqual([0, 0]);
    expect(regulator.problems).toEqual([]);
  });

  it('shows the unfiltered admin inbox with the open tasks on its first page, holders by their office', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const admin = await portal.person();
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    const row = admin.page.locator('main table tbody tr', { hasText: 'Beijing dues' });
    await pollPage(admin.page, portal.base, '/inbox', async () => (await row.count()) === 1);

    // Act
    const seen = await readInBothLanguages(admin.page);

    // Assert
    expect(await visibleText(row)).toContain('Staff of the Beijing Municipal Civil Affairs Bureau');
    expect(seen['zh-CN'].text).toContain('北京市民政局工作人员');
    expect(seen['zh-CN'].text).toContain('广东省民政厅');
    expect([...rawData(seen['zh-CN'].text), ...rawData(seen.en.text)]).toEqual([]);
    expect([seen['zh-CN'].overflow, seen.en.overflow]).toEqual([0, 0]);
    expect(admin.problems).toEqual([]);
  });

  it('tells the admin who assigned and who holds a review without a sign-in subject', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const admin = await portal.person();
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    await open(admin.page, portal.base, caseRoute(beijingCase.caseId));

    // Act
    const seen = await readInBothLanguages(admin.page);

    // Assert
    expect(seen['zh-CN'].text).toContain('管理员');
    expect(seen['zh-CN'].text).toContain('北京市民政局工作人员');
    expect(seen.en.text).toContain('Held by: Staff of the Beijing Municipal Civil Affairs Bureau');
    expect(seen.en.text).not.toContain(officer);
    expect([...rawData(seen['zh-CN'].text), ...rawData(seen.en.text)]).toEqual([]);
    expect(admin.problems).toEqual([]);
  });

  it('offers transfer targets and dashboard filters by official names', { timeout: 60_000 }, async () => {
    // Arrange
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await open(regulator.page, portal.base, caseRoute(beijingCase.caseId));
    await inLanguage(regulator.page, 'zh-CN');
    const admin = await portal.person();
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    await open(admin.page, portal.base, '/dashboard');
    await inLanguage(admin.page, 'zh-CN');

    // Act
    const transferAgencies = await regulator.page.getByLabel('接收部门').locator('option').allTextContents();
    const transferProvinces = await regulator.page
      .getByLabel('接收机关所在省份')
      .locator('option')
      .allTextContents();
    const filterProvinces = await admin.page
      .getByLabel('省份', { exact: true })
      .locator('option')
      .allTextContents();
    const filterAgencies = await admin.page
      .getByLabel('主管部门', { exact: true })
      .locator('option')
      .allTextContents();

    // Assert
    expect(transferAgencies).toEqual(
      expect.arrayContaining(['民政部', '国家市场监督管理总局', '国家发展和改革委员会']),
    );
    expect(transferProvinces).toEqual(
      expect.arrayContaining(['广东省', '北京市', '广西壮族自治区', '内蒙古自治区']),
    );
    expect(filterProvinces).toContain('广东省');
    expect(filterAgencies).toContain('国家市场监督管理总局');
    expect(
      rawData([...transferAgencies, ...transferProvinces, ...filterProvinces, ...filterAgencies].join('\n')),
    ).toEqual([]);
    expect([...regulator.problems, ...admin.problems]).toEqual([]);
  });

  it('shows the orders, the case search and the complaint without codes, and without sideways scrolling', {
    timeout: 90_000,
  }, async () => {
    // Arrange
    const association = await portal.person();
    await signIn(association.page, portal.base, {
      role: 'association',
      creditCode: guangdong.associationCode,
    });
    const order = association.page.locator('main table tbody tr', { hasText: 'Guangdong dues' });
    await pollPage(association.page, portal.base, '/orders', async () => (await order.count()) > 0);
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '44' });

    // Act
    const orders = await readInBothLanguages(association.page);
    await open(regulator.page, portal.base, '/cases');
    const cases = await readInBothLanguages(regulator.page);
    await open(regulator.page, portal.base, `/complaints/${encodeURIComponent(guangdongCase.complaintId)}`);
    await rendered(regulator.page);
    const complaint = await readInBothLanguages(regulator.page);

    // Assert
    expect(cases['zh-CN'].text).toContain('广东省民政厅');
    expect(cases.en.text).toContain('Department of Civil Affairs of Guangdong Province');
    expect(complaint['zh-CN'].text).toContain('广东省');
    for (const seen of [orders, cases, complaint]) {
      expect([...rawData(seen['zh-CN'].text), ...rawData(seen.en.text)]).toEqual([]);
      expect([seen['zh-CN'].overflow, seen.en.overflow]).toEqual([0, 0]);
    }
    expect([...association.problems, ...regulator.problems]).toEqual([]);
  });
});
