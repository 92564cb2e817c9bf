/**
 * The regulator's desk in the portal, in headless Chromium against the local runtime (issue 14): a
 * campaign admin gives a review to an officer and takes it back; a regulator transfers (转办) a case,
 * after a confirmation, to the office that finds it in its inbox; an association asks for more time
 * and the regulator's grant moves its order's due date; an unlawful-fee decision above the four-eyes
 * threshold is confirmed by a second regulator. Each new form passes axe at 360 px in both languages.
 */
import type { Page } from 'playwright-core';
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
  auditAtPhoneWidth,
  hasChromium,
  open,
  pollPage,
  rendered,
  signIn,
  visibleText,
} from '#test/web/browser';
import { openCaseFromInbox } from '#test/web/case-lifecycle';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/regulator-desk.test.ts');

const text = (page: Page) => visibleText(page.locator('main'));
const caseRoute = (caseId: string) => `/cases/${encodeURIComponent(caseId)}`;
/** The card of the task the reader may act on. */
const actionCard = (page: Page) => page.locator('main section.action-card');

describe.skipIf(!hasChromium)("the regulator's desk in headless Chromium", () => {
  const portal = usePortal();

  it('lets a campaign admin assign a review to an officer, who holds it, and take it back', {
    timeout: 120_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, { feeName: 'Assigned dues' });
    await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    const officer = 'local:regulator:MCA:11:zhang';
    const admin = await portal.person();
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    const assignee = admin.page.getByLabel('Officer’s sign-in ID');
    await pollPage(
      admin.page,
      portal.base,
      caseRoute(filed.caseId),
      async () => (await assignee.count()) === 1,
    );
    const findings = await auditAtPhoneWidth(admin.page, 'case-assign');

    // Act
    await assignee.fill(officer);
    await actionCard(admin.page).getByRole('button', { name: 'Assign', exact: true }).click();
    await admin.page.locator('main .notice', { hasText: `The task was assigned to ${officer}.` }).waitFor();
    const held = await visibleText(actionCard(admin.page));
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, {
      role: 'regulator',
      agency: 'MCA',
      province: '11',
      name: 'zhang',
    });
    await open(regulator.page, portal.base, caseRoute(filed.caseId));
    const seenByOfficer = await visibleText(actionCard(regulator.page));
    await admin.page.getByRole('button', { name: 'Take back' }).click();
    await admin.page.locator('main .notice', { hasText: 'The task was taken back' }).waitFor();

    // Assert
    expect(held).toContain('Held by: Staff of the Beijing Municipal Civil Affairs Bureau');
    expect(seenByOfficer).toContain('Held by: You');
    expect(await visibleText(actionCard(admin.page))).toContain('Held by: Unclaimed');
    expect(await admin.page.getByRole('button', { name: 'Take back' }).count()).toBe(0);
    expect(await text(admin.page)).toContain('Task assigned');
    expect(findings).toEqual([]);
    expect([...admin.problems, ...regulator.problems]).toEqual([]);
  });

  it('transfers a case only after a confirmation naming the office, which then finds it in its inbox', {
    timeout: 150_000,
  }, async () => {
    // Arrange
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, { feeName: 'Transferred dues' });
    await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    const transfer = regulator.page.getByRole('region', { name: 'Transfer to another office' });
    await pollPage(
      regulator.page,
      portal.base,
      caseRoute(filed.caseId),
      async () => (await transfer.count()) === 1,
    );
    const findings = await auditAtPhoneWidth(regulator.page, 'case-transfer-form');
    // The regulator works in Chinese.
    await regulator.page.getByRole('button', { name: '中文' }).click();
    await rendered(regulator.page, caseRoute(filed.caseId));
    const form = regulator.page.getByRole('region', { name: '转办' }).locator('form');
    await regulator.page.getByRole('region', { name: '转办' }).locator('summary').click();
    await form.getByLabel('接收部门').selectOption('MCA');
    await form.getByLabel('接收机关所在省份').selectOption('11');
    await form.getByLabel('转办理由').fill('收费属于价格行为，应由市场监管部门依法查处。');

    // Act
    await form.getByRole('button', { name: '转办', exact: true }).click();
    const sameOffice = await visibleText(form.locator('.error-summary'));
    await form.getByLabel('接收部门').selectOption('SAMR');
    await form.getByLabel('接收机关所在省份').selectOption('44');
    await form.getByRole('button', { name: '转办', exact: true }).click();
    const question = await visibleText(regulator.page.locator('main .confirm-step h3'));
    await regulator.page.getByRole('button', { name: '返回修改' }).click();
    const keptReason = await form.getByLabel('转办理由').inputValue();
    await form.getByRole('button', { name: '转办', exact: true }).click();
    await regulator.page.getByRole('button', { name: '确认转办' }).click();
    await rendered(regulator.page, '/inbox');
    const flash = await visibleText(regulator.page.locator('main .notice').first());
    const receiving = await portal.person();
    await signIn(receiving.page, portal.base, { role: 'regulator', agency: 'SAMR', province: '44' });
    const row = receiving.page.locator('main table tbody tr', { hasText: 'Transferred dues' });
    await pollPage(receiving.page, portal.base, '/inbox?kind=REVIEW', async () => (await row.count()) === 1);
    const enterprise = await portal.person({ viewport: phone });
    await signIn(enterprise.page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    await pollPage(
      enterprise.page,
      portal.base,
      `/complaints/${encodeURIComponent(filed.complaintId)}`,
      async (page) => (await text(page)).includes('Transferred to'),
    );

    // Assert
    expect(sameOffice).toContain('接收机关所在省份：该案件已由此机关办理，请选择其他承办机关');
    expect(question).toBe('确认将本案转交广东省市场监督管理局办理？');
    expect(keptReason).toBe('收费属于价格行为，应由市场监管部门依法查处。');
    expect(flash).toContain('本案已转交广东省市场监督管理局办理。');
    expect(await visibleText(row)).toContain('Review');
    expect(await text(enterprise.page)).toContain(
      'Transferred to the Administration for Market Regulation of Guangdong Province for handling',
    );
    expect(findings).toEqual([]);
    expect([...regulator.problems, ...receiving.problems, ...enterprise.problems]).toEqual([]);
  });

  it("lets the association ask for more time and the regulator grant it, which moves the order's due date", {
    timeout: 180_000,
  }, async () => {
    // Arrange: an unlawful fee below the four-eyes threshold, ordered to be rectified.
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, {
      feeName: 'Extended dues',
      amountFen: Math.min(10_000, SECOND_REVIEW_THRESHOLD_FEN),
    });
    const review = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    expect(
      (await completeTask(portal.harness, scenario.regulator, review.taskId, decisions.abolish)).status,
    ).toBe(200);
    const order = await openTaskOf(portal.harness, scenario.association, filed.caseId, 'RECTIFICATION');
    const association = await portal.person();
    await signIn(association.page, portal.base, {
      role: 'association',
      creditCode: scenario.associationCode,
    });
    const ask = association.page.getByRole('region', { name: 'More time to rectify' });
    await pollPage(
      association.page,
      portal.base,
      caseRoute(filed.caseId),
      async () => (await ask.count()) === 1,
    );
    const findings = await auditAtPhoneWidth(association.page, 'case-extension-request');
    await ask.locator('summary').click();
    await ask.getByLabel('Extra working days').fill('10');
    await ask.getByLabel('Why more time is needed').fill('The refunds need a board resolution first.');

    // Act: the association asks, after a confirmation.
    await ask.getByRole('button', { name: 'Ask for more time…' }).click();
    const question = await visibleText(association.page.locator('main .confirm-step'));
    await association.page.getByRole('button', { name: 'Confirm the request' }).click();
    await association.page
      .locator('main .notice', { hasText: 'Your request for more time was sent.' })
      .waitFor();
    const asked = await visibleText(ask);

    // Act: the regulator grants it, after a confirmation naming the new due date.
    const extension = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'EXTENSION');
    const regulator = await portal.person();
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await openCaseFromInbox(regulator.page, portal.base, 'EXTENSION', 'Extended dues');
    const card = regulator.page.getByRole('region', {
      name: 'Your action: Decide the request for more time',
    });
    const requested = await visibleText(card);
    findings.push(...(await auditAtPhoneWidth(regulator.page, 'case-extension-decision')));
    await card.getByLabel('Grant the extension').check();
    await card.getByRole('button', { name: 'Record the decision…' }).click();
    const grant = await visibleText(card.locator('.confirm-step h3'));
    await regulator.page.getByRole('button', { name: 'Confirm the decision on the extension' }).click();
    await regulator.page
      .locator('main .notice', { hasText: 'The decision on the extension was recorded.' })
      .waitFor();

    // Assert
    const requestedDueAt = (extension as unknown as { extension: { requestedDueAt: string } }).extension
      .requestedDueAt;
    expect(question).toContain('Ask for 10 more working days to rectify?');
    expect(asked).toContain('You have already asked for more time on this order');
    expect(requested).toMatch(/Extra working days\s+10 working days/);
    expect(requested).toContain('The refunds need a board resolution first.');
    expect(grant).toMatch(/^Grant the extension\? The order will be due on \d+ \w+ \d{4}\.$/);
    const due = association.page
      .locator('main table tbody tr', { hasText: 'Extended dues' })
      .locator('.due time');
    await pollPage(
      association.page,
      portal.base,
      '/orders',
      async () => (await due.getAttribute('datetime').catch(() => null)) === requestedDueAt,
    );
    expect(requestedDueAt > order.dueAt).toBe(true);
    expect((await caseOf(portal.harness, scenario.association, filed.caseId)).case.order.dueAt).toBe(
      requestedDueAt,
    );
    expect(findings).toEqual([]);
    expect([...association.problems, ...regulator.problems]).toEqual([]);
  });

  it('shows a second regulator the unlawful decision above the threshold beside the form, and takes the confirmation', {
    timeout: 150_000,
  }, async () => {
    // Arrange: the first regulator decides an unlawful fee above the four-eyes threshold.
    const scenario = await newScenario(portal.harness);
    const filed = await fileComplaint(portal.harness, scenario, {
      feeName: 'Four-eyes dues',
      amountFen: SECOND_REVIEW_THRESHOLD_FEN + 100_000,
    });
    const review = await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'REVIEW');
    expect(
      (await completeTask(portal.harness, scenario.regulator, review.taskId, decisions.abolish)).status,
    ).toBe(200);
    await openTaskOf(portal.harness, scenario.regulator, filed.caseId, 'SECOND_REVIEW');
    const first = await portal.person();
    await signIn(first.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await open(first.page, portal.base, caseRoute(filed.caseId));
    const seenByFirst = await visibleText(actionCard(first.page));
    const second = await portal.person();
    await signIn(second.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11', name: 'li' });
    await openCaseFromInbox(second.page, portal.base, 'SECOND_REVIEW', 'Four-eyes dues');
    const card = actionCard(second.page);
    const underReview = await visibleText(card.locator('.under-review'));
    const findings = await auditAtPhoneWidth(second.page, 'case-second-review');

    // Act
    await card.getByLabel('Confirm the decision').check();
    await card.getByLabel('Review note').fill('Forced membership is established by two complaints.');
    await card.getByRole('button', { name: 'Record the review…' }).click();
    const question = await visibleText(card.locator('.confirm-step h3'));
    await second.page.getByRole('button', { name: 'Confirm the review' }).click();
    await second.page.locator('main .notice', { hasText: 'The second review was recorded.' }).waitFor();
    const rectifying = await waitForStage(portal.harness, scenario.regulator, filed.caseId, 'RECTIFYING');

    // Assert
    expect(seenByFirst).toContain('You made this decision: another officer of your office must review it.');
    expect(await first.page.getByRole('button', { name: 'Record the review…' }).count()).toBe(0);
    expect(underReview).toMatch(/Verdict\s+Unlawful/);
    expect(underReview).toMatch(/R01 Forced membership/);
    expect(underReview).toContain(decisions.abolish.reason);
    expect(underReview).toMatch(/Abolish the fee/);
    expect(question).toBe('Confirm the decision “Unlawful”? The order goes to the association.');
    expect(rectifying.case.stage).toBe('RECTIFYING');
    await open(second.page, portal.base, caseRoute(filed.caseId));
    expect(await text(second.page)).toContain('Second review decided');
    expect(findings).toEqual([]);
    expect([...first.problems, ...second.problems]).toEqual([]);
  });
});
