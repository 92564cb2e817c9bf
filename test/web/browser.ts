/**
 * Headless Debian Chromium for the portal's tests, driven by playwright-core (which never downloads a
 * browser). A machine without /usr/bin/chromium skips the browser tests with a message saying why.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** Call at the top of a browser test file: says why its tests are skipped on this machine. */
export const announceSkip = (file: string): void => {
  if (!hasChromium) {
    console.warn(
      `[${file}] SKIPPED: no Chromium at ${chromiumPath}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests.`,
    );
  }
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

export const resultsDir = join(repoRoot, 'test-results', 'web');

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
}

/** A page that records script errors and CSP violations, which a test then asserts are absent. */
export const watchedPage = async (context: BrowserContext): Promise<WatchedPage> => {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // A refused request shows as a console error too; the tests provoke 404/409 answers on purpose.
    if (message.type() === 'error' && !/Failed to load resource/.test(text))
      problems.push(`console: ${text}`);
    if (/Content Security Policy|Refused to/.test(text)) problems.push(`CSP: ${text}`);
  });
  return { page, problems };
};

/** Waits until the portal has rendered `route` (the hash path, with its query when given). */
export const rendered = async (page: Page, route?: string | RegExp): Promise<void> => {
  if (route === undefined) {
    await page.locator('main[data-rendered]').waitFor();
    return;
  }
  await page.waitForFunction(
    ([source, isRegExp]) => {
      const value = document.querySelector('main')?.dataset.rendered;
      if (value === undefined) return false;
      return isRegExp ? new RegExp(source).test(value) : value === source;
    },
    [route instanceof RegExp ? route.source : route, route instanceof RegExp] as const,
  );
};

export const open = async (page: Page, base: string, route: string): Promise<void> => {
  await page.goto(`${base}/#${route}`);
  await rendered(page, route);
};

/** Reloads `route` until `check` passes (the workflow moves on asynchronously). */
export const pollPage = async (
  page: Page,
  base: string,
  route: string,
  check: (page: Page) => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  await open(page, base, route);
  while (!(await check(page))) {
    if (Date.now() > deadline)
      throw new Error(`${route}: the expected content did not appear in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await page.reload();
    await rendered(page, route);
  }
};

let axeSource: string | undefined;

/** axe-core's serious and critical violations on the page, one line each. */
export const accessibilityViolations = async (page: Page): Promise<string[]> => {
  axeSource ??= await readFile(join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) does not apply.
  // Once per document: hash routes keep it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.targets.join(' | ')}`,
    );
};

export const screenshot = async (page: Page, name: string): Promise<string> => {
  await mkdir(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};

/** Wider than the viewport means the page scrolls sideways (tables scroll inside their own region). */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

export interface DevIdentity {
  role: 'enterprise' | 'regulator' | 'association' | 'campaign-admin';
  creditCode?: string;
  agency?: string;
  province?: string;
  name?: string;
}

const roleLabels: Record<DevIdentity['role'], RegExp> = {
  enterprise: /^Enterprise|^企业/,
  regulator: /^Regulator$|^监管部门$/,
  association: /^Association|^行业协会商会$/,
  'campaign-admin': /^Campaign administrator|^治理工作管理员/,
};

/**
 * Signs in through the local sign-in page, as a person would; `onThisPage` when the portal has already
 * sent the page there (with the route to come back to).
 */
export const signIn = async (
  page: Page,
  base: string,
  identity: DevIdentity,
  options: { onThisPage?: boolean } = {},
): Promise<void> => {
  if (!options.onThisPage) await open(page, base, '/sign-in');
  await page.getByRole('radio', { name: roleLabels[identity.role] }).check();
  if (identity.creditCode) await page.getByLabel(/credit code|信用代码/i).fill(identity.creditCode);
  if (identity.agency) await page.getByLabel(/^Agency$|^主管部门$/).selectOption(identity.agency);
  if (identity.province) await page.getByLabel(/^Province$|^省份$/).selectOption(identity.province);
  if (identity.name) await page.getByLabel(/Display name|显示名称/).fill(identity.name);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForFunction(() => {
    const rendered = document.querySelector('main')?.dataset.rendered;
    return rendered !== undefined && !rendered.startsWith('/sign-in');
  });
};

/** Opens the header's menu where it is folded (a phone), so that its navigation can be seen and used. */
export const unfoldHeader = async (page: Page): Promise<void> => {
  const menu = page.locator('header .menu-button');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
};

/** Signs out from the header, opening its menu first where it is folded (a phone). */
export const signOutFromHeader = async (page: Page): Promise<void> => {
  await unfoldHeader(page);
  await page.locator('header .who button.sign-out').click();
};

/** The text as a person sees it (line breaks between blocks, hidden text left out). */
export const visibleText = (locator: Locator, options?: { timeout?: number }): Promise<string> =>
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's rendered text is what the tests assert on
  locator.innerText(options);

/**
 * Checks the page as it stands (a form open on it, say) in both languages at 360 px: axe, sideways
 * scrolling, a screenshot each; returns what it found. Switching the language keeps what was typed; it
 * ends in English, at the viewport it started with.
 */
export const auditAtPhoneWidth = async (page: Page, name: string): Promise<string[]> => {
  const findings: string[] = [];
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 780 });
  for (const language of ['en', 'zh-CN'] as const) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== language) {
      await page.locator('button.lang-switch').click();
      await page.waitForFunction(
        (want) =>
          document.documentElement.lang === want &&
          document.querySelector('main')?.dataset.rendered !== undefined,
        language,
      );
    }
    for (const details of await page.locator('main details').all())
      await details.evaluate((d) => d.setAttribute('open', ''));
    for (const violation of await accessibilityViolations(page))
      findings.push(`${language} ${name}: ${violation}`);
    const overflow = await horizontalOverflow(page);
    if (overflow > 0) findings.push(`${language} ${name}: ${overflow}px wider than 360 px`);
    await screenshot(page, `${language}-${name}`);
  }
  await page.locator('button.lang-switch').click();
  await page.waitForFunction(
    () =>
      document.documentElement.lang === 'en' &&
      document.querySelector('main')?.dataset.rendered !== undefined,
  );
  if (viewport) await page.setViewportSize(viewport);
  return findings;
};
