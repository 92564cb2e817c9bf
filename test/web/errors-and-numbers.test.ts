/**
 * Failures, amounts and dates as a person reads them (issue 16, points 3 and 4): every failure says
 * what happened and what to do in the page's language, with a retry where one helps, never the
 * server's English; headline amounts read as people say them and never break inside; dates have one
 * format per language. The formatting and wording helpers first, then the portal in headless Chromium
 * against the local runtime, with the API's answers replaced by route interception.
 */
import type { Page, Route } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { enterpriseCode } from '#infra/local/campaign-fixtures';
import {
  announceSkip,
  hasChromium,
  horizontalOverflow,
  open,
  rendered,
  signIn,
  visibleText,
} from '#test/web/browser';
import { desk, phone, usePortal } from '#test/web/portal-harness';
import { ApiError } from '../../web/src/api.ts';
import { isRetryable, problemText } from '../../web/src/forms.ts';
import { formatDate, formatDateTime, formatLargeMoney, setLang } from '../../web/src/i18n.ts';
import sample from './fixtures/metrics-sample.json' with { type: 'json' };

announceSkip('test/web/errors-and-numbers.test.ts');

afterEach(() => setLang('en'));

describe('problemText', () => {
  it('says what happened and what to do in Chinese, whatever the server wrote', () => {
    // Arrange
    setLang('zh-CN');

    // Act
    const texts = [
      problemText(new ApiError(0, 'NETWORK', 'Failed to fetch')),
      problemText(new TypeError('Failed to fetch')),
      problemText(new ApiError(500, 'INTERNAL', 'Internal server error')),
      problemText(new ApiError(503, 'DEPENDENCY_UNAVAILABLE', 'DynamoDB is unavailable')),
      problemText(new ApiError(429, 'THROTTLED', 'Slow down')),
      problemText(new ApiError(404, 'NOT_FOUND', 'No such complaint'), 'problemComplaintNotFound'),
      problemText(new ApiError(403, 'FORBIDDEN', 'Regulators only')),
      problemText(new Error('Cannot read properties of undefined')),
    ];

    // Assert
    expect(texts).toEqual([
      '网络连接异常，请检查网络后重试。',
      '网络连接异常，请检查网络后重试。',
      '系统繁忙，请稍后重试。',
      '服务暂时不可用，请稍后重试。',
      '操作过于频繁，请稍后再试。',
      '未找到该投诉，请核对编号。',
      '您无权办理此事项，请以相应身份登录。',
      '页面出现异常，请刷新页面后重试。',
    ]);
  });

  it('speaks English on an English page', () => {
    // Act
    const text = problemText(new ApiError(502, 'HTTP_502', 'Bad Gateway'));

    // Assert
    expect(text).toBe('The service is busy. Please try again in a moment.');
  });

  it('offers a retry for the network, a busy or failing service, and too many requests only', () => {
    // Act
    const retryable = [0, 400, 403, 404, 409, 429, 500, 503].filter((status) =>
      isRetryable(new ApiError(status, 'X', 'x')),
    );

    // Assert
    expect(retryable).toEqual([0, 429, 500, 503]);
  });
});

describe('formatLargeMoney', () => {
  it('reads headline sums in 万元 and 亿元 in Chinese', () => {
    // Arrange
    setLang('zh-CN');

    // Act
    const texts = [37_680_000, 12_000_000_000, 900_050].map(formatLargeMoney);

    // Assert
    expect(texts).toEqual(['37.68 万元', '1.2 亿元', '¥9,000.50']);
  });

  it('reads headline sums in whole yuan and millions in English', () => {
    // Act
    const texts = [37_680_000, 12_000_000_000, 900_050].map(formatLargeMoney);

    // Assert
    expect(texts).toEqual(['¥376,800', '¥120 million', '¥9,000.50']);
  });
});

describe('formatDate and formatDateTime', () => {
  it('write a day one way per language, China time, with or without the time', () => {
    // Arrange
    const instant = '2026-12-02T06:30:00Z';

    // Act
    const english = [formatDate(instant), formatDateTime(instant), formatDate('2026-12-02')];
    setLang('zh-CN');
    const chinese = [formatDate(instant), formatDateTime(instant), formatDate('2026-12-02')];

    // Assert
    expect(english).toEqual(['2 Dec 2026', '2 Dec 2026, 14:30', '2 Dec 2026']);
    expect(chinese).toEqual(['2026年12月2日', '2026年12月2日 14:30', '2026年12月2日']);
  });
});

describe.skipIf(!hasChromium)('failures and figures in headless Chromium', () => {
  const portal = usePortal({ viewport: phone });

  const main = (page: Page) => visibleText(page.locator('main'));

  /** The public figures with large sums: ¥376,800.00 refunded, ¥120,000,000.00 a year removed. */
  const largeFigures = JSON.stringify({
    ...sample,
    figures: { ...sample.figures, refundedFen: 37_680_000, annualFenRemoved: 12_000_000_000 },
  });
  const answerFigures = (route: Route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: largeFigures });

  it('tells a Chinese visitor that the figures are unavailable on a 503, not that there are none, and retries', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const { page } = await portal.person({ locale: 'zh-CN' });
    let calls = 0;
    await page.route('**/api/public/metrics', (route) => {
      calls += 1;
      return calls === 1
        ? route.fulfill({
            status: 503,
            headers: { 'retry-after': '1' },
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'Service unavailable' },
            }),
          })
        : answerFigures(route);
    });

    // Act
    await open(page, portal.base, '/campaign');
    const failed = await main(page);
    await page.getByRole('button', { name: '重试' }).click();
    await page.locator('[data-figure="refundedFen"]').waitFor();

    // Assert
    expect(failed).toContain('服务暂时不可用，请稍后重试。');
    expect(failed).not.toMatch(/暂无数据|unavailable/i);
    expect(await main(page)).not.toContain('服务暂时不可用');
  });

  it('names a network failure in Chinese, never "Failed to fetch", and loads once the network is back', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const { page } = await portal.person({ locale: 'zh-CN' });
    await page.route('**/api/public/metrics', (route) => route.abort('internetdisconnected'));

    // Act
    await open(page, portal.base, '/campaign');
    const failed = await main(page);
    await page.unroute('**/api/public/metrics');
    await page.route('**/api/public/metrics', answerFigures);
    await page.getByRole('button', { name: '重试' }).click();
    await page.locator('[data-figure="refundedFen"]').waitFor();

    // Assert
    expect(failed).toContain('网络连接异常，请检查网络后重试。');
    expect(failed).not.toMatch(/fetch|network error/i);
  });

  it('says a complaint was not found in Chinese, and a server failure without its English', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const { page } = await portal.person({ locale: 'zh-CN', viewport: desk });
    await signIn(page, portal.base, { role: 'enterprise', creditCode: enterpriseCode('11', 9_123_457) });
    const missing = '00000000-0000-4000-8000-000000000000';

    // Act
    await open(page, portal.base, `/complaints/${missing}`);
    const notFound = await main(page);
    await page.route('**/api/complaints/*', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal server error' } }),
      }),
    );
    await page.reload();
    await rendered(page, `/complaints/${missing}`);
    const failed = await main(page);

    // Assert
    expect(notFound).toContain('未找到该投诉，请核对编号。');
    expect(notFound).not.toMatch(/No such|not found|重试/i);
    expect(failed).toContain('系统繁忙，请稍后重试。');
    expect(failed).toContain('重试');
    expect(failed).not.toMatch(/Internal|server error/i);
  });

  for (const [locale, refunded, removed] of [
    ['zh-CN', '37.68 万元', '1.2 亿元'],
    ['en-US', '¥376,800', '¥120 million'],
  ] as const) {
    it(`reads large headline amounts naturally (${locale}) and keeps each on one line at 360 px`, {
      timeout: 60_000,
    }, async () => {
      // Arrange
      const { page } = await portal.person({ locale });
      await page.route('**/api/public/metrics', answerFigures);

      // Act
      await open(page, portal.base, '/campaign');
      const value = (key: string) => page.locator(`[data-figure="${key}"] .headline-value`);
      const lines = await page.locator('.headline-value').evaluateAll((values) =>
        values.map((element) => {
          // Lines the text takes: distinct tops of the boxes of its text.
          const range = document.createRange();
          range.selectNodeContents(element);
          return new Set(Array.from(range.getClientRects(), (box) => Math.round(box.top))).size;
        }),
      );

      // Assert
      expect(await visibleText(value('refundedFen'))).toBe(refunded);
      expect(await visibleText(value('annualFenRemoved'))).toBe(removed);
      expect(lines.every((count) => count === 1)).toBe(true);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    });
  }

  it('links the open data in the page language', { timeout: 60_000 }, async () => {
    // Arrange
    const { page } = await portal.person({ locale: 'zh-CN' });
    await page.route('**/api/public/metrics', answerFigures);

    // Act
    await open(page, portal.base, '/campaign');
    const links = await page
      .locator('a[href^="/api/public/outcomes.csv"]')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));

    // Assert
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set(['/api/public/outcomes.csv?lang=zh-CN']));
  });
});
