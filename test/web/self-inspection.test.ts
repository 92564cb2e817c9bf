/**
 * Self-inspection and public fee lists in the portal, in headless Chromium against the local runtime:
 * an association declares two fees (adding a row, removing one it added by mistake) and reads which
 * fee was found suspect, with a link to its case, whose page says it came from the self-inspection and
 * shows no empty complainant list; anyone then looks the association up by its credit code and reads
 * its declared fees and their basis; a fee's basis document is uploaded in its row and listed with the
 * result and the versions; both pages pass axe at 360 px in both languages.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { associationCode, registerCsv } from '#infra/local/campaign-fixtures';
import { yearPastDue } from '#shared/self-inspection/missing-declarations';
import { newScenario } from '#test/support/campaign-actors';
import { onePagePdf } from '#test/support/evidence';
import { registerAssociations } from '#test/support/self-inspection';
import {
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  open,
  rendered,
  screenshot,
  signIn,
} from '#test/web/browser';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/self-inspection.test.ts');

describe.skipIf(!hasChromium)('fee self-inspection and public fee lists in the portal', () => {
  const portal = usePortal({ locale: 'zh-CN' });

  it('takes a declaration row by row and says which fee went to the regulators', async () => {
    // Arrange
    const scenario = await newScenario(portal.harness, 'SAMR', '11');
    await registerAssociations(portal.harness, [scenario.associationCode], { name: '北京市示范行业协会' });
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'association', creditCode: scenario.associationCode });
    await open(page, portal.base, '/self-inspection');

    // Act
    const first = page.locator('fieldset.fee-row').nth(0);
    await first.getByLabel('收费名称').fill('会费');
    await first.getByLabel('收费类别').selectOption('MEMBERSHIP_DUES');
    await first.getByLabel('分档标准').fill('会长单位 50000\n会员单位 5000');
    await first.getByLabel('收费依据', { exact: true }).selectOption('MEMBER_ASSEMBLY');
    await first.getByLabel('是否提供相应服务').selectOption('YES');
    await page.getByRole('button', { name: '增加收费项目' }).click();
    await page.getByRole('button', { name: '增加收费项目' }).click();
    await page.locator('fieldset.fee-row').nth(2).getByRole('button', { name: '删除此项' }).click();
    const second = page.locator('fieldset.fee-row').nth(1);
    await second.getByLabel('收费名称').fill('年度优秀企业评选费');
    await second.getByLabel('收费类别').selectOption('RATING_AWARD');
    await second.getByLabel('收费金额（元）').fill('8800');
    await second.getByLabel('收费依据', { exact: true }).selectOption('BOARD_RESOLUTION');
    await second.getByLabel('是否强制收取').selectOption('yes');
    await second.getByLabel('是否提供相应服务').selectOption('PARTIAL');
    await page.getByRole('button', { name: '提交申报' }).click();

    // Assert
    const result = page.locator('main [aria-live] table');
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain('疑似违规');
    expect(await page.locator('fieldset.fee-row').count()).toBe(2);
    expect(await page.locator('main').textContent()).toContain('1 项收费疑似违规');
    expect(await result.first().textContent()).toContain('已申报');
    expect(await page.locator('main').textContent()).not.toContain('已申报版本');
    await page.getByRole('link', { name: '查看核查案件' }).click();
    await rendered(page, /^\/cases\//);
    const casePage = await page.locator('main').textContent();
    expect(casePage).toContain('协会收费自查发现');
    expect(casePage).toContain('本案源自协会收费自查申报，无投诉企业。');
    await open(page, portal.base, '/self-inspection');
    const versions = page.locator('main section', { hasText: '已申报版本' }).getByRole('table');
    expect(await versions.locator('tbody tr').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows anyone the declared fees and their basis by credit code, and nothing for an unknown code', async () => {
    // Arrange
    const scenario = await newScenario(portal.harness, 'MCA', '11');
    await registerAssociations(portal.harness, [scenario.associationCode], { name: '北京市公示测试协会' });
    const declared = await portal.harness.request('POST', '/api/self-inspections', {
      token: scenario.association,
      body: {
        year: 2025,
        fees: [
          {
            name: '会费',
            category: 'MEMBERSHIP_DUES',
            amountFen: 300_000,
            period: 'ANNUAL',
            basis: { kind: 'MEMBER_ASSEMBLY', text: '第二届会员大会决议' },
            compulsory: false,
            serviceProvided: 'YES',
          },
        ],
      },
    });
    expect(declared.status).toBe(200);
    const { page, problems } = await portal.person();

    // Act
    await open(page, portal.base, '/fees');
    await page.getByLabel('协会商会统一社会信用代码').fill(scenario.associationCode);
    await page.getByRole('button', { name: '查询' }).click();

    // Assert
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 10_000 })
      .toContain('北京市公示测试协会');
    const text = await page.locator('main').textContent();
    expect(text).toContain('会员（代表）大会决议：第二届会员大会决议');
    expect(text).toContain('2025 年度收费自查申报（第 1 版）');
    expect(text).toContain('暂无已办结的涉企收费问题。');
    expect(await auditAtPhoneWidth(page, 'fee-list')).toEqual([]);
    await page.getByLabel(/credit code|信用代码/).fill('51110000MJ0000000X');
    await page.getByRole('button', { name: /Look up|查询/ }).click();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/No registered association|未查询到/);
    expect(problems).toEqual([]);
  }, 90_000);

  it("finds an association's fee list by part of its name, from the register's suggestions", async () => {
    // Arrange
    const scenario = await newScenario(portal.harness, 'MCA', '11');
    const name = `北京市名称查询示范协会${scenario.associationCode.slice(-6)}`;
    const imported = await fetch(`${portal.base}/api/admin/associations/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await portal.harness.token({ role: 'campaign-admin' })}`,
        'content-type': 'text/csv',
      },
      body: registerCsv([[name, scenario.associationCode, '省级', '北京市民政局', '', '', '120', '正常']]),
    });
    expect(imported.status).toBe(200);
    const { page, problems } = await portal.person();
    await open(page, portal.base, '/fees');
    const nameField = page.getByRole('combobox', { name: '协会商会名称' });

    // Act
    await nameField.fill(name.slice(3, 11));
    await page.getByRole('option', { name: new RegExp(scenario.associationCode) }).click();

    // Assert
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 10_000 })
      .toContain('北京市民政局');
    expect(await page.getByLabel('协会商会统一社会信用代码').inputValue()).toBe(scenario.associationCode);
    expect(page.url()).toContain(`creditCode=${scenario.associationCode}`);
    expect(problems).toEqual([]);
  }, 90_000);

  it("puts a missing declaration in the registering authority's inbox, linked to the association's fee list", async () => {
    // Arrange
    const late = associationCode('44', 9_000_000 + Math.floor(Math.random() * 900_000));
    await registerAssociations(portal.harness, [late], { name: '广东省迟报示范协会' });
    await portal.harness.runtime.runSchedules();
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'regulator', agency: 'MCA', province: '44' });

    // Act
    await open(page, portal.base, '/inbox?kind=DECLARATION');
    const row = page.locator('main tr', { hasText: '广东省迟报示范协会' });
    await row
      .getByRole('link', { name: `${yearPastDue(new Date(), '03-31')} 年度收费自查未按期申报` })
      .click();

    // Assert
    await rendered(page, /^\/fees/);
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 10_000 })
      .toContain('该协会商会尚未申报收费项目。');
    expect(await page.locator('main').textContent()).toContain('广东省迟报示范协会');
    expect(problems).toEqual([]);
  });

  it('reads well on a 360 px phone in both languages while a declaration is being filled in', async () => {
    // Arrange
    const scenario = await newScenario(portal.harness, 'SAMR', '11');
    await registerAssociations(portal.harness, [scenario.associationCode]);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'association', creditCode: scenario.associationCode });
    await open(page, portal.base, '/self-inspection');

    // Act
    await page.getByRole('button', { name: '增加收费项目' }).click();
    const findings = await auditAtPhoneWidth(page, 'self-inspection');

    // Assert
    expect(findings).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("attaches a fee's basis document in its row and lists it with the result and the versions", async () => {
    // Arrange
    const scenario = await newScenario(portal.harness, 'MCA', '11');
    await registerAssociations(portal.harness, [scenario.associationCode]);
    const folder = await mkdtemp(join(tmpdir(), 'declaration-files-'));
    const resolution = join(folder, '第三届会员大会第二次会议决议.pdf');
    await writeFile(resolution, onePagePdf);
    const { page, problems } = await portal.person();
    await signIn(page, portal.base, { role: 'association', creditCode: scenario.associationCode });
    await open(page, portal.base, '/self-inspection');
    const row = page.locator('fieldset.fee-row').nth(0);
    await row.getByLabel('收费名称').fill('会费');
    await row.getByLabel('收费类别').selectOption('MEMBERSHIP_DUES');
    await row.getByLabel('收费金额（元）').fill('3000');
    await row.getByLabel('收费依据', { exact: true }).selectOption('MEMBER_ASSEMBLY');
    await row.getByLabel('是否提供相应服务').selectOption('YES');

    // Act
    await row.locator('.evidence-picker input[type="file"]').setInputFiles(resolution);
    await expect
      .poll(() => row.locator('.evidence-picker').textContent(), { timeout: 20_000 })
      .toContain('已通过检查');
    const findings = await auditAtPhoneWidth(page, 'self-inspection-files');
    await page.setViewportSize(phone);
    await screenshot(page, 'self-inspection-fee-files');
    await page.getByRole('button', { name: /提交申报|Submit/ }).click();

    // Assert
    const result = page.locator('main [aria-live] table');
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('第三届会员大会第二次会议决议.pdf');
    // The audit at phone width left the page in one of its two languages.
    expect(await result.textContent()).toMatch(/收费依据文件|Basis documents/);
    await page.reload();
    await rendered(page, '/self-inspection');
    const versions = page
      .locator('main section', { hasText: /已申报版本|Declarations on record/ })
      .getByRole('table');
    expect(await versions.textContent()).toContain('第三届会员大会第二次会议决议.pdf');
    expect(findings).toEqual([]);
    expect(problems).toEqual([]);
    await rm(folder, { recursive: true, force: true });
  }, 90_000);
});
