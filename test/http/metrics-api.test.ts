/** The metrics API over HTTP: who reads which scope, the public aggregates, and the open-data CSV. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  waitForStage,
} from '#test/support/campaign-actors';
import { parseCsv } from '#test/support/csv';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
const canary = `canary${Date.now()}`;
let closedCaseId = '';
let reference = '';
let enterpriseCode = '';

beforeAll(async () => {
  harness = await startTestRuntime();
  const scenario = await newScenario(harness);
  enterpriseCode = scenario.enterpriseCode;
  const { caseId } = await fileComplaint(harness, scenario, {
    feeName: 'Dues, "special" edition',
    contact: { name: `${canary} Li`, phone: '13700000001', email: `${canary}@example.com` },
  });
  const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
  await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
  const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
  await completeTask(harness, scenario.association, order.taskId, decisions.refunded(123_456));
  const check = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
  await completeTask(harness, scenario.regulator, check.taskId, decisions.accept);
  await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
  await harness.runtime.drainStreams();
  closedCaseId = caseId;
  const { data: detail } = await harness
    .apiAs(scenario.regulator)
    .GET('/api/cases/{id}', { params: { path: { id: caseId } } });
  reference = (detail && 'case' in detail ? detail.case.reference : undefined) ?? '';
}, 120_000);
afterAll(() => harness.stop());

describe('GET /api/metrics', () => {
  it('gives a regulator the figures of its agency in its province', async () => {
    const regulator = await harness.token({ role: 'regulator', agency: 'MCA', province: '11' });

    const { response, data } = await harness.apiAs(regulator).GET('/api/metrics');

    expect(response.status).toBe(200);
    expect(data?.scope).toBe('AGENCY_PROVINCE#MCA#11');
    expect(data?.figures).toMatchObject({
      feesAbolished: 1,
      refundedFen: 123_456,
      outcomes: { ABOLISHED: 1 },
    });
  });

  it('refuses a regulator another province with 403', async () => {
    const regulator = await harness.token({ role: 'regulator', agency: 'MCA', province: '11' });

    const { response } = await harness.apiAs(regulator).GET('/api/metrics', {
      params: { query: { province: '44' } },
    });

    expect(response.status).toBe(403);
  });

  it('refuses enterprises and associations with 403', async () => {
    const scenario = await newScenario(harness);

    const statuses = await Promise.all(
      [scenario.enterprise, scenario.association].map(
        async (token) => (await harness.apiAs(token).GET('/api/metrics')).response.status,
      ),
    );

    expect(statuses).toEqual([403, 403]);
  });

  it('lets an admin filter by category, and rejects an unknown filter with 400', async () => {
    const admin = await harness.token({ role: 'campaign-admin' });

    const byCategory = await harness.apiAs(admin).GET('/api/metrics', {
      params: { query: { category: 'MEMBERSHIP_DUES' } },
    });
    // A parameter the document does not declare: only the untyped client can send it.
    const unknown = await harness.request('GET', '/api/metrics?enterprise=x', { token: admin });

    expect(byCategory.data?.scope).toBe('CATEGORY#MEMBERSHIP_DUES');
    expect(unknown.status).toBe(400);
  });
});

describe('GET /api/public/metrics', () => {
  it('serves campaign-wide aggregates without a token', async () => {
    const { response, data } = await harness.apiAs().GET('/api/public/metrics');

    expect(response.status).toBe(200);
    expect(data?.scope).toBe('ALL');
    expect(data?.breakdown?.byCategory.MEMBERSHIP_DUES?.outcomes).toEqual({ ABOLISHED: 1 });
  });

  it('accepts no filter that could single anyone out', async () => {
    // The document declares no parameter here: only the untyped client can send one.
    const response = await harness.request('GET', '/api/public/metrics?province=11');

    expect(response.status).toBe(400);
  });
});

describe('GET /api/public/outcomes.csv', () => {
  it('lists every closed case with a header row, correctly quoted', async () => {
    const { response, data = '' } = await harness
      .apiAs()
      .GET('/api/public/outcomes.csv', { parseAs: 'text' });
    const rows = parseCsv(data);
    const header = rows[0] ?? [];
    const row = rows.find((candidate) => candidate[0] === closedCaseId) ?? [];
    const field = (name: string) => row[header.indexOf(name)];

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(field('reference')).toMatch(/^\d{4}-\d{2}-\d{6}$/);
    expect(field('feeName')).toBe('Dues, "special" edition');
    expect(field('outcome')).toBe('ABOLISHED');
    expect(field('refundedFen')).toBe('123456');
    expect(field('refundedYuan')).toBe('1234.56');
  });

  it('contains nothing about the complainants', async () => {
    const { data: csv } = await harness.apiAs().GET('/api/public/outcomes.csv', { parseAs: 'text' });

    expect(csv).not.toContain(canary);
    expect(csv).not.toContain('13700000001');
    expect(csv).not.toContain(enterpriseCode);
  });

  it('keeps the machine-readable form without `lang`, whatever language the client prefers', async () => {
    // Act
    const response = await fetch(`${harness.url}/api/public/outcomes.csv`, {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    const bytes = new Uint8Array(await response.arrayBuffer());

    // Assert
    expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split('\r\n')[0]).toBe(
      'caseId,reference,associationName,associationCreditCode,province,feeName,category,verdict,outcome,refundedFen,refundedYuan,annualFenRemoved,annualYuanRemoved,complaints,openedOn,closedOn',
    );
    expect(response.headers.get('content-language')).toBeNull();
  });

  it('starts the file for people with a byte order mark so that Excel reads the Chinese', async () => {
    // Act
    const response = await fetch(`${harness.url}/api/public/outcomes.csv?lang=zh-CN`);

    // Assert
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-language')).toBe('zh-CN');
    expect([...new Uint8Array(await response.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes Chinese headers and names for `lang=zh-CN`, amounts once in yuan', async () => {
    // Act
    const response = await harness.request('GET', '/api/public/outcomes.csv?lang=zh-CN');

    // Assert
    const [header = [], ...rows] = parseCsv(response.text.replace(/^\uFEFF/, ''));
    const row = rows.find((candidate) => candidate[0] === reference) ?? [];
    expect(header).toEqual([
      '案件编号',
      '协会名称',
      '统一社会信用代码',
      '省份',
      '收费项目',
      '收费类别',
      '认定结论',
      '办理结果',
      '已退还金额（元）',
      '每年减负金额（元）',
      '投诉件数',
      '立案日期',
      '办结日期',
    ]);
    expect(row.slice(3, 10)).toEqual([
      '北京市',
      'Dues, "special" edition',
      '会费',
      '违规收费',
      '收费已取消',
      '1234.56',
      expect.stringMatching(/^\d+\.\d{2}$/),
    ]);
    expect(row.join(',')).not.toMatch(/MEMBERSHIP_DUES|ABOLISHED|UNLAWFUL|123456/);
  });

  it('writes English headers and names for `lang=en`', async () => {
    // Act
    const response = await harness.request('GET', '/api/public/outcomes.csv?lang=en');

    // Assert
    const [header = [], ...rows] = parseCsv(response.text.replace(/^\uFEFF/, ''));
    const row = rows.find((candidate) => candidate[0] === reference) ?? [];
    expect(header.slice(0, 6)).toEqual([
      'Reference',
      'Association',
      'Credit code',
      'Province',
      'Fee',
      'Category',
    ]);
    expect(row.slice(3, 9)).toEqual([
      'Beijing',
      'Dues, "special" edition',
      'Membership dues',
      'Unlawful',
      'Abolished',
      '1234.56',
    ]);
  });

  it('refuses a language it does not write with 400', async () => {
    // Act
    const response = await harness.request('GET', '/api/public/outcomes.csv?lang=fr');

    // Assert
    expect(response.status).toBe(400);
  });
});
