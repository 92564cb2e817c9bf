/**
 * User management in the portal (issue 17) against the local runtime's users API: an admin invites a
 * regulator and finds its row, deactivates and reactivates it, is told when an e-mail already has an
 * account; a national regulator sees and invites the regulators of its own agency only; provincial
 * regulators and enterprises have no menu entry and cannot open the page. Linking two enterprise
 * accounts needs enterprise accounts, which only registration creates: there the API's answers are
 * played by the test. The page at 360 px in both languages: no serious axe violation, no sideways
 * scrolling.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { enterpriseCode } from '#infra/local/campaign-fixtures';
import {
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  open,
  rendered,
  signIn,
  unfoldHeader,
  visibleText,
} from '#test/web/browser';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/users.test.ts');

const run = `u${Date.now().toString(36)}`;

const admin = { role: 'campaign-admin', name: '王芳' } as const;

/** The account's row, by its e-mail cell (another row may name it in its link form). */
const rowOf = (page: Page, email: string) =>
  page.locator('main table tbody tr').filter({ has: page.getByRole('cell', { name: email, exact: true }) });

/** The invitation form. */
const inviteForm = (page: Page) =>
  page.locator('main section', { has: page.getByRole('heading', { name: '邀请用户' }) }).locator('form');

const invite = async (
  page: Page,
  person: { email: string; name: string; agency?: string; province: string },
) => {
  const form = inviteForm(page);
  await form.getByLabel('电子邮箱').fill(person.email);
  await form.getByLabel('姓名').fill(person.name);
  if (person.agency) await form.getByLabel('主管部门').selectOption(person.agency);
  await form.getByLabel('省份').selectOption(person.province);
  await form.getByRole('button', { name: '发送邀请' }).click();
};

describe.skipIf(!hasChromium)('user management in the portal', () => {
  const portal = usePortal({ locale: 'zh-CN' });

  it('lets an admin invite a regulator, whose row then appears with its office', async () => {
    // Arrange
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, admin);
    await page.locator('header nav').getByRole('link', { name: '用户管理' }).click();
    await rendered(page, '/users');

    // Act
    await invite(page, { email: `chen.${run}@samr.example`, name: '陈静', agency: 'SAMR', province: '44' });
    await rendered(page, `/users?q=chen.${run}%40samr.example`);

    // Assert
    expect(await visibleText(page.locator('main .notice-success'))).toContain(
      `已邀请 chen.${run}@samr.example`,
    );
    const row = await visibleText(rowOf(page, `chen.${run}@samr.example`));
    expect(row).toContain('陈静');
    expect(row).toContain('广东省市场监督管理局');
    expect(row).toContain('已启用');
    expect(row).toContain('待首次登录');
    expect(problems).toEqual([]);
  });

  it('deactivates an account and reactivates it', async () => {
    // Arrange
    const { page } = await portal.person();
    await signIn(page, portal.base, admin);
    await open(page, portal.base, '/users');
    await invite(page, { email: `zhou.${run}@mca.example`, name: '周立', agency: 'MCA', province: '31' });
    await rendered(page, `/users?q=zhou.${run}%40mca.example`);
    const row = rowOf(page, `zhou.${run}@mca.example`);

    // Act
    await row.getByRole('button', { name: '停用 周立' }).click();
    await page.locator('main .notice-success', { hasText: '已停用 周立 的账号' }).waitFor();

    // Assert
    expect(await visibleText(row)).toContain('已停用');
    expect(await row.getByRole('button', { name: '停用 周立' }).count()).toBe(0);

    // Act
    await row.getByRole('button', { name: '启用 周立' }).click();
    await page.locator('main .notice-success', { hasText: '已启用 周立 的账号' }).waitFor();

    // Assert
    expect(await visibleText(row)).toContain('已启用');
  });

  it('says so when the e-mail address already has an account', async () => {
    // Arrange
    const { page } = await portal.person();
    await signIn(page, portal.base, admin);
    await open(page, portal.base, '/users');
    await invite(page, { email: `lin.${run}@ndrc.example`, name: '林海', agency: 'NDRC', province: '11' });
    await rendered(page, `/users?q=lin.${run}%40ndrc.example`);

    // Act
    await invite(page, { email: `lin.${run}@ndrc.example`, name: '林海', agency: 'NDRC', province: '11' });

    // Assert
    await page.locator('main form .notice-error').waitFor();
    expect(await visibleText(page.locator('main form .notice-error'))).toBe(
      '该电子邮箱已开通账号，请勿重复邀请。',
    );
  });

  it("shows a national regulator its own agency's regulators and invites only those", async () => {
    // Arrange: a regulator of the ministry's agency and one of another agency
    const token = await portal.harness.token({ role: 'campaign-admin' });
    for (const [email, agency] of [
      [`${run}.mca@mca.example`, 'MCA'],
      [`${run}.samr@samr.example`, 'SAMR'],
    ] as const) {
      const invited = await portal.harness.request('POST', '/api/admin/users', {
        token,
        body: { role: 'regulator', email, name: '工作人员', agency, province: '44' },
      });
      expect(invited.status).toBe(201);
    }
    const { page } = await portal.person();
    await signIn(page, portal.base, { role: 'regulator', agency: 'MCA', province: '00', name: '部机关' });

    // Act
    await open(page, portal.base, `/users?q=${run}`);

    // Assert
    const main = await visibleText(page.locator('main'));
    expect(main).toContain('所属部门：民政部（仅可邀请本部门工作人员）');
    expect(main).toContain(`${run}.mca@mca.example`);
    expect(main).not.toContain(`${run}.samr@samr.example`);
    expect(await inviteForm(page).getByRole('radio').count()).toBe(0);
  });

  for (const [who, identity] of [
    ['a provincial regulator', { role: 'regulator', agency: 'MCA', province: '44' }],
    ['an enterprise', { role: 'enterprise', creditCode: enterpriseCode('44', 4242) }],
  ] as const) {
    it(`shows ${who} no user management`, async () => {
      // Arrange
      const { page } = await portal.person({ viewport: phone });
      await signIn(page, portal.base, identity);

      // Act
      await unfoldHeader(page);
      const menu = await visibleText(page.locator('header nav'));
      await open(page, portal.base, '/users');

      // Assert
      expect(menu).not.toContain('用户管理');
      expect(await visibleText(page.locator('main h1'))).toBe('无权访问此页面');
    });
  }

  it('links an enterprise account to another of the same enterprise, and says why it cannot', async () => {
    // Arrange: registration creates enterprise accounts; here the API's answers are played
    const code = enterpriseCode('44', 4343);
    const account = (userId: string, email: string) => ({
      userId,
      email,
      name: '广州某某机械有限公司',
      role: 'enterprise',
      creditCode: code,
      enterpriseId: userId,
      enabled: true,
      state: 'CONFIRMED',
      createdAt: '2026-11-01T08:00:00.000Z',
      updatedAt: '2026-11-01T08:00:00.000Z',
    });
    const links: unknown[] = [];
    const { page } = await portal.person();
    await page.route('**/api/admin/users?**', (route) =>
      route.fulfill({
        json: {
          items: [account('ent-a', 'a@jixie.example'), account('ent-b', 'b@jixie.example')],
          cursor: null,
        },
      }),
    );
    await page.route('**/api/admin/users/*/link', (route) => {
      links.push(route.request().postDataJSON());
      return links.length === 1
        ? route.fulfill({ json: { ...account('ent-a', 'a@jixie.example'), enterpriseId: 'ent-b' } })
        : route.fulfill({
            status: 409,
            json: { error: { code: 'CONFLICT', message: 'not the same', reason: 'not_same_enterprise' } },
          });
    });
    await signIn(page, portal.base, admin);
    await open(page, portal.base, `/users?q=${code}`);
    const row = rowOf(page, 'a@jixie.example');

    // Act
    await row.getByText('关联为同一企业').click();
    await row.getByLabel('关联至账号').selectOption('ent-b');
    await row.getByRole('button', { name: '确认关联' }).click();

    // Assert
    await page.locator('main .notice-success').waitFor();
    expect(links).toEqual([{ enterpriseOf: 'ent-b' }]);
    expect(await visibleText(page.locator('main .notice-success'))).toContain('已完成关联');

    // Act: the API refuses the second time
    await row.getByText('关联为同一企业').click();
    await row.getByRole('button', { name: '确认关联' }).click();

    // Assert
    await page.locator('main .notice-error').waitFor();
    expect(await visibleText(page.locator('main .notice-error'))).toBe(
      '只能关联统一社会信用代码相同的两个企业账号。',
    );
  });

  it('reads well on a phone in both languages', async () => {
    // Arrange
    const { page, problems } = await portal.person({ viewport: phone });
    await signIn(page, portal.base, admin);
    await open(page, portal.base, `/users?q=${run}`);

    // Act
    const findings = await auditAtPhoneWidth(page, 'users');

    // Assert
    expect(findings).toEqual([]);
    expect(problems).toEqual([]);
  });
});
