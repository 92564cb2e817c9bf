/**
 * The steps of a case as people take them in the portal (English pages): the enterprise files through
 * the form, the regulator decides, the association reports, the regulator verifies. Each step starts
 * on the page where a person would take it and ends when the portal confirms it; the tests around
 * them assert what each party sees in between.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TaskKind } from '#shared/domain/fee-task';
import { pollPage, rendered } from '#test/web/browser';

export interface ComplaintAbout {
  associationName: string;
  associationCode: string;
  fee: string;
}

/**
 * On the complaint form: a forced-membership due of ¥4,800 a year, filed; ends on the receipt the portal
 * shows next, and answers the complaint's id.
 */
export const fileComplaintThroughForm = async (page: Page, about: ComplaintAbout): Promise<string> => {
  const form = page.locator('main form');
  await form.getByLabel('Name of the association').fill(about.associationName);
  await form.getByLabel("Association's credit code").fill(about.associationCode);
  await form.getByLabel('Name of the fee').fill(about.fee);
  await form.getByLabel('What was the fee for?').selectOption('MEMBERSHIP_DUES');
  await form.getByLabel('Amount charged (yuan)').fill('4800.00');
  await form.getByLabel('Date charged').fill('2026-03-01');
  await form.getByRole('group', { name: 'How often is it charged?' }).getByLabel('Every year').check();
  await form
    .getByRole('group', { name: /forced or pressured to join/ })
    .getByLabel('Yes', { exact: true })
    .check();
  await form
    .getByRole('group', { name: /required to pay this fee/ })
    .getByLabel('Yes', { exact: true })
    .check();
  await form.getByLabel('What happened?').fill('We had to join to keep our operating licence.');
  await form.getByLabel('Contact person').fill('Zhang San');
  await form.getByLabel('Phone').fill('138 0000 0000');
  await form.getByRole('button', { name: 'File the complaint' }).click();
  await rendered(page, /^\/complaints\/(?!new$)[^/]+\/receipt$/);
  return decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2] ?? '');
};

/** From the regulator's inbox of `kind` tasks: waits until the task about `fee` is there, and opens its case. */
export const openCaseFromInbox = async (
  page: Page,
  base: string,
  kind: TaskKind,
  fee: string,
): Promise<void> => {
  const row = page.locator('main table tbody tr', { hasText: fee });
  await pollPage(page, base, `/inbox?kind=${kind}`, async () => (await row.count()) === 1);
  await row.getByRole('link').click();
  await rendered(page, /^\/cases\//);
};

/** On the case page with its review: the suggested verdict (unlawful, R01, abolish) confirmed. */
export const recordUnlawfulDecision = async (page: Page): Promise<void> => {
  const decide = page.locator('section.action-card form');
  expect(await decide.getByRole('radio', { name: 'Unlawful' }).isChecked()).toBe(true);
  expect(await decide.getByRole('checkbox', { name: /^R01 / }).isChecked()).toBe(true);
  expect(await decide.getByRole('checkbox', { name: 'Abolish the fee' }).isChecked()).toBe(true);
  await decide.getByLabel('Reason').fill('Forced membership is prohibited.');
  await decide
    .getByLabel('Order text (sent to the association)')
    .fill('Stop making membership a condition of your services and refund the dues.');
  await decide.getByRole('button', { name: 'Record the decision' }).click();
  // A binding decision is spelled out and confirmed before it is sent.
  await page.getByRole('button', { name: 'Confirm the decision' }).click();
  await page.locator('main .notice', { hasText: 'The decision was recorded.' }).waitFor();
};

/** On the case page with its rectification order: the fee abolished and `yuan` refunded. */
export const sendRefundReport = async (page: Page, yuan: string): Promise<void> => {
  const report = page.locator('section.action-card form');
  await report.getByRole('group', { name: 'Has the fee been abolished?' }).getByLabel('Yes').check();
  await report.getByLabel('Amount refunded (yuan)').fill(yuan);
  await report.getByLabel('Reference').fill('Bank transfer 2026-04-01 #4411');
  await report.getByRole('button', { name: 'Send the report' }).click();
  await page.locator('main .notice', { hasText: 'The report was sent.' }).waitFor();
};

/** On the case page with its verification: the rectification accepted. */
export const acceptRectification = async (page: Page): Promise<void> => {
  const verify = page.locator('section.action-card form');
  await verify.getByLabel('Yes, accept it').check();
  await verify.getByRole('button', { name: 'Record the verification' }).click();
  await page.getByRole('button', { name: 'Confirm the verification' }).click();
  await page.locator('main .notice', { hasText: 'The verification was recorded.' }).waitFor();
};
