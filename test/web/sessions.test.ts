/**
 * Sessions in the portal (issue 17): the header names who is signed in with role and office, also on
 * a phone; "sign out on all devices" asks the API to end every session before ending this one; a
 * session that lapses or that the API refuses sends its reader to sign in again without losing the
 * half-filled form, which comes back after signing in (files and passwords are never kept).
 */
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { associationCode, enterpriseCode } from '#infra/local/campaign-fixtures';
import { fileComplaint, newScenario, openTaskOf } from '#test/support/campaign-actors';
import {
  announceSkip,
  hasChromium,
  horizontalOverflow,
  open,
  rendered,
  signIn,
  unfoldHeader,
  visibleText,
} from '#test/web/browser';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/sessions.test.ts');

const seed = (Math.floor(Math.random() * 90_000) * 100) % 10_000_000;
const enterprise = {
  role: 'enterprise',
  creditCode: enterpriseCode('44', seed + 7),
  name: '广州某某机械有限公司',
} as const;

/** Makes the stored token one the API no longer accepts (as after signing out on another device). */
const refuseTheToken = (page: Page) =>
  page.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem('campaign.session') ?? '{}');
    sessionStorage.setItem('campaign.session', JSON.stringify({ ...session, token: `${session.token}x` }));
  });

/** Switches the portal's language and waits until the page is drawn in it. */
const switchLanguageTo = async (page: Page, language: 'en' | 'zh-CN') => {
  await page.locator('button.lang-switch').click();
  await page.waitForFunction(
    (want) => document.documentElement.lang === want && document.querySelector('main')?.dataset.rendered,
    language,
  );
};

/** Half a complaint: the association, the fee's name and category, one answer, what happened. */
const fillHalfAComplaint = async (page: Page) => {
  const form = page.locator('main form');
  await form.getByLabel('协会名称').fill('广东省某某行业协会');
  await form.getByLabel('收费名称').fill('2026年度会费');
  await form.getByLabel('收费类别').selectOption('MEMBERSHIP_DUES');
  await form
    .getByRole('group', { name: /强制或变相强制入会/ })
    .getByLabel('是', { exact: true })
    .check();
  await form.getByLabel('问题描述').fill('不入会就不予办理年检。');
};

const expectHalfAComplaint = async (page: Page) => {
  const form = page.locator('main form');
  expect(await form.getByLabel('协会名称').inputValue()).toBe('广东省某某行业协会');
  expect(await form.getByLabel('收费名称').inputValue()).toBe('2026年度会费');
  expect(await form.getByLabel('收费类别').inputValue()).toBe('MEMBERSHIP_DUES');
  expect(
    await form
      .getByRole('group', { name: /强制或变相强制入会/ })
      .getByLabel('是', { exact: true })
      .isChecked(),
  ).toBe(true);
  expect(await form.getByLabel('问题描述').inputValue()).toBe('不入会就不予办理年检。');
};

/** Moves the page's clock to just before its session's token lapses. */
const untilTheSessionLapses = async (page: Page) => {
  const expiresAt = await page.evaluate(
    () => JSON.parse(sessionStorage.getItem('campaign.session') ?? '{}').expiresAt as string,
  );
  await page.clock.fastForward(Date.parse(expiresAt) - Date.now() - 29_000);
};

describe.skipIf(!hasChromium)('sessions in the portal', () => {
  const portal = usePortal({ locale: 'zh-CN' });

  /**
   * An enterprise with half a complaint typed, on a page whose clock the test moves (installed before
   * the portal starts).
   */
  const halfAComplaintWithAClock = async () => {
    const watched = await portal.person();
    await watched.page.clock.install();
    await signIn(watched.page, portal.base, enterprise);
    await open(watched.page, portal.base, '/complaints/new');
    await fillHalfAComplaint(watched.page);
    return watched;
  };

  describe('the header', () => {
    it('names a regulator by role and office on a phone, with both ways to sign out', async () => {
      // Arrange
      const { page, problems } = await portal.person({ viewport: phone });
      await signIn(page, portal.base, { role: 'regulator', agency: 'MCA', province: '44', name: '李明' });

      // Act
      await unfoldHeader(page);

      // Assert
      const who = page.locator('header .who');
      expect(await visibleText(who.locator('.who-text'))).toBe('当前身份：监管部门 · 广东省民政厅 · 李明');
      expect(await who.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
      expect(await who.getByRole('button', { name: '在所有设备上退出' }).isVisible()).toBe(true);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(problems).toEqual([]);
    });

    it('names an enterprise by its name and credit code', async () => {
      // Arrange
      const { page } = await portal.person();

      // Act
      await signIn(page, portal.base, enterprise);

      // Assert
      expect(await visibleText(page.locator('header .who-text'))).toBe(
        `当前身份：企业（投诉方） · ${enterprise.name} · ${enterprise.creditCode}`,
      );
    });

    it('names an association by its credit code and an administrator by the official title', async () => {
      // Arrange
      const association = await portal.person();
      const admin = await portal.person();

      // Act
      await signIn(association.page, portal.base, {
        role: 'association',
        creditCode: associationCode('44', seed + 7),
      });
      await signIn(admin.page, portal.base, { role: 'campaign-admin', name: '王芳' });

      // Assert
      expect(await visibleText(association.page.locator('header .who-text'))).toBe(
        `当前身份：行业协会商会 · ${associationCode('44', seed + 7)}`,
      );
      expect(await visibleText(admin.page.locator('header .who-text'))).toBe(
        '当前身份：治理工作管理员 · 王芳',
      );
    });
  });

  describe('signing out on all devices', () => {
    it('asks the API to end every session with the bearer, then signs out here', async () => {
      // Arrange: the users API answers for itself once it is built; here its answer is played.
      const { page, problems } = await portal.person();
      await signIn(page, portal.base, enterprise);
      const calls: Request[] = [];
      await page.route('**/api/session/sign-out', async (route) => {
        calls.push(route.request());
        await route.fulfill({ status: 200, json: { signedOutAt: new Date().toISOString() } });
      });

      // Act
      await page.locator('header .who').getByRole('button', { name: '在所有设备上退出' }).click();
      await rendered(page, '/campaign');

      // Assert
      expect(calls.map((call) => call.method())).toEqual(['POST']);
      expect(await calls[0]?.headerValue('authorization')).toMatch(/^Bearer \S+/);
      expect(await page.evaluate(() => sessionStorage.getItem('campaign.session'))).toBeNull();
      expect(await page.locator('header .who').count()).toBe(0);
      expect(problems).toEqual([]);
    });

    it('stays signed in and says so when the API could not end the other sessions', async () => {
      // Arrange
      const { page } = await portal.person();
      await signIn(page, portal.base, enterprise);
      await page.route('**/api/session/sign-out', (route) =>
        route.fulfill({ status: 503, json: { error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'down' } } }),
      );

      // Act
      await page.locator('header .who').getByRole('button', { name: '在所有设备上退出' }).click();

      // Assert
      await page.locator('main .notice-error').waitFor();
      expect(await visibleText(page.locator('main .notice-error'))).toContain(
        '未能在所有设备上退出，您仍处于登录状态。',
      );
      expect(await page.locator('header .who-text').isVisible()).toBe(true);
    });
  });

  describe('a session that ends while a form is half-filled', () => {
    it('keeps the complaint form when the session lapses and restores it after signing in again', async () => {
      // Arrange
      const { page, problems } = await halfAComplaintWithAClock();

      // Act: the token is about to lapse
      await untilTheSessionLapses(page);
      await rendered(page, '/sign-in?next=%2Fcomplaints%2Fnew');

      // Assert: sent to sign in, told the form is kept
      expect(await visibleText(page.locator('main .notice-error'))).toContain('您已填写的内容已暂存');

      // Act: the clock is real again, and the same enterprise signs in
      await page.clock.setSystemTime(new Date());
      await signIn(page, portal.base, enterprise, { onThisPage: true });
      await rendered(page, '/complaints/new');

      // Assert: the form is back, the questions of its category shown, and it says so
      await expectHalfAComplaint(page);
      expect(await page.getByLabel(/会费分为几档/).isVisible()).toBe(true);
      expect(await visibleText(page.locator('main .notice-info'))).toContain(
        '已恢复您在登录失效前填写的内容',
      );
      expect(
        await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.includes('draft'))),
      ).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('keeps the complaint form when the API refuses the session', async () => {
      // Arrange
      const { page } = await portal.person();
      await signIn(page, portal.base, enterprise);
      await open(page, portal.base, '/complaints/new');
      await fillHalfAComplaint(page);
      // The token no longer verifies (signed out elsewhere, say): the API answers 401.
      await refuseTheToken(page);

      // Act: anything that asks the API, here the header's bell drawn again by the language switch
      await page.locator('button.lang-switch').click();
      await rendered(page, '/sign-in?next=%2Fcomplaints%2Fnew');
      await signIn(page, portal.base, enterprise, { onThisPage: true });
      await rendered(page, '/complaints/new');
      await switchLanguageTo(page, 'zh-CN');

      // Assert
      await expectHalfAComplaint(page);
    });

    it("keeps a regulator's half-written decision on a case when the API refuses the session", {
      timeout: 60_000,
    }, async () => {
      // Arrange: a review task, its decision half-written in English
      const scenario = await newScenario(portal.harness, 'MCA', '11');
      const filed = await fileComplaint(portal.harness, scenario);
      const review = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
      const route = `/cases/${encodeURIComponent(filed.caseId)}?task=${encodeURIComponent(review.taskId)}`;
      const { page } = await portal.person({ locale: 'en-US' });
      await signIn(page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
      await open(page, portal.base, route);
      const decide = page.locator('section.action-card form');
      await decide.getByRole('radio', { name: 'Lawful, regulated' }).check();
      await decide.getByLabel('Reason').fill('The dues were adopted by the general assembly.');
      await refuseTheToken(page);

      // Act: refused, sent to sign in (now in Chinese), and back as the same regulator
      await page.locator('button.lang-switch').click();
      await rendered(page, `/sign-in?next=${encodeURIComponent(route)}`);
      await signIn(
        page,
        portal.base,
        { role: 'regulator', agency: 'MCA', province: '11' },
        { onThisPage: true },
      );
      await rendered(page, route);
      await switchLanguageTo(page, 'en');

      // Assert
      expect(await decide.getByRole('radio', { name: 'Lawful, regulated' }).isChecked()).toBe(true);
      expect(await decide.getByLabel('Reason').inputValue()).toBe(
        'The dues were adopted by the general assembly.',
      );
    });

    it('gives a kept form to no other account', async () => {
      // Arrange
      const { page } = await halfAComplaintWithAClock();
      await untilTheSessionLapses(page);
      await rendered(page, '/sign-in?next=%2Fcomplaints%2Fnew');
      await page.clock.setSystemTime(new Date());

      // Act: another enterprise signs in in the same tab
      await signIn(
        page,
        portal.base,
        { role: 'enterprise', creditCode: enterpriseCode('44', seed + 8) },
        { onThisPage: true },
      );
      await rendered(page, '/complaints/new');

      // Assert
      expect(await page.locator('main form').getByLabel('协会名称').inputValue()).toBe('');
      expect(await page.locator('main .notice-info').count()).toBe(0);
    });
  });
});
