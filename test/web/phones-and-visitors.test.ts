/**
 * The portal on a phone and for a visitor, in headless Chromium against the local runtime (issue 16,
 * points 7 and 9), in both languages: the public landing leads with complaining and tracking and says
 * there are no figures yet instead of drawing empty charts; at 360 px the signed-in header stays short
 * and opens its navigation from a menu button (keyboard too); my complaints, the inbox, the orders and
 * case search read as cards, with nothing wider than the screen.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { associationCode } from '#infra/local/campaign-fixtures';
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
import { desk, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/phones-and-visitors.test.ts');

const phone = { width: 360, height: 740 };
const languages = [
  { lang: 'zh-CN', locale: 'zh-CN' },
  { lang: 'en', locale: 'en-US' },
] as const;

/**
 * Elements of the page whose box reaches past the right edge of the screen, one line each; what is
 * clipped to a pixel for screen readers alone (a card list's column headers) is not seen.
 */
const widerThanScreen = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const screenReaderOnly = (element: Element) => {
      for (let at: Element | null = element; at; at = at.parentElement)
        if (at.getBoundingClientRect().width <= 1 && getComputedStyle(at).overflow === 'hidden') return true;
      return false;
    };
    return Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 1 && box.right > width + 1 && !screenReaderOnly(element);
      })
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
  });

/** How each row of the page's list is laid out, and how wide its association's name may run. */
const cardsOf = (page: Page) =>
  page.locator('main table tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const association = row.querySelector<HTMLElement>(
        'td[data-label="协会"] .cell, td[data-label="Association"] .cell',
      );
      const fontSize = Number.parseFloat(getComputedStyle(row).fontSize);
      return {
        display: getComputedStyle(row).display,
        width: row.getBoundingClientRect().width,
        associationChars: association ? association.getBoundingClientRect().width / fontSize : undefined,
      };
    }),
  );

let scenario: Scenario;
const associationName = '广东省家具行业协会';

describe.skipIf(!hasChromium)('the portal on a phone and for a visitor', () => {
  const portal = usePortal({ viewport: phone });

  /** The card list of `route` at 360 px: cards, each within the screen, names on a line of their own. */
  const expectCards = async (page: Page, route: string, label: string) => {
    await open(page, portal.base, route);
    const cards = await cardsOf(page);
    expect(cards.length, label).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.display, label).toBe('flex');
      expect(card.width, label).toBeLessThanOrEqual(phone.width);
      // One character per line is what a squeezed table column did; a card gives the name room.
      if (card.associationChars !== undefined) expect(card.associationChars, label).toBeGreaterThan(3);
    }
    expect(await horizontalOverflow(page), label).toBe(0);
    expect(await widerThanScreen(page), label).toEqual([]);
  };

  describe('the public landing, before any complaint', () => {
    for (const { lang, locale } of languages) {
      it(`leads a visitor to complain or track, and says there are no figures yet (${lang})`, {
        timeout: 60_000,
      }, async () => {
        // Arrange
        const { page, problems } = await portal.person({ locale });

        // Act
        await open(page, portal.base, '/campaign');

        // Assert
        const main = page.locator('main');
        const complain = main.getByRole('link', { name: lang === 'en' ? 'File a complaint' : '我要投诉' });
        const track = main.getByRole('link', { name: lang === 'en' ? 'Track a complaint' : '办件查询' });
        expect(await complain.isVisible()).toBe(true);
        expect(await track.isVisible()).toBe(true);
        expect(await visibleText(main)).toContain(lang === 'en' ? 'No public figures yet' : '暂无公开数据');
        expect(await main.locator('.chart, .headline-figure').count()).toBe(0);
        expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(1_400);
        expect(await horizontalOverflow(page)).toBe(0);

        await track.click();
        await rendered(page, '/track');
        await open(page, portal.base, '/campaign');
        await complain.click();
        await rendered(page, '/sign-in?next=%2Fcomplaints%2Fnew');
        expect(await page.getByRole('radio', { name: /^Enterprise|^企业/ }).isChecked()).toBe(true);
        await page.locator('main form button[type="submit"]').click();
        await rendered(page, '/complaints/new');
        expect(problems).toEqual([]);
      });
    }
  });

  describe('at 360 px, signed in', () => {
    beforeAll(async () => {
      scenario = await newScenario(portal.harness, 'MCA', '44');
      const ordered = await fileComplaint(portal.harness, scenario, {
        associationName,
        feeName: '2026年度会费',
        // Under the four-eyes threshold: one regulator's decision orders the rectification.
        amountFen: 48_000_00,
      });
      await fileComplaint(portal.harness, scenario, {
        associationCode: associationCode('44', 4_000_001),
        associationName: '广州市电子商务行业协会',
        feeName: '岗位培训费',
        category: 'MEETING_TRAINING',
        facts: { compulsory: true },
      });
      const review = await openTaskOf(portal.harness, scenario.regulator, ordered.caseId, 'REVIEW');
      const decided = await completeTask(
        portal.harness,
        scenario.regulator,
        review.taskId,
        decisions.abolish,
      );
      expect(decided.status).toBe(200);
      await openTaskOf(portal.harness, scenario.association, ordered.caseId, 'RECTIFICATION');
    }, 60_000);

    for (const { lang, locale } of languages) {
      it(`keeps the header short and opens the navigation from the menu button, by keyboard (${lang})`, {
        timeout: 60_000,
      }, async () => {
        // Arrange
        const { page, problems } = await portal.person({ locale });
        await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
        await open(page, portal.base, '/complaints');
        const header = page.locator('header.site-header');
        const menuButton = header.getByRole('button', { name: lang === 'en' ? 'Menu' : '菜单' });
        const track = header.getByRole('link', { name: lang === 'en' ? 'Track progress' : '进度查询' });

        // Assert: short, with the navigation folded away
        expect((await header.boundingBox())?.height).toBeLessThanOrEqual(120);
        expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
        expect(await track.isVisible()).toBe(false);

        // Act: from the top of the page, Tab to the menu button and open it
        await page.reload();
        await rendered(page, '/complaints');
        for (let presses = 0; presses < 5; presses++) {
          await page.keyboard.press('Tab');
          if (await menuButton.evaluate((button) => button === document.activeElement)) break;
        }
        await page.keyboard.press('Enter');

        // Assert: open, its links next in the Tab order; Escape folds it back onto the button
        expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
        expect(await track.isVisible()).toBe(true);
        expect(await header.locator('.who-text').isVisible()).toBe(true);
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.closest('nav') !== null)).toBe(true);
        await page.keyboard.press('Escape');
        expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
        expect(await menuButton.evaluate((button) => button === document.activeElement)).toBe(true);

        // Act: open it again and follow a link
        await page.keyboard.press('Enter');
        await track.focus();
        await page.keyboard.press('Enter');
        await rendered(page, '/track');
        expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
        expect(problems).toEqual([]);
      });

      it(`shows my complaints, the inbox, the orders and case search as cards (${lang})`, {
        timeout: 90_000,
      }, async () => {
        // Arrange
        const enterprise = await portal.person({ locale });
        const regulator = await portal.person({ locale });
        const association = await portal.person({ locale });
        await signIn(enterprise.page, portal.base, {
          role: 'enterprise',
          creditCode: scenario.enterpriseCode,
        });
        await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '44' });
        await signIn(association.page, portal.base, {
          role: 'association',
          creditCode: scenario.associationCode,
        });

        // Act, Assert
        await expectCards(enterprise.page, '/complaints', 'my complaints');
        const complaint = enterprise.page.locator('main table tbody tr', { hasText: '2026年度会费' });
        expect(await visibleText(complaint)).toContain(associationName);
        expect(await visibleText(complaint)).toMatch(/\d{4}-44-\d{6}/);
        await pollPage(
          regulator.page,
          portal.base,
          '/inbox?status=COMPLETED',
          async (page) => (await page.locator('main table tbody tr').count()) > 0,
        );
        await expectCards(regulator.page, '/inbox?status=COMPLETED', 'inbox');
        expect(await visibleText(regulator.page.locator('main table tbody tr').first())).toContain(
          associationName,
        );
        await expectCards(association.page, '/orders', 'orders');
        expect(await visibleText(association.page.locator('main table tbody tr').first())).toContain(
          '2026年度会费',
        );
        await open(regulator.page, portal.base, '/cases');
        expect(await regulator.page.locator('main .result-cards li').first().isVisible()).toBe(true);
        expect(await widerThanScreen(regulator.page)).toEqual([]);
        expect([enterprise, regulator, association].flatMap(({ problems }) => problems)).toEqual([]);
      });
    }

    it('shows the same lists as tables on a desk, with the header on one band', {
      timeout: 60_000,
    }, async () => {
      // Arrange
      const { page } = await portal.person({ locale: 'zh-CN', viewport: desk });
      await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });

      // Act
      await open(page, portal.base, '/complaints');

      // Assert
      const header = page.locator('header.site-header');
      expect(await header.getByRole('button', { name: '菜单' }).isVisible()).toBe(false);
      expect(await header.getByRole('link', { name: '进度查询' }).isVisible()).toBe(true);
      expect((await header.boundingBox())?.height).toBeLessThanOrEqual(100);
      expect(await page.locator('main table thead').isVisible()).toBe(true);
      expect(
        await page
          .locator('main table tbody tr')
          .first()
          .evaluate((row) => getComputedStyle(row).display),
      ).toBe('table-row');
    });
  });
});
