/**
 * The portal in headless Chromium against the local runtime (docs/workflow.md, issue 5): an enterprise
 * files a complaint through the form and sees it in its list; the regulator decides it from the inbox;
 * the association reports; the regulator verifies; the complainant's timeline and the dashboard show
 * the outcome. Then every page, in both languages, at 360 px: no serious or critical axe violation, no
 * sideways scrolling, no CSP violation, a screenshot under test-results/web/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { associationCode, enterpriseCode } from '#infra/local/campaign-fixtures';
import {
  accessibilityViolations,
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  horizontalOverflow,
  open,
  pollPage,
  rendered,
  screenshot,
  signIn,
  signOutFromHeader,
  visibleText,
} from '#test/web/browser';
import {
  acceptRectification,
  fileComplaintThroughForm,
  openCaseFromInbox,
  recordUnlawfulDecision,
  sendRefundReport,
} from '#test/web/case-lifecycle';
import { desk, phone, usePortal } from '#test/web/portal-harness';
import sample from './fixtures/metrics-sample.json' with { type: 'json' };

announceSkip('test/web/portal.test.ts');

const seed = (Math.floor(Math.random() * 90_000) * 100) % 10_000_000;
const codes = {
  enterprise: enterpriseCode('11', seed + 1),
  association: associationCode('11', seed + 1),
};

/** What the lifecycle created, for the page sweep. */
const created: { complaintId?: string; caseId?: string; reference?: string } = {};

const text = (page: Page) => visibleText(page.locator('main'));

/** Problems found by `audit`, asserted empty at the end of each test. */
const findings: string[] = [];

const audit = async (page: Page, name: string) => {
  findings.push(...(await auditAtPhoneWidth(page, name)));
};

describe.skipIf(!hasChromium)('web portal in headless Chromium', () => {
  const portal = usePortal();

  it('takes a complaint from the form to an abolished fee that the timeline and the dashboard show', {
    timeout: 240_000,
  }, async () => {
    // The enterprise uses a phone.
    const enterprise = await portal.person({ viewport: phone });
    await signIn(enterprise.page, portal.base, { role: 'enterprise', creditCode: codes.enterprise });
    await open(enterprise.page, portal.base, '/complaints/new');
    created.complaintId = await fileComplaintThroughForm(enterprise.page, {
      associationName: 'Beijing Widget Industry Association',
      associationCode: codes.association,
      fee: '2026 annual dues',
    });

    // A printable receipt first: the reference, the office by its name, when a decision is due.
    const receipt = await text(enterprise.page);
    expect(receipt).toContain('Your complaint was submitted.');
    expect(await visibleText(enterprise.page.locator('h1'))).toBe('Complaint submitted: your receipt');
    expect(receipt).toContain('Beijing Municipal Civil Affairs Bureau');
    expect(receipt).toContain('Decision due by');
    created.reference = await visibleText(enterprise.page.locator('main .reference'));
    expect(created.reference).toMatch(/^\d{4}-11-\d{6}$/);
    await audit(enterprise.page, 'receipt');

    await enterprise.page.getByRole('link', { name: 'View the complaint' }).click();
    await rendered(enterprise.page, /^\/complaints\/(?!new$)[^/]+$/);
    expect(await visibleText(enterprise.page.locator('h1'))).toBe('Complaint about “2026 annual dues”');
    expect(await text(enterprise.page)).toMatch(
      /Progress[\s\S]*Submitted[\s\S]*Review[\s\S]*In progress since/,
    );

    await open(enterprise.page, portal.base, '/complaints');
    const row = enterprise.page.locator('main table tbody tr', { hasText: '2026 annual dues' });
    await row.waitFor();
    expect(await visibleText(row)).toContain('¥4,800.00');

    // The regulator of MCA in Beijing finds it in the inbox and decides.
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    const inboxRow = regulator.page.locator('main table tbody tr', { hasText: '2026 annual dues' });
    await pollPage(regulator.page, portal.base, '/inbox', async () => (await inboxRow.count()) === 1);
    expect(await visibleText(inboxRow)).toMatch(/Review/);
    expect(await visibleText(inboxRow)).toMatch(/\d{4}-11-\d{6}/);
    await inboxRow.getByRole('link', { name: '2026 annual dues' }).click();
    await rendered(regulator.page, /^\/cases\//);
    created.caseId = decodeURIComponent(
      ((await regulator.page.evaluate(() => location.hash)).split('/')[2] ?? '').split('?')[0] ?? '',
    );
    const casePage = await text(regulator.page);
    expect(casePage).toMatch(/Case reference\s*\d{4}-11-\d{6}/);
    expect(casePage).toContain('Suggested verdict');
    expect(casePage).toMatch(/R01 Forced membership/);
    expect(casePage).toContain('国办发〔2020〕21号');
    expect(casePage).toMatch(/Integrity verified: all \d+ events/);

    await audit(regulator.page, 'case-review-form');
    await recordUnlawfulDecision(regulator.page);

    // The association reports the refund, in yuan.
    const association = await portal.person();
    await signIn(association.page, portal.base, { role: 'association', creditCode: codes.association });
    const order = association.page.locator('main table tbody tr', { hasText: '2026 annual dues' });
    await pollPage(association.page, portal.base, '/orders', async () => (await order.count()) >= 1);
    await order.first().getByRole('link').click();
    await rendered(association.page, /^\/cases\//);
    // The complainant did not agree to be named; the association reads the order, not the reason.
    expect(await text(association.page)).not.toContain(codes.enterprise);
    expect(await text(association.page)).toContain(
      'Complaints whose complainant did not agree to be named: 1.',
    );
    expect(await text(association.page)).toContain('Stop making membership a condition of your services');
    expect(await text(association.page)).not.toContain('Forced membership is prohibited.');
    await audit(association.page, 'case-rectification-form');
    await sendRefundReport(association.page, '4800');

    // The regulator verifies.
    await openCaseFromInbox(regulator.page, portal.base, 'VERIFICATION', '2026 annual dues');
    expect(await text(regulator.page)).toContain('¥4,800.00');
    await audit(regulator.page, 'case-verification-form');
    await acceptRectification(regulator.page);

    // The complainant's timeline shows the outcome.
    await pollPage(
      enterprise.page,
      portal.base,
      `/complaints/${encodeURIComponent(created.complaintId)}`,
      async (page) => (await text(page)).includes('Closed: Abolished'),
    );
    const timeline = await text(enterprise.page);
    expect(timeline).toMatch(/Outcome\s+Abolished/);
    expect(timeline).toMatch(/Verdict\s+Unlawful/);
    expect(timeline).toMatch(/Refunded\s+¥4,800.00/);
    expect(timeline).toContain('The rectification was verified');

    // The complainant confirms, once, that the refund arrived and rates the handling.
    await audit(enterprise.page, 'complaint-feedback-form');
    const feedback = enterprise.page.locator('main form', { hasText: 'Did the refund arrive?' });
    expect(await text(enterprise.page)).toContain('The association reported refunding ¥4,800.00.');
    await feedback
      .getByRole('group', { name: 'Did the refund arrive?' })
      .getByLabel('Yes, it arrived')
      .check();
    await feedback.getByLabel('Very satisfied').check();
    await feedback.getByLabel(/Comments and suggestions/).fill('The refund arrived within a week.');
    await feedback.getByRole('button', { name: 'Send feedback' }).click();
    await enterprise.page.locator('main .notice', { hasText: 'Thank you for your feedback.' }).waitFor();
    const given = await text(enterprise.page);
    expect(given).toMatch(/Refund\s+Yes, it arrived/);
    expect(given).toMatch(/Satisfaction\s+Very satisfied/);
    expect(await enterprise.page.locator('main form', { hasText: 'Did the refund arrive?' }).count()).toBe(0);
    await audit(enterprise.page, 'complaint-feedback-given');

    // The dashboard (an admin's) and the public campaign page count it.
    const admin = await portal.person();
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    const abolished = admin.page.locator('[data-figure="feesAbolished"] .headline-value');
    await pollPage(
      admin.page,
      portal.base,
      '/dashboard',
      async () => (await visibleText(abolished).catch(() => '0')) === '1',
    );
    expect(await visibleText(admin.page.locator('[data-figure="refundedFen"] .headline-value'))).toBe(
      '¥4,800.00',
    );
    const outcomes = admin.page.locator('#chart-outcomes');
    await outcomes.locator('summary').click();
    expect(await visibleText(outcomes.locator('table'))).toMatch(/Abolished\s+1/);
    const byCategory = admin.page.locator('#chart-outcomes-by-category');
    await byCategory.locator('summary').click();
    expect(await visibleText(byCategory.locator('table'))).toMatch(/Membership dues\s+1\s+1\s+1\s+¥4,800.00/);
    expect(await admin.page.locator('a[href="/api/public/outcomes.csv?lang=en"]').first().isVisible()).toBe(
      true,
    );

    await open(enterprise.page, portal.base, '/campaign');
    expect(await visibleText(enterprise.page.locator('[data-figure="feesAbolished"] .headline-value'))).toBe(
      '1',
    );
    // Refunds recorded by the regulators, beside those the enterprises confirmed.
    const confirmed = enterprise.page.locator('[data-figure="refundsConfirmed"] .headline-value');
    await pollPage(
      enterprise.page,
      portal.base,
      '/campaign',
      async () => (await visibleText(confirmed).catch(() => '0')) === '1',
    );
    expect(await visibleText(enterprise.page.locator('[data-figure="refundedFen"] .headline-label'))).toBe(
      'Refunds recorded by regulators',
    );

    for (const { problems } of [enterprise, regulator, association, admin]) expect(problems).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('shows the complainant its notifications and their unread count, and marks one read when opened', {
    timeout: 120_000,
  }, async () => {
    expect(created.complaintId, 'the lifecycle test ran first').toBeDefined();
    await portal.harness.runtime.drainStreams();
    const { page, problems } = await portal.person({ viewport: phone });
    await signIn(page, portal.base, { role: 'enterprise', creditCode: codes.enterprise });
    await open(page, portal.base, '/notifications');
    const count = page.locator('header a.bell .badge-count');
    await count.filter({ hasText: '3' }).waitFor();

    const items = page.locator('main li.notification');
    expect(await items.count()).toBe(3);
    expect(await page.locator('main li.notification.unread').count()).toBe(3);
    expect(await visibleText(items.nth(0))).toContain('Complaint closed');
    expect(await visibleText(items.nth(1))).toContain('Rectification ordered');
    expect(await visibleText(items.nth(2))).toContain('Complaint received');
    await audit(page, 'notifications');

    await items.nth(0).getByRole('link', { name: 'View details' }).click();
    await rendered(page, `/complaints/${encodeURIComponent(created.complaintId ?? '')}`);
    await count.filter({ hasText: '2' }).waitFor();
    await open(page, portal.base, '/notifications');
    expect(await page.locator('main li.notification.unread').count()).toBe(2);

    await page.getByRole('button', { name: 'Mark all on this page as read' }).click();
    await page.locator('main .notice', { hasText: 'Marked as read.' }).waitFor();
    expect(await page.locator('main li.notification.unread').count()).toBe(0);
    await count.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('asks the complainant for information and takes the answer through the form', {
    timeout: 120_000,
  }, async () => {
    const enterprise = await portal.person({ viewport: phone });
    const code = enterpriseCode('11', seed + 2);
    const associationCredit = associationCode('11', seed + 2);
    const token = await portal.harness.token({ role: 'enterprise', creditCode: code });
    const filed = await portal.harness.request('POST', '/api/complaints', {
      token,
      body: {
        association: { name: 'Beijing Exhibition Association', creditCode: associationCredit },
        fee: {
          name: 'Booth fee',
          category: 'EXHIBITION',
          amountFen: 120_000,
          chargedOn: '2026-02-01',
          period: 'ONE_OFF',
        },
        facts: {},
        description: 'An exhibition booth fee.',
        contact: { name: 'Li Si', phone: '13900000000' },
      },
    });
    expect(filed.status).toBe(202);
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'SAMR', province: '11' });
    await openCaseFromInbox(regulator.page, portal.base, 'REVIEW', 'Booth fee');
    const decide = regulator.page.locator('section.action-card form');
    expect(await text(regulator.page)).toContain('Undetermined');
    // Client-side checks mirror the server's: no verdict, no reason.
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    expect(await visibleText(decide.locator('.error-summary'))).toMatch(/Verdict: choose one/);
    expect(await visibleText(decide.locator('[data-path="reason"] .field-error'))).toContain('is required');
    await decide.getByRole('radio', { name: 'More information needed' }).check();
    await decide.getByLabel('Reason').fill('Was the booth compulsory? Was the service provided?');
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    // A binding decision is spelled out and confirmed before it is sent.
    await regulator.page.getByRole('button', { name: 'Confirm the decision' }).click();
    await regulator.page.locator('main .notice', { hasText: 'The decision was recorded.' }).waitFor();

    await signIn(enterprise.page, portal.base, { role: 'enterprise', creditCode: code });
    const answer = enterprise.page.getByRole('link', { name: 'Answer' });
    await pollPage(enterprise.page, portal.base, '/complaints', async () => (await answer.count()) === 1);
    await answer.click();
    await rendered(enterprise.page, /^\/info\//);
    await audit(enterprise.page, 'info-answer-form');
    // The complainant reads the regulator's own question, and which fee it is about.
    const question = enterprise.page.getByRole('region', { name: 'The regulator asks' });
    expect(await visibleText(question.locator('blockquote'))).toBe(
      'Was the booth compulsory? Was the service provided?',
    );
    expect(await visibleText(question)).toContain(
      'About Booth fee, charged by Beijing Exhibition Association',
    );
    const form = enterprise.page.locator('main form');
    await form
      .getByRole('group', { name: /required to pay this fee/ })
      .getByLabel('Yes', { exact: true })
      .check();
    await form
      .getByRole('group', { name: /receive the service/ })
      .getByLabel('No', { exact: true })
      .check();
    await form
      .getByLabel('Your answer', { exact: true })
      .fill('The booth was compulsory and no exhibition took place.');
    await form.getByRole('button', { name: 'Send the answer' }).click();
    await rendered(enterprise.page, '/complaints');
    expect(await text(enterprise.page)).toContain('your answer was sent');

    // The new facts are classified again: the booth fee is now unlawful (R05, R07).
    await pollPage(
      regulator.page,
      portal.base,
      `/cases/${encodeURIComponent(filed.body.caseId)}`,
      async (page) => (await text(page)).includes('R05'),
    );
    expect(await text(regulator.page)).toMatch(/R07 Compulsory paid meetings/);
    expect([...enterprise.problems, ...regulator.problems]).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('explains a conflict (409) instead of swallowing it', { timeout: 60_000 }, async () => {
    const code = enterpriseCode('11', seed + 3);
    const token = await portal.harness.token({ role: 'enterprise', creditCode: code });
    const filed = await portal.harness.request('POST', '/api/complaints', {
      token,
      body: {
        association: { name: 'Beijing Rating Association', creditCode: associationCode('11', seed + 3) },
        fee: {
          name: 'Excellence award fee',
          category: 'RATING_AWARD',
          amountFen: 50_000,
          chargedOn: '2026-01-15',
          period: 'ONE_OFF',
        },
        description: 'Paid for an award.',
        contact: { name: 'Wang Wu', phone: '13700000000' },
      },
    });
    expect(filed.status).toBe(202);
    const colleague = await portal.harness.token({
      role: 'regulator',
      agency: 'SAMR',
      province: '11',
      name: 'colleague',
    });
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'SAMR', province: '11' });
    const route = `/cases/${encodeURIComponent(filed.body.caseId)}`;
    const claim = regulator.page.getByRole('button', { name: 'Claim this task' });
    await pollPage(regulator.page, portal.base, route, async () => (await claim.count()) === 1);

    // A colleague takes the task while the page is open.
    const tasks = await portal.harness.request('GET', '/api/tasks?kind=REVIEW&limit=100', {
      token: colleague,
    });
    const task = tasks.body.items.find((item: { caseId: string }) => item.caseId === filed.body.caseId);
    expect(
      (await portal.harness.request('POST', `/api/tasks/${task.taskId}/claim`, { token: colleague })).status,
    ).toBe(200);

    await claim.click();
    const conflict = regulator.page.locator('.notice-error');
    await conflict.waitFor();
    expect(await visibleText(conflict)).toMatch(/This task has changed: .*Someone else holds this task/s);
    expect(await text(regulator.page)).toContain('Held by: Someone else');
    expect(await regulator.page.evaluate(() => document.activeElement?.classList.contains('notice'))).toBe(
      true,
    );
  });

  it('lets the regulator who holds a task release it', { timeout: 60_000 }, async () => {
    const code = enterpriseCode('11', seed + 4);
    const token = await portal.harness.token({ role: 'enterprise', creditCode: code });
    const filed = await portal.harness.request('POST', '/api/complaints', {
      token,
      body: {
        association: { name: 'Beijing Rating Association', creditCode: associationCode('11', seed + 4) },
        fee: {
          name: 'Star rating fee',
          category: 'RATING_AWARD',
          amountFen: 30_000,
          chargedOn: '2026-01-15',
          period: 'ONE_OFF',
        },
        description: 'Paid for a rating.',
        contact: { name: 'Zhao Liu', phone: '13600000000' },
      },
    });
    expect(filed.status).toBe(202);
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'SAMR', province: '11' });
    const route = `/cases/${encodeURIComponent(filed.body.caseId)}`;
    const claim = regulator.page.getByRole('button', { name: 'Claim this task' });
    await pollPage(regulator.page, portal.base, route, async () => (await claim.count()) === 1);

    await claim.click();
    const release = regulator.page.getByRole('button', { name: 'Release this task' });
    await release.waitFor();
    expect(await text(regulator.page)).toContain('Held by: You');
    await release.click();
    await claim.waitFor();

    expect(await text(regulator.page)).toContain('Held by: Unclaimed');
    expect(await release.count()).toBe(0);
    expect(regulator.problems).toEqual([]);
  });

  it('shows the server’s field errors beside the fields, in the chosen language', {
    timeout: 60_000,
  }, async () => {
    const enterprise = await portal.person({ viewport: phone });
    await signIn(enterprise.page, portal.base, { role: 'enterprise', creditCode: codes.enterprise });
    await open(enterprise.page, portal.base, '/complaints/new');
    const form = enterprise.page.locator('main form');

    // What the client checks itself: the same limits as the server.
    await form.getByLabel('Amount charged (yuan)').fill('12.345');
    await form.getByLabel('Phone').fill('12');
    await form.getByRole('button', { name: 'File the complaint' }).click();
    expect(await visibleText(form.locator('[data-path="fee.amountFen"] .field-error'))).toContain(
      'must be an amount in yuan, up to two decimals, e.g. 4800.00',
    );
    expect(await visibleText(form.locator('[data-path="association"] > .field-error'))).toContain(
      "give the association's credit code or its province",
    );
    expect(await visibleText(form.locator('[data-path="contact.phone"] .field-error'))).toContain(
      'at least 7',
    );
    expect(await enterprise.page.evaluate(() => document.activeElement?.className)).toBe('error-summary');

    // What only the server knows comes back as error.details and lands beside its field.
    await enterprise.page.route('**/api/complaints', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid complaint',
            details: [
              {
                path: 'fee.name',
                code: 'too_big',
                params: { origin: 'string', maximum: 200 },
                message: 'must be at most 200 characters',
              },
              { path: 'fee.chargedOn', code: 'future_date', message: 'must not be in the future' },
            ],
          },
        }),
      }),
    );
    await form.getByLabel('Name of the association').fill('Some Association');
    await form.getByLabel("Association's province").selectOption('44');
    await form.getByLabel('Name of the fee').fill('Training fee');
    await form.getByLabel('What was the fee for?').selectOption('MEETING_TRAINING');
    await form.getByLabel('Amount charged (yuan)').fill('300');
    await form.getByLabel('Date charged').fill('2026-01-01');
    await form.getByRole('group', { name: 'How often is it charged?' }).getByLabel('Once').check();
    await form.getByLabel('What happened?').fill('Training we did not ask for.');
    await form.getByLabel('Contact person').fill('Zhao Liu');
    await form.getByLabel('Phone').fill('13600000000');
    await enterprise.page.getByRole('button', { name: '中文' }).click();
    await rendered(enterprise.page, '/complaints/new');
    expect(await enterprise.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // Switching the language kept what was typed.
    expect(await form.getByLabel('联系人').inputValue()).toBe('Zhao Liu');
    await form.getByRole('button', { name: '提交投诉' }).click();
    // The answer comes back asynchronously.
    await form.locator('[data-path="fee.name"] .field-error', { hasText: '不能超过 200 个字符' }).waitFor();
    await form.locator('[data-path="fee.chargedOn"] .field-error', { hasText: '不能晚于今天' }).waitFor();
    expect(await visibleText(form.locator('.error-summary'))).toMatch(/收费名称：不能超过 200 个字符/);
    for (const violation of await accessibilityViolations(enterprise.page))
      findings.push(`form with errors: ${violation}`);
    await screenshot(enterprise.page, 'zh-CN-complaint-form-server-errors');
    expect(findings).toEqual([]);
    await enterprise.page.unroute('**/api/complaints');
    await enterprise.page.getByRole('button', { name: 'English' }).click();
    await rendered(enterprise.page, '/complaints/new');
  });

  it('draws the recorded metrics sample as charts whose tables carry its numbers', {
    timeout: 60_000,
  }, async () => {
    const admin = await portal.person({ viewport: desk });
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    await admin.page.route('**/api/metrics', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(sample) }),
    );
    // The admin's home is the dashboard: load it again, now from the sample.
    await admin.page.reload();
    await rendered(admin.page, '/dashboard');
    const figure = (key: string) => visibleText(admin.page.locator(`[data-figure="${key}"] .headline-value`));
    expect(await figure('feesAbolished')).toBe('3');
    expect(await figure('refundedFen')).toBe('¥9,000.50');
    expect(await figure('enterprisesHelped')).toBe('4');
    const byProvince = admin.page.locator('#chart-outcomes-by-province');
    expect(await byProvince.locator('[role="img"]').getAttribute('aria-label')).toBe(
      'Outcomes by province: Beijing: Abolished 2, Regulated 0, Dismissed 0; Guangdong: Abolished 1, Regulated 1, Dismissed 0; Shanghai: Abolished 0, Regulated 0, Dismissed 1',
    );
    await byProvince.locator('summary').click();
    expect(await visibleText(byProvince.locator('tbody tr').first())).toMatch(
      /Beijing\s+2\s+0\s+0\s+2\s+2\s+¥6,000.50/,
    );
    const decision = admin.page.locator('#chart-days-to-decision');
    expect(await visibleText(decision.locator('.chart-note'))).toBe(
      '5 cases; mean 0 days, median 1, 90% within 1',
    );
    // Bars are drawn to scale: Beijing's abolished bar is twice Guangdong's.
    const widths = await byProvince
      .locator('svg.bar')
      .evaluateAll((bars) =>
        bars.map((bar) => Number(bar.querySelectorAll('rect')[1]?.getAttribute('width'))),
      );
    expect(widths[0]).toBeCloseTo(100);
    expect(widths[1]).toBeCloseTo(50);
    await audit(admin.page, 'dashboard-recorded-sample');
    expect(findings).toEqual([]);
    expect(admin.problems).toEqual([]);
  });

  it('marks overdue and escalated tasks and pages through the inbox with the cursor', {
    timeout: 60_000,
  }, async () => {
    const regulator = await portal.person({ viewport: desk });
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '00' });
    const task = (n: number, flags: { overdue: boolean; escalated: boolean }) => ({
      taskId: `case-${n}.review.1`,
      caseId: `case-${n}`,
      kind: 'REVIEW',
      status: 'OPEN',
      agency: 'MCA',
      province: '00',
      dueAt: `2026-0${n}-01T00:00:00.000Z`,
      createdAt: '2026-01-01T00:00:00.000Z',
      ...flags,
    });
    const requested: string[] = [];
    await regulator.page.route('**/api/tasks?**', (route) => {
      const url = new URL(route.request().url());
      requested.push(url.search);
      const second = url.searchParams.get('cursor') === 'page-2';
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(
          second
            ? { items: [task(3, { overdue: false, escalated: false })], cursor: null }
            : {
                items: [
                  task(1, { overdue: true, escalated: true }),
                  task(2, { overdue: true, escalated: false }),
                ],
                cursor: 'page-2',
              },
        ),
      });
    });
    await open(regulator.page, portal.base, '/inbox?kind=REVIEW');
    const rows = regulator.page.locator('main table tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await visibleText(rows.nth(0))).toMatch(/⚠ Overdue\s*↑ Escalated/);
    expect(await visibleText(rows.nth(1))).toContain('⚠ Overdue');
    expect(await visibleText(rows.nth(1))).not.toContain('Escalated');
    expect(requested.at(-1)).toContain('kind=REVIEW');

    await regulator.page.getByRole('button', { name: 'Next page' }).click();
    await rendered(regulator.page, /page=2/);
    expect(requested.at(-1)).toContain('cursor=page-2');
    expect(await rows.count()).toBe(1);
    expect(await regulator.page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await regulator.page.getByRole('button', { name: 'Previous page' }).click();
    await rendered(regulator.page, '/inbox?kind=REVIEW&status=OPEN');
    expect(await rows.count()).toBe(2);
    await audit(regulator.page, 'inbox-overdue-escalated');
    expect(findings).toEqual([]);
  });

  it('shows each due date as a day, China time, with the working days left, in both languages', {
    timeout: 60_000,
  }, async () => {
    const task = (n: number, dueAt: string, dueWorkingDays: number) => ({
      taskId: `due-${n}.review.1`,
      caseId: `due-${n}`,
      kind: 'REVIEW',
      status: 'OPEN',
      agency: 'MCA',
      province: '00',
      dueAt,
      dueWorkingDays,
      createdAt: '2026-01-01T00:00:00.000Z',
      overdue: dueWorkingDays < 0,
      escalated: false,
    });
    // Each due at the end of its day, China time (15:59:59.999 UTC).
    const items = [
      task(1, '2026-03-05T15:59:59.999Z', 3),
      task(2, '2026-03-02T15:59:59.999Z', 0),
      task(3, '2026-02-27T15:59:59.999Z', -2),
      task(4, '2026-03-03T15:59:59.999Z', 1),
    ];
    const expected = {
      'en-US': [
        ['5 Mar 2026', '3 working days left'],
        ['2 Mar 2026', 'due today'],
        ['27 Feb 2026', '2 working days overdue'],
        ['3 Mar 2026', '1 working day left'],
      ],
      'zh-CN': [
        ['2026年3月5日', '剩余 3 个工作日'],
        ['2026年3月2日', '今日到期'],
        ['2026年2月27日', '已逾期 2 个工作日'],
        ['2026年3月3日', '剩余 1 个工作日'],
      ],
    } as const;

    for (const [locale, rowsExpected] of Object.entries(expected)) {
      const regulator = await portal.person({ viewport: desk, locale });
      await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '00' });
      await regulator.page.route('**/api/tasks?**', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ items, cursor: null }),
        }),
      );
      await open(regulator.page, portal.base, '/inbox?kind=REVIEW');
      const rows = regulator.page.locator('main table tbody tr');

      const texts = await Promise.all(rowsExpected.map((_, i) => visibleText(rows.nth(i).locator('.due'))));

      expect(texts, locale).toEqual(rowsExpected.map(([day, left]) => `${day} ${left}`));
      expect(await visibleText(rows.nth(0)), locale).not.toMatch(/\d{2}:\d{2}/);
    }
  });

  it('finds cases by filters, a table on a desk and cards on a phone, and exports their ledger', {
    timeout: 90_000,
  }, async () => {
    expect(created.caseId, 'the lifecycle test ran first').toBeDefined();
    const regulator = await portal.person({ viewport: desk });
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await open(regulator.page, portal.base, '/cases');
    const form = regulator.page.locator('main form[role=search]');
    await form.getByLabel("Association's credit code").fill(codes.association);
    await form.getByRole('button', { name: 'Search' }).click();
    await rendered(regulator.page, new RegExp(`creditCode=${codes.association}`));

    const rows = regulator.page.locator('main table tbody tr');
    expect(await visibleText(rows.nth(0))).toContain('2026 annual dues');
    expect(await visibleText(rows.nth(0))).toContain('Beijing Municipal Civil Affairs Bureau');
    await regulator.page.setViewportSize({ width: 360, height: 780 });
    expect(await regulator.page.locator('main table').isVisible()).toBe(false);
    expect(await visibleText(regulator.page.locator('main .result-cards li').first())).toContain(
      '2026 annual dues',
    );
    await regulator.page.setViewportSize({ width: 1280, height: 900 });

    const [download] = await Promise.all([
      regulator.page.waitForEvent('download'),
      regulator.page.getByRole('button', { name: 'Export ledger (CSV)' }).click(),
    ]);
    const ledger = await readFile((await download.path()) as string);
    expect([...ledger.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(ledger.toString('utf8')).toMatch(/^\uFEFFReference,Case ID,Association,Credit code,Fee/);
    expect(ledger.toString('utf8')).toContain(codes.association);

    await form.getByLabel('Opened on or after').fill('2026-03-02');
    await form.getByLabel('Opened on or before').fill('2026-03-01');
    await form.getByRole('button', { name: 'Search' }).click();
    await rendered(regulator.page, /from=2026-03-02/);
    expect(await visibleText(regulator.page.locator('main .error-summary'))).toContain('Opened on or before');
    await audit(regulator.page, 'cases-refused-dates');
    expect(findings).toEqual([]);
  });

  it('shows anyone the progress of a complaint by its reference and credit code, and the same refusal for a wrong code', {
    timeout: 60_000,
  }, async () => {
    expect(created.reference, 'the lifecycle test ran first').toBeDefined();
    const visitor = await portal.person({ viewport: phone });
    await open(visitor.page, portal.base, '/track');
    const form = visitor.page.locator('main form');
    await form.getByLabel('Reference').fill(created.reference ?? '');
    await form.getByLabel('Unified social credit code').fill(codes.enterprise);
    await form.getByRole('button', { name: 'Look up' }).click();
    const result = visitor.page.locator('main section', { hasText: `Progress of ${created.reference}` });
    await result.waitFor();
    expect(await visibleText(result)).toMatch(
      /Submitted[\s\S]*Review[\s\S]*Rectification[\s\S]*Verification[\s\S]*Closed/,
    );
    expect(await visibleText(result)).toContain('Beijing Municipal Civil Affairs Bureau');
    await audit(visitor.page, 'track-result');

    await form.getByLabel('Unified social credit code').fill(codes.association);
    await form.getByRole('button', { name: 'Look up' }).click();
    await visitor.page.locator('main form .notice-error').waitFor();
    expect(await visibleText(visitor.page.locator('main form .notice-error'))).toContain(
      'No complaint was found for this reference and credit code',
    );
  });

  describe('every page, in both languages, at 360 px', () => {
    // Grouped by who is signed in, so each identity signs in once.
    const pages = (): { name: string; route: string; as?: Parameters<typeof signIn>[2] }[] => {
      const enterprise = { role: 'enterprise', creditCode: codes.enterprise } as const;
      const regulator = { role: 'regulator', agency: 'MCA', province: '11' } as const;
      const association = { role: 'association', creditCode: codes.association } as const;
      const caseRoute = `/cases/${encodeURIComponent(created.caseId ?? 'missing')}`;
      return [
        { name: 'campaign', route: '/campaign' },
        { name: 'track', route: `/track?reference=${created.reference ?? ''}` },
        { name: 'sign-in', route: '/sign-in' },
        { name: 'not-found', route: '/no-such-page' },
        { name: 'complaint-form', route: '/complaints/new', as: enterprise },
        { name: 'my-complaints', route: '/complaints', as: enterprise },
        {
          name: 'receipt',
          route: `/complaints/${encodeURIComponent(created.complaintId ?? 'missing')}/receipt`,
          as: enterprise,
        },
        {
          name: 'complaint-timeline',
          route: `/complaints/${encodeURIComponent(created.complaintId ?? 'missing')}`,
          as: enterprise,
        },
        { name: 'inbox', route: '/inbox?status=COMPLETED', as: regulator },
        { name: 'cases', route: '/cases', as: regulator },
        { name: 'case', route: caseRoute, as: regulator },
        {
          name: 'complaint-regulator',
          route: `/complaints/${encodeURIComponent(created.complaintId ?? 'missing')}`,
          as: regulator,
        },
        { name: 'dashboard-regulator', route: '/dashboard', as: regulator },
        { name: 'notifications-regulator', route: '/notifications', as: regulator },
        { name: 'orders', route: '/orders', as: association },
        { name: 'case-association', route: caseRoute, as: association },
        { name: 'notifications-association', route: '/notifications', as: association },
        { name: 'dashboard', route: '/dashboard', as: { role: 'campaign-admin' } },
        { name: 'notifications-admin', route: '/notifications', as: { role: 'campaign-admin' } },
      ];
    };

    for (const language of ['en', 'zh-CN'] as const) {
      it(`renders them in ${language} without serious accessibility problems`, {
        timeout: 240_000,
      }, async () => {
        expect(created.caseId, 'the lifecycle test ran first').toBeDefined();
        const { page, problems } = await portal.person({
          viewport: phone,
          locale: language === 'en' ? 'en-US' : 'zh-CN',
        });
        const failures: string[] = [];
        let signedInAs = '';
        for (const entry of pages()) {
          const who = JSON.stringify(entry.as ?? null);
          if (who !== signedInAs) {
            if (signedInAs !== 'null' && signedInAs !== '') {
              await signOutFromHeader(page);
              await rendered(page, '/campaign');
            }
            if (entry.as) await signIn(page, portal.base, entry.as);
            signedInAs = who;
          }
          const started = Date.now();
          await open(page, portal.base, entry.route);
          const opened = Date.now();
          // Open every chart's table so axe checks them too.
          for (const details of await page.locator('main details').all())
            await details.evaluate((d) => d.setAttribute('open', ''));
          expect(await page.evaluate(() => document.documentElement.lang), entry.name).toBe(language);
          expect(await page.locator('main h1').count(), entry.name).toBe(1);
          for (const violation of await accessibilityViolations(page))
            failures.push(`${entry.name}: ${violation}`);
          const overflow = await horizontalOverflow(page);
          if (overflow > 0) failures.push(`${entry.name}: ${overflow}px wider than 360 px`);
          const checked = Date.now();
          await screenshot(page, `${language}-${entry.name}`);
          if (process.env.WEB_TIMING)
            console.log(entry.name, opened - started, checked - opened, Date.now() - checked);
        }
        expect(failures).toEqual([]);
        expect(problems.filter((problem) => !/status of 404/.test(problem))).toEqual([]);
      });
    }

    it('is usable from the keyboard: skip link, visible focus, forms reachable by Tab', {
      timeout: 60_000,
    }, async () => {
      const { page } = await portal.person({ viewport: desk });
      await signIn(page, portal.base, { role: 'enterprise', creditCode: codes.enterprise });
      await open(page, portal.base, '/complaints/new');
      // From the top of a freshly loaded page.
      await page.reload();
      await rendered(page, '/complaints/new');
      await page.keyboard.press('Tab');
      const skip = await page.evaluate(() => ({
        text: document.activeElement?.textContent,
        outline: getComputedStyle(document.activeElement as Element).outlineStyle,
      }));
      expect(skip.text).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      // Tab from the start of the content reaches the first field; the focus is drawn.
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const style = getComputedStyle(element);
        return { name: element.getAttribute('name'), outline: style.outlineStyle, width: style.outlineWidth };
      });
      expect(focused.name).toBe('association.name');
      expect(focused.outline).toBe('solid');
      expect(focused.width).toBe('3px');
    });
  });
});
