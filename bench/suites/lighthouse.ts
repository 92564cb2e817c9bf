/**
 * Benchmark 8: the portal's speed as Lighthouse 12 scores it, on Debian Chromium with Lighthouse's
 * default mobile emulation (a mid-range phone, simulated slow 4G and a 4x slower CPU): the public
 * campaign page, an enterprise's complaint form, a regulator's inbox of review tasks and the case page
 * the regulator opens from it. Performance, accessibility and best practices of each, against the
 * issue's targets (>= 95, 100, >= 95).
 *
 * The local runtime runs in this process (DynamoDB Local in memory, development tokens) and serves the
 * portal as `npm start` does: compressed, hash-named assets cached as immutable. One complaint is filed
 * first so that the inbox and the case page show a real case. A page is signed in the way the portal
 * itself keeps a session: the session object in the tab's sessionStorage, put there before the
 * portal's script runs (Lighthouse navigates the same tab, and resets storage and cache before).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import lighthouse from 'lighthouse';
import puppeteer, { type Browser } from 'puppeteer-core';
import { associationCode, enterpriseCode } from '#infra/local/campaign-fixtures';
import { identityOf } from '../../web/src/session.ts';
import { type LocalCampaign, startLocalCampaign } from '../lib/local-campaign.ts';
import { sleep } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const categories = [
  { id: 'performance', label: 'performance', target: 95 },
  { id: 'accessibility', label: 'accessibility', target: 100 },
  { id: 'best-practices', label: 'best practices', target: 95 },
] as const;
/** Where to keep each page's whole report (`BENCH_LIGHTHOUSE_REPORTS=dir`), for looking into a score. */
const reportsDir = process.env.BENCH_LIGHTHOUSE_REPORTS;
/** One page's audit may take this long (Lighthouse alone gives a page 45 s to load). */
const perPageMs = 90_000;

interface PortalPage {
  id: string;
  label: string;
  route: string;
  /** The development identity signed in, none for the public page. */
  claims?: Record<string, string>;
}

/** The session object the portal keeps in sessionStorage (web/src/session.ts). */
const sessionOf = async (campaign: LocalCampaign, claims: Record<string, string>) => {
  const issued = await campaign.request<{
    token: string;
    claims: Record<string, unknown>;
    expiresAt: string;
  }>('POST', '/local/token', { body: claims });
  if (issued.status !== 200) throw new Error(`token: ${issued.status} ${issued.text}`);
  const identity = identityOf(issued.body.claims);
  if (!identity) throw new Error('the development token names no campaign role');
  return { token: issued.body.token, expiresAt: issued.body.expiresAt, identity, development: true };
};

/** Files one complaint and waits until its case waits on the regulator's review; answers the case. */
const caseUnderReview = async (campaign: LocalCampaign) => {
  const province = '11';
  const enterprise = enterpriseCode(province, 8_100_001);
  const filed = await campaign.request<{ caseId: string }>('POST', '/api/complaints', {
    token: await campaign.token({ role: 'enterprise', creditCode: enterprise }),
    body: {
      association: { name: '北京市示例行业协会', creditCode: associationCode(province, 8_100_001) },
      fee: {
        name: '年度会费',
        category: 'MEMBERSHIP_DUES',
        amountFen: 480_000,
        chargedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
        period: 'ANNUAL',
      },
      facts: { forcedMembership: true },
      description: '不入会就不给办理资质证书年审，只能缴纳会费。',
      contact: { name: '张三', phone: '13800000000' },
    },
  });
  if (filed.status !== 202) throw new Error(`complaint answered ${filed.status} ${filed.text}`);
  const { caseId } = filed.body;
  const deadline = performance.now() + 30_000;
  for (;;) {
    const { Item: feeCase } = await campaign.benchClient.send(
      new GetCommand({
        TableName: campaign.tableName,
        Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
        ConsistentRead: true,
      }),
    );
    const task = feeCase?.currentTask as { kind?: string } | undefined;
    if (feeCase && task?.kind === 'REVIEW') {
      return { caseId, agency: String(feeCase.agency), province: String(feeCase.province) };
    }
    if (performance.now() > deadline) throw new Error(`case ${caseId} never waited on its review`);
    await sleep(100);
  }
};

const withinTime = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms).unref();
    }),
  ]);

runSuite('lighthouse', async (context) => {
  const campaign = await startLocalCampaign(context.log);
  process.once('exit', () => void campaign.stop());
  let browser: Browser | undefined;
  try {
    const review = await caseUnderReview(campaign);
    const regulator = { role: 'regulator', agency: review.agency, province: review.province };
    const pages: PortalPage[] = [
      { id: 'public', label: 'public campaign page', route: '/campaign' },
      {
        id: 'complaint-form',
        label: 'complaint form',
        route: '/complaints/new',
        claims: { role: 'enterprise', creditCode: enterpriseCode('11', 8_100_002) },
      },
      { id: 'inbox', label: 'inbox', route: '/inbox?kind=REVIEW', claims: regulator },
      {
        id: 'case',
        label: 'case page',
        route: `/cases/${encodeURIComponent(review.caseId)}`,
        claims: regulator,
      },
    ];
    browser = await puppeteer.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless=new', '--no-sandbox'],
    });
    const scores: Record<string, unknown> = {};
    for (const portalPage of pages) {
      const page = await browser.newPage();
      if (portalPage.claims) {
        const session = await sessionOf(campaign, portalPage.claims);
        await page.evaluateOnNewDocument((value: string) => {
          if (location.protocol === 'http:') sessionStorage.setItem('campaign.session', value);
        }, JSON.stringify(session));
      }
      const url = `${campaign.url}/#${portalPage.route}`;
      const started = performance.now();
      const result = await withinTime(
        lighthouse(
          url,
          {
            logLevel: 'error',
            output: 'json',
            onlyCategories: categories.map((category) => category.id),
          },
          undefined,
          page,
        ),
        perPageMs,
        `Lighthouse on the ${portalPage.label}`,
      );
      // The portal sends a reader without a session to sign in: make sure the page measured is the one meant.
      const shown = await page.evaluate(() => document.querySelector('main')?.dataset.rendered);
      await page.close();
      if (shown !== portalPage.route) {
        throw new Error(`the ${portalPage.label} (${portalPage.route}) ended on ${shown ?? 'no page'}`);
      }
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`Lighthouse gave no report for the ${portalPage.label}`);
      if (lhr.runtimeError) throw new Error(`${portalPage.label}: ${lhr.runtimeError.message}`);
      if (reportsDir) {
        await writeFile(join(reportsDir, `${portalPage.id}.report.json`), JSON.stringify(lhr, null, 1));
      }
      const metric = (id: string) => lhr.audits[id]?.numericValue;
      const failing = Object.values(lhr.audits)
        .filter(
          (audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative',
        )
        .map((audit) => `${audit.id} ${audit.score}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
      scores[portalPage.id] = {
        url,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        firstContentfulPaintMs: metric('first-contentful-paint'),
        largestContentfulPaintMs: metric('largest-contentful-paint'),
        totalBlockingTimeMs: metric('total-blocking-time'),
        cumulativeLayoutShift: metric('cumulative-layout-shift'),
        speedIndexMs: metric('speed-index'),
        failing,
      };
      for (const category of categories) {
        const score = lhr.categories[category.id]?.score;
        context.row({
          id: `lighthouse.${portalPage.id}.${category.id}`,
          section: 8,
          benchmark: `Lighthouse ${category.label}, ${portalPage.label} (mobile)`,
          measured: score === null || score === undefined ? Number.NaN : Math.round(score * 100),
          target: { on: 'measured', op: '>=', value: category.target },
          ...(category.id === 'performance'
            ? {
                note: `LCP ${Math.round(metric('largest-contentful-paint') ?? 0)} ms, TBT ${Math.round(metric('total-blocking-time') ?? 0)} ms, CLS ${(metric('cumulative-layout-shift') ?? 0).toFixed(3)}`,
              }
            : {}),
        });
      }
      context.log(
        `${portalPage.label}: ${categories.map((c) => `${c.label} ${Math.round((lhr.categories[c.id]?.score ?? 0) * 100)}`).join(', ')}${failing.length > 0 ? `; below 1: ${failing.join('; ')}` : ''}`,
      );
    }
    context.detail('lighthouse', { version: '12.2.3', chromium: await browser.version(), pages: scores });
  } finally {
    await browser?.close().catch(() => undefined);
    await campaign.stop();
  }
});
