/**
 * Evidence files in headless Chromium against the local runtime (docs/evidence.md, issue 15), with real
 * files from a temporary folder: an enterprise uploads a PNG and a PDF with the complaint form, sees
 * them sent and checked, files the complaint, finds them on its complaint page, downloads them and
 * adds one more while the case is open; a PNG renamed .pdf is refused by screening with the reason in
 * words and a file over 10 MB before upload, and neither is named; a regulator attaches a file to its
 * decision and the case page lists and downloads it; the complainant answers a request for information
 * with a file; the association reports its rectification with a file and no typed reference. The pages with the picker are checked at 360 px in both languages (axe,
 * no sideways scrolling).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, enterpriseCode } from '#infra/local/campaign-fixtures';
import { MAX_EVIDENCE_FILE_BYTES } from '#shared/domain/evidence';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
} from '#test/support/campaign-actors';
import {
  announceSkip,
  auditAtPhoneWidth,
  hasChromium,
  open,
  pollPage,
  rendered,
  screenshot,
  signIn,
  visibleText,
} from '#test/web/browser';
import { phone, usePortal } from '#test/web/portal-harness';

announceSkip('test/web/evidence-upload.test.ts');

let folder: string;

const seed = (Math.floor(Math.random() * 90_000) * 100) % 10_000_000;

/** The files a person picks, written to disk as they would be on their computer. */
const files = {
  png: '',
  pdf: '',
  jpeg: '',
  renamed: '',
  tooLarge: '',
};
let pdfBytes: Buffer;

/** A one-page PDF with a correct cross-reference table, and nothing active in it. */
const onePagePdf = (): Buffer => {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>',
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(text.length);
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
};

/** Problems found at 360 px, asserted empty at the end of each test. */
const findings: string[] = [];

/** Fills the complaint form by its fields' names, so the test reads alike in both languages. */
const fillComplaint = async (form: Locator, feeName: string, association: string) => {
  await form.locator('[name="association.name"]').fill('北京市小部件行业协会');
  await form.locator('[name="association.creditCode"]').fill(association);
  await form.locator('[name="fee.name"]').fill(feeName);
  await form.locator('[name="fee.category"]').selectOption('MEMBERSHIP_DUES');
  await form.locator('[name="fee.amountFen"]').fill('4800');
  await form.locator('[name="fee.chargedOn"]').fill('2026-03-01');
  await form.locator('input[name="fee.period"][value="ANNUAL"]').check();
  await form.locator('[name="description"]').fill('入会后方可办理资质年检，会费 4800 元。');
  await form.locator('[name="contact.name"]').fill('张三');
  await form.locator('[name="contact.phone"]').fill('13800000000');
};

/**
 * Records what the picker shows while it works, from before files are chosen: the stages each file
 * went through, how far its progress bar went, and whether the form's submit button was held.
 */
const recordPicker = (page: Page) =>
  page.evaluate(() => {
    const seen = { stages: [] as string[], progress: 0, submitHeld: false };
    (window as unknown as { pickerSeen: typeof seen }).pickerSeen = seen;
    new MutationObserver((mutations) => {
      for (const { target } of mutations) {
        if (!(target instanceof HTMLElement)) continue;
        if (target.matches('li.evidence-file') && target.dataset.stage)
          seen.stages.push(target.dataset.stage);
        if (target instanceof HTMLProgressElement) seen.progress = Math.max(seen.progress, target.value);
        if (target.matches('button[type="submit"]') && (target as HTMLButtonElement).disabled)
          seen.submitHeld = true;
      }
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-stage', 'value', 'disabled'],
    });
  });

const pickerSeen = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { pickerSeen: { stages: string[]; progress: number; submitHeld: boolean } })
        .pickerSeen,
  );

/** Waits until `count` files of the picker show `text` (screening runs after the upload). */
const filesShowing = async (picker: Locator, text: string | RegExp, count: number) => {
  await expect
    .poll(() => picker.locator('li.evidence-file').filter({ hasText: text }).count(), { timeout: 60_000 })
    .toBe(count);
};

const complaintIdOf = async (page: Page) =>
  decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2] ?? '');

/** Clicks a download button and answers the file as the browser saved it, with its suggested name. */
const download = async (page: Page, button: Locator) => {
  const [saved] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: saved.suggestedFilename(), bytes: await readFile(await saved.path()) };
};

describe.skipIf(!hasChromium)('evidence files in the portal, in headless Chromium', () => {
  const portal = usePortal({ locale: 'zh-CN', viewport: phone });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'evidence-files-'));
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c03020' } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2050c0' } })
      .jpeg()
      .toBuffer();
    pdfBytes = onePagePdf();
    files.png = join(folder, 'fee-notice.png');
    files.pdf = join(folder, '缴费通知.pdf');
    files.jpeg = join(folder, 'refund-receipt.jpg');
    files.renamed = join(folder, 'receipt.pdf');
    files.tooLarge = join(folder, '超大扫描件.pdf');
    await Promise.all([
      writeFile(files.png, png),
      writeFile(files.pdf, pdfBytes),
      writeFile(files.jpeg, jpeg),
      writeFile(files.renamed, png),
      writeFile(files.tooLarge, Buffer.alloc(MAX_EVIDENCE_FILE_BYTES + 1, 0x25)),
    ]);
  }, 60_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('files a complaint with a PNG and a PDF that passed the check, downloads them and adds one more', {
    timeout: 240_000,
  }, async () => {
    const enterprise = await portal.person();
    const { page } = enterprise;
    await signIn(page, portal.base, { role: 'enterprise', creditCode: enterpriseCode('11', seed + 1) });
    await open(page, portal.base, '/complaints/new');
    const form = page.locator('main form');
    await fillComplaint(form, '2026 年度会费', associationCode('11', seed + 1));

    // Two files chosen: each is sent with a progress bar, then checked; the form waits meanwhile.
    const picker = form.locator('.evidence-picker');
    await recordPicker(page);
    await picker.locator('input[type="file"]').setInputFiles([files.png, files.pdf]);
    await filesShowing(picker, '已通过检查', 2);
    const seen = await pickerSeen(page);
    expect(seen.stages).toEqual(expect.arrayContaining(['UPLOADING', 'CHECKING', 'CLEAN']));
    expect(seen.progress).toBe(100);
    expect(seen.submitHeld).toBe(true);
    expect(await form.getByRole('button', { name: '提交投诉' }).isEnabled()).toBe(true);
    // The image is previewed from the local file; the PDF shows its type.
    expect(await picker.locator('img.evidence-thumb').count()).toBe(1);
    expect(await visibleText(picker)).toContain('缴费通知.pdf');
    await screenshot(page, 'evidence-complaint-form-two-files');
    findings.push(...(await auditAtPhoneWidth(page, 'evidence-complaint-form')));
    // The language switch drew the page again: the uploads are still there, checked.
    await filesShowing(picker, 'Passed the check', 2);

    // Filed: the complaint names exactly the two checked uploads.
    const filing = page.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/complaints',
    );
    await form.getByRole('button', { name: 'File the complaint' }).click();
    expect((await filing).postDataJSON().attachments).toHaveLength(2);
    await rendered(page, /^\/complaints\/(?!new$)[^/]+\/receipt$/);
    const complaintId = await complaintIdOf(page);

    // The complaint page lists them and gives them back as attachments with their names.
    await open(page, portal.base, `/complaints/${encodeURIComponent(complaintId)}`);
    const list = page.locator('main ul.attachment-list');
    expect(await visibleText(list)).toMatch(/fee-notice\.png\s*PNG · \d+ KB · from the complainant/);
    expect(await visibleText(list)).toMatch(/缴费通知\.pdf\s*PDF · 1 KB · from the complainant/);
    const pdf = await download(page, list.getByRole('button', { name: 'Download 缴费通知.pdf' }));
    expect(pdf.name).toBe('缴费通知.pdf');
    expect(pdf.bytes.equals(pdfBytes)).toBe(true);
    // Screening re-encoded the image without metadata: still a PNG of the same picture.
    const png = await download(page, list.getByRole('button', { name: 'Download fee-notice.png' }));
    expect(png.name).toBe('fee-notice.png');
    expect(await sharp(png.bytes).metadata()).toMatchObject({ format: 'png', width: 64, height: 48 });

    // While the case is open the complainant adds a file from the complaint page.
    const add = page.locator('main section', { has: page.getByRole('heading', { name: 'Add evidence' }) });
    await add.locator('input[type="file"]').setInputFiles(files.jpeg);
    await filesShowing(add, 'Passed the check', 1);
    findings.push(...(await auditAtPhoneWidth(page, 'evidence-complaint-page')));
    await add.getByRole('button', { name: 'Submit the files' }).click();
    await page.locator('main .notice', { hasText: 'The files were added to your complaint.' }).waitFor();
    expect(await page.locator('main ul.attachment-list li').count()).toBe(3);
    expect(await visibleText(page.locator('main ul.attachment-list'))).toContain('refund-receipt.jpg');

    expect(enterprise.problems).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('says why a PNG renamed .pdf was refused, refuses a file over 10 MB before upload, and names neither', {
    timeout: 180_000,
  }, async () => {
    const enterprise = await portal.person();
    const { page } = enterprise;
    await signIn(page, portal.base, { role: 'enterprise', creditCode: enterpriseCode('11', seed + 2) });
    await open(page, portal.base, '/complaints/new');
    const form = page.locator('main form');
    await fillComplaint(form, '2026 年度培训费', associationCode('11', seed + 2));
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/uploads')
        uploads.push(request.postDataJSON().fileName);
    });
    const picker = form.locator('.evidence-picker');

    // Too large: said at once, nothing sent.
    await picker.locator('input[type="file"]').setInputFiles(files.tooLarge);
    expect(await visibleText(picker.locator('.field-error'))).toBe('“超大扫描件.pdf”超过 10MB，未上传。');
    expect(await picker.locator('li.evidence-file').count()).toBe(0);

    // A picture renamed .pdf: uploaded, then refused by screening, the reason in words.
    await picker.locator('input[type="file"]').setInputFiles(files.renamed);
    await filesShowing(picker, '文件检查未通过：文件内容与格式不符', 1);
    expect(uploads).toEqual(['receipt.pdf']);

    const filing = page.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/complaints',
    );
    await form.getByRole('button', { name: '提交投诉' }).click();
    expect((await filing).postDataJSON()).not.toHaveProperty('attachments');
    await rendered(page, /^\/complaints\/(?!new$)[^/]+\/receipt$/);
    await open(page, portal.base, `/complaints/${encodeURIComponent(await complaintIdOf(page))}`);
    expect(await page.locator('main ul.attachment-list').count()).toBe(0);
    expect(enterprise.problems).toEqual([]);
  });

  it('lets the regulator attach a file to its decision, and lists and downloads it on the case page', {
    timeout: 180_000,
  }, async () => {
    const token = await portal.harness.token({
      role: 'enterprise',
      creditCode: enterpriseCode('11', seed + 3),
    });
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
    const regulator = await portal.person({ locale: 'en-US' });
    const { page } = regulator;
    await signIn(page, portal.base, { role: 'regulator', agency: 'SAMR', province: '11' });
    const route = `/cases/${encodeURIComponent(filed.body.caseId)}`;
    const decide = page.locator('section.action-card form', {
      has: page.getByRole('button', { name: 'Record the decision' }),
    });
    await pollPage(page, portal.base, route, async () => (await decide.count()) === 1);

    await decide.getByRole('radio', { name: 'Dismissed' }).check();
    const suggested = decide.getByRole('checkbox', { checked: true });
    while ((await suggested.count()) > 0) await suggested.first().uncheck();
    await decide.getByLabel('Reason').fill('The award was voluntary.');
    await decide.locator('input[type="file"]').setInputFiles(files.pdf);
    await filesShowing(decide, 'Passed the check', 1);
    findings.push(...(await auditAtPhoneWidth(page, 'evidence-review-form')));
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    // The confirmation names the file with what will be sent.
    expect(await visibleText(page.locator('main .confirm-step'))).toMatch(/Evidence files\s*缴费通知\.pdf/);
    await page.getByRole('button', { name: 'Confirm the decision' }).click();
    await page.locator('main .notice', { hasText: 'The decision was recorded.' }).waitFor();

    const list = page.locator('main ul.attachment-list');
    await pollPage(page, portal.base, route, async () => (await list.count()) === 1);
    expect(await visibleText(page.locator('main'))).toMatch(/Evidence files: Review\s*缴费通知\.pdf/);
    const pdf = await download(page, list.getByRole('button', { name: 'Download 缴费通知.pdf' }));
    expect(pdf.bytes.equals(pdfBytes)).toBe(true);
    // An official's download is in the case's audit trail.
    await pollPage(page, portal.base, route, async (current) =>
      (await visibleText(current.locator('main'))).includes('Evidence viewed'),
    );
    expect(regulator.problems).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('takes the association’s rectification report with a file and no typed reference', {
    timeout: 180_000,
  }, async () => {
    const scenario = await newScenario(portal.harness);
    const { caseId } = await fileComplaint(portal.harness, scenario, { feeName: '2026 年度会费（整改）' });
    const review = await openTaskOf(portal.harness, scenario.regulator, caseId, 'REVIEW');
    expect(
      (await completeTask(portal.harness, scenario.regulator, review.taskId, decisions.abolish)).status,
    ).toBe(200);
    await openTaskOf(portal.harness, scenario.association, caseId, 'RECTIFICATION');

    const association = await portal.person();
    const { page } = association;
    await signIn(page, portal.base, { role: 'association', creditCode: scenario.associationCode });
    const route = `/cases/${encodeURIComponent(caseId)}`;
    const report = page.locator('section.action-card form');
    await pollPage(page, portal.base, route, async () => (await report.count()) === 1);
    await report.locator('input[name="abolished"][value="yes"]').check();
    await report.locator('[name="refundedFen"]').fill('5000');
    await report.locator('.evidence-picker input[type="file"]').setInputFiles(files.jpeg);
    await filesShowing(report, '已通过检查', 1);
    findings.push(...(await auditAtPhoneWidth(page, 'evidence-rectification-report')));

    const reporting = page.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/complete'),
    );
    await report.getByRole('button', { name: 'Send the report' }).click();
    expect((await reporting).postDataJSON()).toMatchObject({
      evidence: [],
      attachments: [expect.any(String)],
    });
    await page.locator('main .notice', { hasText: 'The report was sent.' }).waitFor();

    // The regulator who verifies reads the report's file beside it.
    const regulator = await portal.person({ locale: 'en-US' });
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    const order = regulator.page.locator('main section.card', {
      has: regulator.page.getByRole('heading', { name: 'Rectification order' }),
    });
    await pollPage(regulator.page, portal.base, route, async () =>
      (await visibleText(regulator.page.locator('main'))).includes('refund-receipt.jpg'),
    );
    expect(await visibleText(order)).toMatch(
      /Evidence\s*refund-receipt\.jpg\s*JPG · 1 KB · from the association/,
    );
    expect([...association.problems, ...regulator.problems]).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('takes the complainant’s answer to a request for information with a file, for the regulator to read', {
    timeout: 180_000,
  }, async () => {
    const scenario = await newScenario(portal.harness);
    const { caseId } = await fileComplaint(portal.harness, scenario, {
      feeName: '2026 年度会费（补充信息）',
    });
    const review = await openTaskOf(portal.harness, scenario.regulator, caseId, 'REVIEW');
    const asking = { verdict: 'NEEDS_INFO', ruleIds: [], reason: '请提供缴费凭证。' };
    expect((await completeTask(portal.harness, scenario.regulator, review.taskId, asking)).status).toBe(200);
    const info = await openTaskOf(portal.harness, scenario.enterprise, caseId, 'INFO');

    const enterprise = await portal.person();
    const { page } = enterprise;
    await signIn(page, portal.base, { role: 'enterprise', creditCode: scenario.enterpriseCode });
    await open(page, portal.base, `/info/${encodeURIComponent(info.taskId)}`);
    const form = page.locator('main form');
    await form.locator('[name="note"]').fill('缴费凭证见附件。');
    await form.locator('input[type="file"]').setInputFiles(files.pdf);
    await filesShowing(form, '已通过检查', 1);
    findings.push(...(await auditAtPhoneWidth(page, 'evidence-info-answer')));
    await form.getByRole('button', { name: 'Send the answer' }).click();
    await rendered(page, '/complaints');

    const regulator = await portal.person({ locale: 'en-US' });
    await signIn(regulator.page, portal.base, { role: 'regulator', agency: 'MCA', province: '11' });
    await pollPage(regulator.page, portal.base, `/cases/${encodeURIComponent(caseId)}`, async (current) =>
      (await visibleText(current.locator('main'))).includes('Evidence files: Information request'),
    );
    const pdf = await download(
      regulator.page,
      regulator.page
        .locator('main ul.attachment-list')
        .getByRole('button', { name: 'Download 缴费通知.pdf' }),
    );
    expect(pdf.bytes.equals(pdfBytes)).toBe(true);
    expect([...enterprise.problems, ...regulator.problems]).toEqual([]);
    expect(findings).toEqual([]);
  });
});
