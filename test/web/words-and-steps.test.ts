/**
 * What the portal says and offers next, read as a person sees it in headless Chromium (issue 16, points
 * 5, 6, 8 and 11): the complaint form's errors follow the page, say "required" one way, never double
 * their punctuation, and give the hint's own examples; the fact questions fit the fee's category and
 * hidden answers are not sent; a filed complaint is 已提交 and an abolished fee 收费已取消; the navigation
 * says 我要投诉 and every title says what the page is, also for a role the page is not for; after an
 * order the regulator waits for the association's report; binding decisions are confirmed first; the
 * dashboard's filters cannot ask for a combination the metrics refuse. Phone width, both languages.
 */
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SECOND_REVIEW_THRESHOLD_FEN } from '#infra/system';
import {
  caseOf,
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  waitForStage,
} from '#test/support/campaign-actors';
import {
  announceSkip,
  hasChromium,
  horizontalOverflow,
  open,
  pollPage,
  rendered,
  signIn,
  unfoldHeader,
  visibleText,
} from '#test/web/browser';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/words-and-steps.test.ts');

const text = (page: Page) => visibleText(page.locator('main'));
const caseRoute = (caseId: string) => `/cases/${encodeURIComponent(caseId)}`;
const belowThreshold = Math.min(10_000, SECOND_REVIEW_THRESHOLD_FEN);

/** Switches the portal's language and waits for the page to be drawn again in it. */
const switchTo = async (page: Page, language: 'en' | 'zh-CN') => {
  await page.locator('button.lang-switch').click();
  await page.waitForFunction(
    (want) =>
      document.documentElement.lang === want &&
      document.querySelector('main')?.dataset.rendered !== undefined,
    language,
  );
};

/** The h1 and the document title, which must name the same page. */
const titles = async (page: Page) => ({
  h1: await visibleText(page.locator('main h1')),
  document: await page.title(),
});

/** Whether each entry of the form's error summary points at a field below the previous entry's. */
const summaryFollowsPage = (page: Page) =>
  page.evaluate(() => {
    const targets = Array.from(document.querySelectorAll<HTMLAnchorElement>('.error-summary a')).map((link) =>
      document.getElementById(link.getAttribute('href')?.slice(1) ?? ''),
    );
    return targets.every(
      (target, index) =>
        target !== null &&
        (index === 0 ||
          Boolean(targets[index - 1]?.compareDocumentPosition(target) === Node.DOCUMENT_POSITION_FOLLOWING)),
    );
  });

const errorTexts = async (page: Page) => [
  ...(await page.locator('main .error-summary li').allInnerTexts()),
  ...(await page.locator('main .field-error:visible').allInnerTexts()),
];

describe.skipIf(!hasChromium)('words and next steps in headless Chromium', () => {
  const portal = usePortal({ locale: 'zh-CN', viewport: phone });

  it('lists the empty form’s errors in page order, each “required” one way, with no doubled punctuation', {
    timeout: 90_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    await open(page, portal.base, '/complaints/new');
    const form = page.locator('main form');
    const fieldError = (path: string) => visibleText(form.locator(`[data-path="${path}"] > .field-error`));

    // Act
    await form.getByRole('button', { name: '提交投诉' }).click();
    const zh = {
      inOrder: await summaryFollowsPage(page),
      errors: await errorTexts(page),
      phone: await fieldError('contact.phone'),
      name: await fieldError('association.name'),
      description: await fieldError('description'),
      overflow: await horizontalOverflow(page),
    };
    await switchTo(page, 'en');
    await form.getByRole('button', { name: 'File the complaint' }).click();
    const en = {
      inOrder: await summaryFollowsPage(page),
      errors: await errorTexts(page),
      phone: await fieldError('contact.phone'),
      description: await fieldError('description'),
    };

    // Assert
    expect(zh.inOrder).toBe(true);
    expect(zh.errors.length).toBeGreaterThan(5);
    expect(zh.errors.filter((entry) => /[？?：:][：:]/.test(entry))).toEqual([]);
    expect(zh.errors).toContain('问题描述：必填');
    expect([zh.phone, zh.name, zh.description]).toEqual(['必填', '必填', '必填']);
    expect(zh.overflow).toBe(0);
    expect(en.inOrder).toBe(true);
    expect(en.errors.filter((entry) => /[？?：:][：:]/.test(entry))).toEqual([]);
    expect([en.phone, en.description]).toEqual(['is required', 'is required']);
    expect(problems).toEqual([]);
  });

  it('gives the hint’s own examples in the errors of an amount and a phone number', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    await open(page, portal.base, '/complaints/new');
    const form = page.locator('main form');
    const amount = form.locator('[data-path="fee.amountFen"]');
    const phoneField = form.locator('[data-path="contact.phone"]');

    // Act
    await form.getByLabel('收费金额（元）').fill('12.345');
    await form.getByLabel('联系电话').fill('电话 1234567');
    await form.getByRole('button', { name: '提交投诉' }).click();

    // Assert
    expect(await visibleText(amount.locator('.hint'))).toContain('4800.00');
    expect(await visibleText(amount.locator('.field-error'))).toContain('4800.00');
    expect(await visibleText(phoneField.locator('.hint'))).toContain('13800138000 或 020-12345678');
    expect(await visibleText(phoneField.locator('.field-error'))).toContain('13800138000 或 020-12345678');
    expect(problems).toEqual([]);
  });

  it('asks only the questions that fit the fee’s category, sends no hidden answer, and says 已提交', {
    timeout: 90_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    await open(page, portal.base, '/complaints/new');
    const form = page.locator('main form');
    const question = (label: string) => form.getByRole('group', { name: label });
    const membership = question('您是否被强制或变相强制入会，或被阻止退会？');
    const assembly = question('会费标准是否经会员大会表决通过（三分之二以上会员出席、无记名投票）？');
    const service = question('您是否获得了与所付费用相应的服务？');
    const sent: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/complaints')) sent.push(request);
    });

    // Act: dues first, answered, then the fee turns out to be an exhibition's.
    const before = await membership.isVisible();
    await form.getByLabel('收费类别').selectOption('MEMBERSHIP_DUES');
    const dues = { membership: await membership.isVisible(), assembly: await assembly.isVisible() };
    await membership.getByLabel('是', { exact: true }).check();
    await assembly.getByLabel('否', { exact: true }).check();
    await form.getByLabel('收费类别').selectOption('EXHIBITION');
    const exhibition = {
      membership: await membership.isVisible(),
      assembly: await assembly.isVisible(),
      service: await service.isVisible(),
    };
    await service.getByLabel('否', { exact: true }).check();
    await form.getByLabel('协会名称').fill('某某会展行业协会');
    await form.getByLabel('统一社会信用代码').fill(scenario.associationCode);
    await form.getByLabel('收费名称').fill('展位费');
    await form.getByLabel('收费金额（元）').fill('1200');
    await form.getByLabel('收费日期').fill('2026-02-01');
    await form.getByLabel('一次性').check();
    await form.getByLabel('问题描述').fill('参加展会被要求缴纳展位费，但展位未按约定提供。');
    await form.getByLabel('联系人').fill('李四');
    await form.getByLabel('联系电话').fill('13900000000');
    await form.getByRole('button', { name: '提交投诉' }).click();
    await rendered(page, /\/receipt$/);
    const receipt = await text(page);

    // Assert
    expect(before).toBe(false);
    expect(dues).toEqual({ membership: true, assembly: true });
    expect(exhibition).toEqual({ membership: false, assembly: false, service: true });
    expect(sent[0]?.postDataJSON().facts).toEqual({ serviceProvided: 'NO' });
    expect(receipt).toContain('已提交');
    expect(receipt).not.toContain('受理');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('says 我要投诉 in the navigation and titles each page with what it is, in both languages', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    const nav = page.getByRole('navigation', { name: '主导航' });

    // Act
    await open(page, portal.base, '/complaints/new');
    await unfoldHeader(page);
    const zhNav = await visibleText(nav);
    const zhForm = await titles(page);
    await open(page, portal.base, '/complaints');
    const zhList = await titles(page);
    await switchTo(page, 'en');
    await unfoldHeader(page);
    const enNav = await visibleText(page.getByRole('navigation', { name: 'Main' }));
    const enList = await titles(page);
    await open(page, portal.base, '/complaints/new');
    const enForm = await titles(page);

    // Assert
    expect(zhNav).toContain('我要投诉');
    expect(zhForm).toEqual({ h1: '我要投诉', document: '我要投诉 · 行业协会商会涉企收费治理' });
    expect(zhList.h1).toBe('我的投诉');
    expect(zhList.document.startsWith('我的投诉 · ')).toBe(true);
    expect(enNav).toContain('File a complaint');
    expect(enList.h1).toBe('My complaints');
    expect(enForm.h1).toBe('File a complaint about a fee');
    expect(enForm.document.startsWith('File a complaint about a fee · ')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('tells a signed-in person that a page is not for their role, with a link to their home', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });

    // Act
    await open(page, portal.base, '/inbox');
    const zh = await titles(page);
    const zhHome = await page.getByRole('link', { name: '返回首页' }).getAttribute('href');
    await switchTo(page, 'en');
    const en = await titles(page);
    await page.getByRole('link', { name: 'Go to your home page' }).click();
    await rendered(page, '/complaints');

    // Assert
    expect(zh).toEqual({ h1: '无权访问此页面', document: '无权访问此页面 · 行业协会商会涉企收费治理' });
    expect(zhHome).toBe('#/complaints');
    expect(en.h1).toBe('You cannot use this page');
    expect(en.document.startsWith('You cannot use this page · ')).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('confirms a review decision before sending it, after which the complainant’s first button is 答复', {
    timeout: 150_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, { feeName: '需说明的会费' });
    await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    const card = regulator.page.locator('main section.action-card');
    const decide = card.locator('form', { has: regulator.page.getByRole('button', { name: '记录决定' }) });
    await pollPage(
      regulator.page,
      portal.base,
      caseRoute(filed.caseId),
      async () => (await decide.count()) === 1,
    );
    await decide.getByRole('radio', { name: '需补充信息' }).check();
    // Asking for information orders nothing: the suggested measures are taken off.
    const measures = decide.locator('[data-path="actions"]');
    for (const name of ['取消收费', '退还费用', '降低收费标准', '公布收费标准', '减少会费档次'])
      await measures.getByLabel(name).setChecked(false);
    await decide.getByLabel('理由').fill('请说明入会是否为参加活动的前提条件。');

    // Act
    await decide.getByRole('button', { name: '记录决定' }).click();
    const confirmation = await visibleText(card.locator('.confirm-step'));
    const stillReviewing: { tasks: { kind: string; status: string }[] } = await caseOf(
      portal.harness,
      scenario.regulator,
      filed.caseId,
    );
    await regulator.page.getByRole('button', { name: '确认并记录决定' }).click();
    await regulator.page.locator('main .notice', { hasText: '处理决定已记录。' }).waitFor();
    const enterprise = await portal.person();
    await signIn(enterprise.page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    const answer = enterprise.page.getByRole('link', { name: '答复' });
    await pollPage(enterprise.page, portal.base, '/complaints', async () => (await answer.count()) === 1);

    // Assert
    expect(confirmation).toContain('确认作出以下处理决定？');
    expect(confirmation).toMatch(/认定结论\s+需补充信息/);
    expect(stillReviewing.tasks.some((task) => task.kind === 'REVIEW' && task.status === 'OPEN')).toBe(true);
    expect(await answer.getAttribute('class')).toContain('primary');
    expect([...regulator.problems, ...enterprise.problems]).toEqual([]);
  });

  it('offers the regulator waiting for the report after an order, with reporting on its behalf folded away', {
    timeout: 120_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, {
      feeName: '待整改会费',
      amountFen: belowThreshold,
    });
    const review = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    expect(
      (await completeTask(portal.harness, scenario.regulator, review.taskId, decisions.abolish)).status,
    ).toBe(200);
    await openTaskOf(portal.harness, scenario.association, filed.caseId, 'RECTIFICATION');
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    const card = page.locator('main section.action-card');
    await pollPage(page, portal.base, caseRoute(filed.caseId), async () => (await card.count()) === 1);

    // Act
    const zh = {
      heading: await visibleText(card.locator('h2')),
      body: await visibleText(card),
      claimOffered: await card.getByRole('button', { name: '认领此任务' }).count(),
      formShown: await card.locator('form.stack').isVisible(),
    };
    await card.locator('summary', { hasText: '代协会报告整改情况' }).click();
    const unfolded = await card.locator('form.stack').isVisible();
    await switchTo(page, 'en');
    const enHeading = await visibleText(card.locator('h2'));

    // Assert
    expect(zh.heading).toBe('待办事项：等待协会报告整改情况');
    expect(zh.body).toContain('本机关将收到核查任务');
    expect(zh.claimOffered).toBe(0);
    expect(zh.formShown).toBe(false);
    expect(unfolded).toBe(true);
    expect(enHeading).toBe('Your action: Waiting for the association’s report');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('says 收费已取消 for an abolished fee, and names the system, not a 流程, as an actor', {
    timeout: 150_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, {
      feeName: '年度会员费',
      amountFen: belowThreshold,
    });
    const review = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    await completeTask(portal.harness, scenario.regulator, review.taskId, decisions.abolish);
    const order = await openTaskOf(portal.harness, scenario.association, filed.caseId, 'RECTIFICATION');
    await completeTask(
      portal.harness,
      scenario.association,
      order.taskId,
      decisions.refunded(belowThreshold),
    );
    const verification = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'VERIFICATION');
    await completeTask(portal.harness, scenario.regulator, verification.taskId, decisions.accept);
    await waitForStage(portal.harness, scenario.regulator, filed.caseId, 'CLOSED');
    const enterprise = await portal.person();
    await signIn(enterprise.page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    const complaintRoute = `/complaints/${encodeURIComponent(filed.complaintId)}`;

    // Act
    await pollPage(enterprise.page, portal.base, complaintRoute, async (page) =>
      (await text(page)).includes('已办结'),
    );
    const timeline = await text(enterprise.page);
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await open(regulator.page, portal.base, caseRoute(filed.caseId));
    const casePage = await text(regulator.page);

    // Assert
    expect(timeline).toContain('收费已取消');
    // The outcome is never the bare 已取消 (已取消收费, the association's report, is another sentence).
    expect(timeline).not.toMatch(/(?<!收费)已取消(?!收费)/);
    expect(casePage).toContain('收费已取消');
    expect(casePage).not.toContain('流程');
    expect([...enterprise.problems, ...regulator.problems]).toEqual([]);
  });

  it('keeps the dashboard from asking for a category with a province, and its refusal off the filter row', {
    timeout: 60_000,
  }, async () => {
    // Arrange
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'campaign-admin' });
    await open(page, portal.base, '/dashboard');
    const filters = page.locator('main form.filters');
    const province = filters.getByLabel('省份');
    const agency = filters.getByLabel('主管部门');
    const category = filters.getByLabel('类别');

    // Act
    await province.selectOption('44');
    const categoryWithProvince = await category.isDisabled();
    await province.selectOption('');
    await category.selectOption('EXHIBITION');
    const withCategory = {
      province: await province.isDisabled(),
      agency: await agency.isDisabled(),
      hint: await visibleText(filters.locator('[data-path="category"] .hint')),
    };
    await open(page, portal.base, '/dashboard?province=44&category=EXHIBITION');
    const summary = filters.locator('.error-summary');
    const refusal = { shown: await summary.count(), box: await summary.boundingBox() };
    const row = await filters.boundingBox();

    // Assert
    expect(categoryWithProvince).toBe(true);
    expect(withCategory.province).toBe(true);
    expect(withCategory.agency).toBe(true);
    expect(withCategory.hint).toContain('部门和省份不可选');
    // A refused address still shows why, on a line of its own as wide as the filters.
    expect(refusal.shown).toBe(1);
    expect(refusal.box?.width ?? 0).toBeGreaterThan((row?.width ?? 0) - 40);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });
});
