/**
 * The association register in the portal, in headless Chromium: a campaign admin imports a register
 * file and reads the report (refused rows with their reasons, in Chinese); an enterprise typing an
 * association's name in the complaint form picks it from the register's suggestions (a combobox),
 * which fills its credit code and province. Both pages pass axe and fit a 360 px phone.
 */
import { describe, expect, it } from 'vitest';
import { associationCode, enterpriseCode, registerCsv } from '#infra/local/campaign-fixtures';
import {
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  open,
  rendered,
  signIn,
  visibleText,
} from '#test/web/browser';
import { usePortal } from '#test/web/portal-harness';

announceSkip('test/web/association-register.test.ts');

const seed = (Math.floor(Math.random() * 90_000) * 100) % 10_000_000;
const registered = { name: `深圳市示范物流行业协会${seed}`, creditCode: associationCode('44', seed + 3) };
const register = registerCsv([
  [registered.name, registered.creditCode, '市级', '深圳市民政局', '', '', '260', '正常'],
  ['坏代码协会', '51440000MJ0000000X', '市级', '深圳市民政局', '', '', '', ''],
  [
    '孤儿分会',
    associationCode('44', seed + 4),
    '市级',
    '深圳市民政局',
    '',
    associationCode('44', seed + 5),
    '',
    '',
  ],
]);

describe.skipIf(!hasChromium)('the association register in headless Chromium', () => {
  const portal = usePortal();

  it('lets a campaign admin import a register and read which rows were refused and why', {
    timeout: 90_000,
  }, async () => {
    // Arrange
    const admin = await portal.person({ locale: 'zh-CN' });
    await signIn(admin.page, portal.base, { role: 'campaign-admin' });
    await open(admin.page, portal.base, '/registry');
    await admin.page.locator('input[type="file"]').setInputFiles({
      name: '深圳市社会组织名录.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(register),
    });

    // Act
    await admin.page.locator('main form button[type="submit"]').click();
    const report = admin.page.locator('main section[aria-labelledby="registry-report"]');
    await report.waitFor();
    const text = await visibleText(report);
    const findings = await auditAtPhoneWidth(admin.page, 'registry-import');

    // Assert
    expect(text).toContain('共读取 3 行：新增 1 个，更新 0 个，未变化 0 个，未导入 2 行。');
    expect(text).toContain('统一社会信用代码有误');
    expect(text).toContain('上级组织未登记');
    expect(findings).toEqual([]);
  });

  it('suggests registered associations in the complaint form and fills the code of the one picked', {
    timeout: 90_000,
  }, async () => {
    // Arrange
    const importing = await fetch(`${portal.base}/api/admin/associations/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await portal.harness.token({ role: 'campaign-admin' })}`,
        'content-type': 'text/csv',
      },
      body: register,
    });
    expect(importing.status).toBe(200);
    const enterprise = await portal.person();
    await signIn(enterprise.page, portal.base, {
      role: 'enterprise',
      creditCode: enterpriseCode('44', seed),
    });
    await open(enterprise.page, portal.base, '/complaints/new');
    await rendered(enterprise.page);
    const name = enterprise.page.locator('main input[role="combobox"][name="association.name"]');

    // Act
    await name.fill(`示范物流行业协会${seed}`);
    const option = enterprise.page.getByRole('option', { name: new RegExp(registered.creditCode) });
    await option.waitFor();
    const findings = await auditAtPhoneWidth(enterprise.page, 'association-suggestions');
    // The audit switched languages (re-rendering the form): type again, in English now.
    await name.fill(`示范物流行业协会${seed}`);
    await option.waitFor();
    await name.press('ArrowDown');
    await name.press('Enter');

    // Assert
    expect(await name.inputValue()).toBe(registered.name);
    expect(await enterprise.page.locator('[name="association.creditCode"]').inputValue()).toBe(
      registered.creditCode,
    );
    expect(await enterprise.page.locator('[name="association.province"]').inputValue()).toBe('44');
    expect(findings).toEqual([]);
  });
});
