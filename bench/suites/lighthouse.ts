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
import { median, sleep } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const categories = [
  { id: 'performance', label: 'performance', target: 95 },
  { id: 'accessibility', label: 'accessibility', target: 100 },
  { id: 'best-practices', label: 'best practices', target: 95 },
] as const;
type CategoryId = (typeof categories)[number]['id'];
/** Where to keep each page's whole report (`BENCH_LIGHTHOUSE_REPORTS=dir`), for looking into a score. */
const reportsDir = process.env.BENCH_LIGHTHOUSE_REPORTS;
/** Audits per page, the median judged (Lighthouse's own advice against its run-to-run variance). */
const runs = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
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

/** Lighthouse could not measure the page this time (its own `runtimeError`). */
class LighthouseRunError extends Error {}

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
    // The first request builds the portal (esbuild, brotli): not what a visitor of a deployed site waits for.
    await fetch(`${campaign.url}/`);
    await campaign.drainStreams();
    await campaign.quiesce({ quietMs: 500 });
    const audit = async (portalPage: PortalPage, run: number) => {
      const page = await (browser as Browser).newPage();
      if (portalPage.claims) {
        const session = await sessionOf(campaign, portalPage.claims);
        await page.evaluateOnNewDocument((value: string) => {
          if (location.protocol === 'http:') sessionStorage.setItem('campaign.session', value);
        }, JSON.stringify(session));
      }
      const result = await withinTime(
        lighthouse(
          `${campaign.url}/#${portalPage.route}`,
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
      if (lhr.runtimeError) throw new LighthouseRunError(`${portalPage.label}: ${lhr.runtimeError.message}`);
      if (reportsDir) {
        await writeFile(
          join(reportsDir, `${portalPage.id}.${run}.report.json`),
          JSON.stringify(lhr, null, 1),
        );
      }
      const metric = (id: string) => Math.round((lhr.audits[id]?.numericValue ?? Number.NaN) * 1000) / 1000;
      return {
        scores: Object.fromEntries(
          categories.map((c) => [c.id, Math.round((lhr.categories[c.id]?.score ?? Number.NaN) * 100)]),
        ) as Record<CategoryId, number>,
        firstContentfulPaintMs: metric('first-contentful-paint'),
        largestContentfulPaintMs: metric('largest-contentful-paint'),
        totalBlockingTimeMs: metric('total-blocking-time'),
        cumulativeLayoutShift: metric('cumulative-layout-shift'),
        speedIndexMs: metric('speed-index'),
        // How fast Lighthouse found this machine (its CPU benchmark): low values mean a busy machine.
        benchmarkIndex: lhr.environment.benchmarkIndex,
        belowFull: Object.values(lhr.audits)
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative')
          .map((a) => `${a.id} ${a.score}${a.displayValue ? ` (${a.displayValue})` : ''}`),
      };
    };
    const details: Record<string, unknown> = {};
    for (const portalPage of pages) {
      const audits = [];
      for (let run = 1; run <= runs; run++) {
        if (performance.now() > context.deadline) break;
        const audited = await audit(portalPage, run).catch((error: unknown) => {
          // Lighthouse asks for another run when its trace of the load is incomplete (NO_NAVSTART, say).
          if (!(error instanceof LighthouseRunError)) throw error;
          context.log(`${portalPage.label} run ${run}: ${error.message}; once more`);
          return audit(portalPage, run);
        });
        context.log(
          `${portalPage.label} run ${run}: ${categories.map((c) => `${c.label} ${audited.scores[c.id]}`).join(', ')}; LCP ${Math.round(audited.largestContentfulPaintMs)} ms, TBT ${Math.round(audited.totalBlockingTimeMs)} ms, CLS ${audited.cumulativeLayoutShift}, benchmark index ${Math.round(audited.benchmarkIndex)}${audited.belowFull.length > 0 ? `; below 1: ${audited.belowFull.join('; ')}` : ''}`,
        );
        audits.push(audited);
      }
      details[portalPage.id] = { route: portalPage.route, runs: audits };
      for (const category of categories) {
        const each = audits.map((audited) => audited.scores[category.id]);
        context.row({
          id: `lighthouse.${portalPage.id}.${category.id}`,
          section: 8,
          benchmark: `Lighthouse ${category.label}, ${portalPage.label} (mobile)`,
          measured: median(each),
          target: { on: 'measured', op: '>=', value: category.target },
          note: `median of ${each.length} run(s): ${each.join(', ')}`,
        });
      }
    }
    context.detail('lighthouse', {
      version: '12.2.3',
      chromium: await browser.version(),
      runs,
      pages: details,
    });
  } finally {
    await browser?.close().catch(() => undefined);
    await campaign.stop();
  }
});
