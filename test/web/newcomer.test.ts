/**
 * A newcomer's first run, as the README tells it (issue 17): the runtime starts without development
 * tokens and prints the first admin's one-time password; the admin signs in through the local
 * OpenID Connect provider and sets a password, invites a regulator and an association from the users
 * page; an enterprise registers with the e-mail code; and the whole case runs with those accounts in
 * headless Chromium, each signing in as a person would (temporary passwords from the local inbox,
 * changed at first sign-in).
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { associationCode, enterpriseCode, registeredAssociation } from '#infra/local/campaign-fixtures';
import { firstAdminEmail } from '#infra/local/identity-provider/first-admin';
import { registryEntryItem } from '#shared/adapters/dynamodb/association-registry';
import { mailTo } from '#test/support/post-office';
import { announceSkip, hasChromium, open, pollPage, rendered, visibleText } from '#test/web/browser';
import {
  acceptRectification,
  fileComplaintThroughForm,
  openCaseFromInbox,
  recordUnlawfulDecision,
  sendRefundReport,
} from '#test/web/case-lifecycle';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/newcomer.test.ts');

const startLines: string[] = [];

const seed = (Math.floor(Math.random() * 90_000) * 100) % 10_000_000;
const run = randomUUID().slice(0, 8);
const people = {
  regulator: { email: `regulator-${run}@mca.example.cn`, name: 'Li Ming' },
  association: { email: `association-${run}@example.org.cn`, name: 'Zhao Lei' },
  enterprise: { email: `owner-${run}@example.cn`, name: 'Beijing Sample Widgets Co., Ltd.' },
};
const codes = { enterprise: enterpriseCode('11', seed + 7), association: associationCode('11', seed + 7) };
const ownPassword = (who: string) => `Own-Pass-${who}-2026!`;

/** Back in the portal, past the sign-in callback, on a page of its own. */
const signedIn = (page: Page) =>
  page.waitForFunction(() => {
    const route = document.querySelector('main')?.dataset.rendered;
    return route !== undefined && !route.startsWith('/sign-in');
  });

const identityLine = (page: Page) => visibleText(page.locator('header .who'));

describe.skipIf(!hasChromium)("a newcomer's first run", () => {
  const portal = usePortal({
    runtime: { devTokens: false, log: (line) => startLines.push(line) },
  });

  /** The temporary password of the latest e-mail to `address`. */
  const temporaryPasswordFor = async (address: string): Promise<string> => {
    const mails = await mailTo(portal.harness.runtime, address);
    const password = /Temporary password: (\S+)/.exec(mails.at(-1)?.text ?? '')?.[1];
    if (!password) throw new Error(`No temporary password was sent to ${address}`);
    return password;
  };

  /**
   * From the portal's sign-in page through the provider's pages and back: the password, and where it is
   * temporary, a new one of the person's own.
   */
  const signInThroughProvider = async (
    page: Page,
    account: { email: string; password: string; newPassword?: string },
  ): Promise<void> => {
    await open(page, portal.base, '/sign-in');
    await page.getByRole('button', { name: 'Unified sign-in' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (account.newPassword) {
      await page.getByLabel('Password', { exact: true }).fill(account.newPassword);
      await page.getByLabel('Password again').fill(account.newPassword);
      await page.getByRole('button', { name: 'Save and continue' }).click();
    }
    await signedIn(page);
  };

  it('goes from the printed admin password to a closed case with invited and registered accounts', {
    timeout: 300_000,
  }, async () => {
    // The first start printed the admin's one-time password; nothing else mints tokens.
    const printed = startLines.find((line) => line.includes(firstAdminEmail)) ?? '';
    const oneTimePassword = /one-time password: (\S+)/.exec(printed)?.[1] ?? '';
    expect(oneTimePassword).not.toBe('');
    expect((await fetch(`${portal.base}/local/token`, { method: 'POST' })).status).toBe(404);

    // The association is in the register (imported by the campaign; its import is tested elsewhere).
    await portal.harness.documentClient.send(
      new PutCommand({
        TableName: portal.harness.tableName,
        Item: registryEntryItem(registeredAssociation(codes.association)),
      }),
    );
    // The admin signs in, sets a password, and invites a regulator and an association.
    const admin = await portal.person();
    await signInThroughProvider(admin.page, {
      email: firstAdminEmail,
      password: oneTimePassword,
      newPassword: ownPassword('admin'),
    });
    expect(await identityLine(admin.page)).toContain('Campaign administrator');
    await admin.page.locator('header nav').getByRole('link', { name: 'Users' }).click();
    await rendered(admin.page, '/users');
    const invite = admin.page.locator('main form', {
      has: admin.page.getByRole('button', { name: 'Send the invitation' }),
    });
    await invite.getByLabel('Regulator').check();
    await invite.getByLabel('E-mail address').fill(people.regulator.email);
    await invite.getByLabel('Name').fill(people.regulator.name);
    await invite.getByLabel('Agency').selectOption('MCA');
    await invite.getByLabel('Province').selectOption('11');
    await invite.getByRole('button', { name: 'Send the invitation' }).click();
    await admin.page.locator('main .notice', { hasText: `Invited ${people.regulator.email}` }).waitFor();
    await invite.getByLabel('Association or chamber of commerce').check();
    await invite.getByLabel('E-mail address').fill(people.association.email);
    await invite.getByLabel('Name').fill(people.association.name);
    await invite.getByLabel('Unified social credit code').fill(codes.association);
    await invite.getByRole('button', { name: 'Send the invitation' }).click();
    await admin.page.locator('main .notice', { hasText: `Invited ${people.association.email}` }).waitFor();

    // The enterprise registers itself on a phone, with the code sent to its e-mail, and files.
    const enterprise = await portal.person({ viewport: phone });
    await open(enterprise.page, portal.base, '/sign-in');
    await enterprise.page.getByRole('button', { name: 'Unified sign-in' }).click();
    await enterprise.page.getByRole('link', { name: 'Register an enterprise account' }).click();
    await enterprise.page.getByLabel('Enterprise name').fill(people.enterprise.name);
    await enterprise.page.getByLabel('Unified social credit code').fill(codes.enterprise);
    await enterprise.page.getByLabel('E-mail').fill(people.enterprise.email);
    await enterprise.page.getByLabel('Password', { exact: true }).fill(ownPassword('enterprise'));
    await enterprise.page.getByLabel('Password again').fill(ownPassword('enterprise'));
    await enterprise.page.getByRole('button', { name: 'Send the e-mail code' }).click();
    await enterprise.page.getByLabel('6-digit code').waitFor();
    const [codeMail] = await mailTo(portal.harness.runtime, people.enterprise.email);
    const code = /\b(\d{6})\b/.exec(codeMail?.text ?? '')?.[1] ?? '';
    await enterprise.page.getByLabel('6-digit code').fill(code);
    await enterprise.page.getByRole('button', { name: 'Finish registration' }).click();
    await signedIn(enterprise.page);
    await open(enterprise.page, portal.base, '/complaints/new');
    const complaintId = await fileComplaintThroughForm(enterprise.page, {
      associationName: 'Beijing Widget Industry Association',
      associationCode: codes.association,
      fee: 'Annual dues of a newcomer',
    });

    // The invited regulator signs in with the e-mailed password, sets its own, and decides.
    const regulator = await portal.person();
    await signInThroughProvider(regulator.page, {
      email: people.regulator.email,
      password: await temporaryPasswordFor(people.regulator.email),
      newPassword: ownPassword('regulator'),
    });
    expect(await identityLine(regulator.page)).toContain('Beijing Municipal Civil Affairs Bureau');
    const reviewRow = regulator.page.locator('main table tbody tr', { hasText: 'Annual dues of a newcomer' });
    await pollPage(regulator.page, portal.base, '/inbox', async () => (await reviewRow.count()) === 1);
    await reviewRow.getByRole('link', { name: 'Annual dues of a newcomer' }).click();
    await rendered(regulator.page, /^\/cases\//);
    await recordUnlawfulDecision(regulator.page);

    // The invited association reports the refund.
    const association = await portal.person();
    await signInThroughProvider(association.page, {
      email: people.association.email,
      password: await temporaryPasswordFor(people.association.email),
      newPassword: ownPassword('association'),
    });
    const order = association.page.locator('main table tbody tr', { hasText: 'Annual dues of a newcomer' });
    await pollPage(association.page, portal.base, '/orders', async () => (await order.count()) === 1);
    await order.getByRole('link').first().click();
    await rendered(association.page, /^\/cases\//);
    expect(await visibleText(association.page.locator('main'))).not.toContain(people.enterprise.name);
    await sendRefundReport(association.page, '4800');

    // The regulator verifies; the enterprise sees its complaint closed.
    await openCaseFromInbox(regulator.page, portal.base, 'VERIFICATION', 'Annual dues of a newcomer');
    await acceptRectification(regulator.page);
    await pollPage(
      enterprise.page,
      portal.base,
      `/complaints/${encodeURIComponent(complaintId)}`,
      async (page) => (await visibleText(page.locator('main'))).includes('Closed: Abolished'),
    );

    for (const { problems } of [admin, enterprise, regulator, association]) expect(problems).toEqual([]);
  });
});
