/**
 * `npm run screenshots [-- --out <folder>]`: every page of the portal, in Chinese and English, at
 * 360 px (a phone) and 1280 px (a desk), full-page, into `screenshots/` (or the folder given). It starts
 * the local runtime in a temporary folder, seeds cases through the API (the local seed, plus a few
 * complaints of one Guangdong enterprise with Chinese names), signs in as each party through the
 * sign-in page, and prints the files it wrote. Chinese glyphs need a CJK font on the machine (Debian:
 * fonts-wqy-microhei), Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { associationCode, claimsOf, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { startLocalRuntime } from '#infra/local/runtime';
import { planCase, seedCampaign } from '#infra/local/seed';
import { type DevIdentity, hasChromium, launchBrowser, open, rendered, signIn } from '#test/web/browser';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const widths = [360, 1280] as const;
const languages = [
  { lang: 'zh-CN', locale: 'zh-CN' },
  { lang: 'en', locale: 'en-US' },
] as const;
/** Seeded cases: one of each of the seed's paths, so every stage has a case waiting in it. */
const seededCases = 11;
const run = 4_242;

// biome-ignore lint/suspicious/noExplicitAny: the script reads API answers loosely, by the fields it needs
type Json = Record<string, any>;

interface Shot {
  name: string;
  route: string;
  /** What to do on the page before the picture (a lookup, say). */
  before?: (page: Page) => Promise<void>;
}

interface Visit {
  as?: DevIdentity;
  shots: Shot[];
}

const api = async (url: string, method: string, path: string, token?: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Json;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
};

/** Waits until the case has an open task of `kind` (the workflow moves on asynchronously). */
const openTask = async (url: string, admin: string, caseId: string, kind: string): Promise<Json> => {
  for (let attempt = 0; attempt < 400; attempt++) {
    const detail = await api(url, 'GET', `/api/cases/${caseId}`, admin);
    const task = (detail.tasks as Json[] | undefined)?.find(
      (candidate) => candidate.kind === kind && candidate.status === 'OPEN',
    );
    if (task) return task;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`case ${caseId}: no open ${kind} task`);
};

/**
 * A Guangdong enterprise's complaints against associations with long Chinese names: two waiting for
 * review, one with a request for information to answer; the pages' regulator reviews the dues. Returns what the pages need.
 */
const seedGuangdong = async (url: string) => {
  const token = async (claims: Record<string, string>) =>
    (await api(url, 'POST', '/local/token', undefined, claims)).token as string;
  const creditCode = enterpriseCode('44', run);
  const enterprise = await token(claimsOf.enterprise(creditCode));
  const admin = await token(claimsOf.admin());
  const file = (n: number, associationName: string, feeName: string, category: string, amountFen: number) =>
    api(
      url,
      'POST',
      '/api/complaints',
      enterprise,
      complaintBody({
        associationCode: associationCode('44', run + n),
        associationName,
        feeName,
        category,
        amountFen,
        facts: category === 'MEMBERSHIP_DUES' ? { forcedMembership: true } : { compulsory: true },
        description: '协会要求企业必须参加，否则不予办理会员证明。',
        contact: { name: '陈小姐', phone: '13800138000' },
      }),
    );
  const dues = await file(1, '广东省家具行业协会', '2026年度会费', 'MEMBERSHIP_DUES', 376_800_00);
  const training = await file(2, '广州市电子商务行业协会', '岗位培训费', 'MEETING_TRAINING', 2_800_00);
  const review = await openTask(url, admin, training.caseId, 'REVIEW');
  const regulator = await token(claimsOf.regulator(review.agency, review.province));
  await api(url, 'POST', `/api/tasks/${encodeURIComponent(review.taskId)}/complete`, regulator, {
    verdict: 'NEEDS_INFO',
    ruleIds: [],
    reason: '请说明培训是否为强制参加，以及是否实际开展了培训。',
  });
  const info = await openTask(url, admin, training.caseId, 'INFO');
  await file(3, '广东省建筑装饰行业协会', '行业评比表彰费', 'RATING_AWARD', 12_000_00);
  const duesReview = await openTask(url, admin, dues.caseId, 'REVIEW');
  const detail = await api(url, 'GET', `/api/complaints/${dues.complaintId}`, enterprise);
  return {
    creditCode,
    complaintId: dues.complaintId as string,
    caseId: dues.caseId as string,
    reference: (detail.complaint.reference ?? detail.case.reference) as string,
    infoTaskId: info.taskId as string,
    regulator: { agency: duesReview.agency as string, province: duesReview.province as string },
  };
};

/** The seeded case left waiting for the association's report, and its association. */
const waitingOrder = () => {
  const index = Array.from({ length: seededCases }, (_, i) => i).find(
    (i) => planCase(i).path === 'wait-rectification',
  ) as number;
  return associationCode(planCase(index).province, run * 10_000 + index);
};

const visits = (seeded: Awaited<ReturnType<typeof seedGuangdong>>): Visit[] => {
  const complaint = `/complaints/${encodeURIComponent(seeded.complaintId)}`;
  const caseRoute = `/cases/${encodeURIComponent(seeded.caseId)}`;
  return [
    {
      shots: [
        { name: 'campaign', route: '/campaign' },
        {
          name: 'track',
          route: `/track?reference=${seeded.reference}`,
          before: async (page) => {
            await page.getByLabel(/信用代码|credit code/i).fill(seeded.creditCode);
            await page.locator('main form button[type="submit"]').click();
            await page.locator('main section', { hasText: seeded.reference }).waitFor();
          },
        },
        { name: 'sign-in', route: '/sign-in' },
        { name: 'not-found', route: '/no-such-page' },
      ],
    },
    {
      as: { role: 'enterprise', creditCode: seeded.creditCode },
      shots: [
        { name: 'my-complaints', route: '/complaints' },
        {
          // On a phone the navigation folds behind the menu button; this is it opened.
          name: 'menu-open',
          route: '/complaints',
          before: async (page) => {
            const menu = page.locator('header .menu-button');
            if (await menu.isVisible()) await menu.click();
          },
        },
        { name: 'complaint-form', route: '/complaints/new' },
        { name: 'receipt', route: `${complaint}/receipt` },
        { name: 'complaint', route: complaint },
        { name: 'info-answer', route: `/info/${encodeURIComponent(seeded.infoTaskId)}` },
        { name: 'notifications-enterprise', route: '/notifications' },
        { name: 'campaign-enterprise', route: '/campaign' },
      ],
    },
    {
      as: { role: 'regulator', ...seeded.regulator },
      shots: [
        { name: 'inbox', route: '/inbox' },
        { name: 'case-review', route: caseRoute },
        { name: 'complaint-regulator', route: complaint },
        { name: 'cases', route: '/cases' },
        { name: 'dashboard-regulator', route: '/dashboard' },
        { name: 'notifications-regulator', route: '/notifications' },
      ],
    },
    {
      as: { role: 'association', creditCode: waitingOrder() },
      shots: [
        { name: 'orders', route: '/orders' },
        { name: 'notifications-association', route: '/notifications' },
      ],
    },
    {
      as: { role: 'campaign-admin' },
      shots: [
        { name: 'dashboard-admin', route: '/dashboard' },
        { name: 'inbox-admin', route: '/inbox' },
        { name: 'cases-admin', route: '/cases' },
      ],
    },
  ];
};

/** The association's case page: the order to report on, opened from its list. */
const orderCase = async (page: Page, base: string): Promise<Shot | undefined> => {
  await open(page, base, '/orders');
  const link = page.locator('main table tbody tr a').first();
  if ((await link.count()) === 0) return undefined;
  const target = (await link.getAttribute('href')) ?? '';
  return { name: 'case-association', route: target.slice(1) };
};

const shoot = async (browser: Browser, base: string, out: string, plan: Visit[]): Promise<string[]> => {
  const written: string[] = [];
  for (const { lang, locale } of languages) {
    for (const visit of plan) {
      const context = await browser.newContext({ viewport: { width: widths[0], height: 740 }, locale });
      const page = await context.newPage();
      if (visit.as) await signIn(page, base, visit.as);
      const shots = [...visit.shots];
      if (visit.as?.role === 'association') {
        const extra = await orderCase(page, base);
        if (extra) shots.push(extra);
      }
      for (const shot of shots) {
        for (const width of widths) {
          await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
          await open(page, base, shot.route);
          // Drawn afresh at this width (a page decides some things, like open disclosures, as it renders).
          await page.reload();
          await rendered(page, shot.route);
          await shot.before?.(page);
          const path = join(out, `${lang}-${width}-${shot.name}.png`);
          await page.screenshot({ path, fullPage: true });
          written.push(path);
        }
      }
      await context.close();
    }
  }
  return written;
};

const { values } = parseArgs({ options: { out: { type: 'string', default: 'screenshots' } } });
if (!hasChromium) {
  console.error(
    'No Chromium at /usr/bin/chromium: install it (apt-get install -y chromium) or set CHROMIUM_PATH.',
  );
  process.exit(1);
}
const out = resolve(repoRoot, values.out);
await mkdir(out, { recursive: true });
const started = Date.now();
const dataDir = await mkdtemp(join(tmpdir(), 'campaign-screenshots-'));
const runtime = await startLocalRuntime({ port: 0, dataDir, rateLimits: false, devTokens: true });
const browser = await launchBrowser();
try {
  // The landing page as the first visitor sees it, before any complaint.
  const empty = await shoot(browser, runtime.url, out, [
    { shots: [{ name: 'campaign-empty', route: '/campaign' }] },
  ]);
  const seeded = await seedGuangdong(runtime.url);
  const result = await seedCampaign({ url: runtime.url, cases: seededCases, run, concurrency: 4 });
  if (result.failed > 0) throw new Error(`${result.failed} of ${result.cases} seeded cases failed`);
  await runtime.drainQueues();
  const written = [...empty, ...(await shoot(browser, runtime.url, out, visits(seeded)))];
  for (const path of written) console.log(path);
  console.log(`${written.length} screenshots in ${out} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
} finally {
  await browser.close();
  await runtime.stop();
  await rm(dataDir, { recursive: true, force: true });
}
