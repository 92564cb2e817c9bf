/**
 * Typical cases (典型案例) in the portal: a campaign admin chooses a closed case, writes an account,
 * is told in words when it names the complainant (and where), publishes it once corrected; anyone
 * then reads it from the header's 典型案例, subscribes to the Atom feed the page announces, and opens
 * one case's own page. Both pages at 360 px in both languages: no serious axe violation, no sideways
 * scrolling. The case is closed through the API (the portal's steps have their own tests).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { closeWithRefund, fileComplaint, newScenario } from '#test/support/campaign-actors';
import {
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  open,
  rendered,
  signIn,
  unfoldHeader,
  visibleText,
} from '#test/web/browser';
import { usePortal } from '#test/web/portal-harness';

announceSkip('test/web/typical-cases.test.ts');

const run = Date.now().toString(36);
const fee = `行业证书会员费${run}`;
const contact = { name: '赵明远', phone: '137 2222 3333' };
const admin = { role: 'campaign-admin', name: '王芳' } as const;

describe.skipIf(!hasChromium)('typical cases in the portal', () => {
  const portal = usePortal({ locale: 'zh-CN' });
  let caseId = '';

  beforeAll(async () => {
    const { harness } = portal;
    const scenario = await newScenario(harness);
    caseId = (await fileComplaint(harness, scenario, { feeName: fee, contact })).caseId;
    await closeWithRefund(harness, scenario, caseId, 280_000);
  }, 60_000);

  const write = async (page: import('playwright-core').Page, title: string, summary: string) => {
    const form = page.locator('main form.typical-case-form');
    await form.getByRole('checkbox', { name: new RegExp(fee) }).check();
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('案情及处理情况').fill(summary);
    await form.getByRole('button', { name: '发布', exact: true }).click();
  };

  it('refuses, in words beside the field, an account that gives the complainant’s phone, and publishes it once removed', async () => {
    // Arrange
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, admin);
    await unfoldHeader(page);
    await page.locator('header nav').getByRole('link', { name: '典型案例发布' }).click();
    await rendered(page, '/admin/typical-cases');
    const title = `某行业协会以证书挂钩强制入会案${run}`;

    // Act
    await write(page, title, '企业（联系电话 137-2222-3333）反映，协会要求入会方可办理证书。');
    const refusal = await visibleText(page.locator('main .error-summary'));
    const besideField = await visibleText(page.locator('main .field[data-path="summary"] .field-error'));
    await write(
      page,
      title,
      '某企业反映，协会要求入会方可办理证书并收取会费。经认定违规，协会已退还2800元。',
    );
    await page.locator('main .notice-success', { hasText: `已发布“${title}”` }).waitFor();

    // Assert
    expect(refusal).toContain('案情及处理情况：含有投诉企业的联系方式，请删除后再发布');
    expect(besideField).toBe('含有投诉企业的联系方式，请删除后再发布');
    expect(await visibleText(page.locator('main .typical-desk-list'))).toContain(title);
    expect(problems).toEqual([]);
  });

  it('shows anyone the published cases from the header, announces the Atom feed, and opens one case’s page', async () => {
    // Arrange
    const title = `某协会评比收费案${run}`;
    const published = await portal.harness.request('POST', '/api/admin/typical-cases', {
      token: await portal.harness.token({ role: 'campaign-admin' }),
      body: { caseIds: [caseId], title, summary: '协会以评比为名收取费用，已责令退还。', publish: true },
    });
    const { page, problems } = await portal.person();
    await open(page, portal.base, '/campaign');

    // Act
    await unfoldHeader(page);
    await page.locator('header nav').getByRole('link', { name: '典型案例', exact: true }).click();
    await rendered(page, '/typical-cases');
    const article = page.locator('main article', { hasText: title });
    const listed = await visibleText(article);
    const feedHref = await page
      .locator('link[rel="alternate"][type="application/atom+xml"]')
      .getAttribute('href');
    const feed = await page.request.get(new URL(feedHref ?? '', portal.base).toString());
    await article.getByRole('link', { name: title }).click();
    await rendered(page, `/typical-cases/${published.body.typicalCaseId}`);

    // Assert
    expect(listed).toContain('Widget Industry Association');
    expect(listed).toContain('收费已取消');
    expect(listed).not.toContain(contact.name);
    expect(feed.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(await feed.text()).toContain(`urn:uuid:${published.body.typicalCaseId}`);
    expect(await visibleText(page.getByRole('heading', { level: 1 }))).toBe(title);
    expect(await page.getByRole('link', { name: '订阅典型案例（Atom）' }).getAttribute('href')).toBe(
      '/api/public/typical-cases.atom',
    );
    expect(problems).toEqual([]);
  });

  it('reads well at 360 px in both languages: the public list and the admin desk', async () => {
    // Arrange
    const { page, problems } = await portal.person();
    await open(page, portal.base, '/typical-cases');

    // Act
    const publicFindings = await auditAtPhoneWidth(page, 'typical-cases');
    await signIn(page, portal.base, admin);
    await open(page, portal.base, '/admin/typical-cases');
    const deskFindings = await auditAtPhoneWidth(page, 'typical-cases-desk');

    // Assert
    expect([...publicFindings, ...deskFindings]).toEqual([]);
    expect(problems).toEqual([]);
  });
});
