/**
 * Case search and the ledger over HTTP: a regulator finds the cases of its office, named in its
 * language; bad filters are refused field by field; the ledger opens in Excel (BOM, Chinese headers
 * for Chinese callers) and defuses formulas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileComplaint, newScenario, openTaskOf, type Scenario } from '#test/support/campaign-actors';
import { parseCsv } from '#test/support/csv';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let beijing: Scenario;
let beijingCase = '';
let shanghaiCase = '';
/** The references the complainants were given: a complaint's, not its case's. */
let beijingReference = '';
let shanghaiReference = '';

beforeAll(async () => {
  harness = await startTestRuntime();
  beijing = await newScenario(harness, 'MCA', '11');
  const shanghai = await newScenario(harness, 'MCA', '31');
  const [filedHere, filedThere] = await Promise.all([
    fileComplaint(harness, beijing, {
      associationName: '北京市某某行业协会, 分会',
      feeName: '=HYPERLINK("http://example.com")',
      amountFen: 123_456,
    }),
    fileComplaint(harness, shanghai),
  ]);
  beijingCase = filedHere.caseId;
  shanghaiCase = filedThere.caseId;
  beijingReference = filedHere.reference;
  shanghaiReference = filedThere.reference;
  // Classified and routed: the review task is open.
  await Promise.all([
    openTaskOf(harness, beijing.regulator, beijingCase, 'REVIEW'),
    openTaskOf(harness, shanghai.regulator, shanghaiCase, 'REVIEW'),
  ]);
}, 120_000);
afterAll(() => harness.stop());

describe('GET /api/cases', () => {
  it("finds the cases of the regulator's office, not another province's", async () => {
    // Act
    const { response, data } = await harness
      .apiAs(beijing.regulator)
      .GET('/api/cases', { params: { query: { association: '某某行业协会' } } });

    // Assert
    expect(response.status).toBe(200);
    const ids = data?.items.map((item) => item.caseId);
    expect(ids).toContain(beijingCase);
    expect(ids).not.toContain(shanghaiCase);
  });

  it('names the handling office in the caller’s language', async () => {
    // Act
    const [zh, en] = await Promise.all(
      ['zh-CN', 'en'].map((language) =>
        harness.request('GET', `/api/cases?creditCode=${beijing.associationCode}`, {
          token: beijing.regulator,
          headers: { 'accept-language': language },
        }),
      ),
    );

    // Assert
    expect(zh?.body.items[0]).toMatchObject({
      caseId: beijingCase,
      association: { name: '北京市某某行业协会, 分会', creditCode: beijing.associationCode, province: '11' },
      fee: { name: '=HYPERLINK("http://example.com")', category: 'MEMBERSHIP_DUES', amountFen: 123_456 },
      stage: 'UNDER_REVIEW',
      agency: 'MCA',
      province: '11',
      overdue: false,
      handlingOffice: { agency: 'MCA', province: '11', name: '北京市民政局' },
    });
    expect(en?.body.items[0].handlingOffice.name).toBe('Beijing Municipal Civil Affairs Bureau');
  });

  it('gives a campaign admin every province', async () => {
    // Act
    const { data } = await harness
      .apiAs(beijing.admin)
      .GET('/api/cases', { params: { query: { limit: 100 } } });

    // Assert
    expect(data?.items.map((item) => item.caseId)).toEqual(
      expect.arrayContaining([beijingCase, shanghaiCase]),
    );
  });

  it('finds the case by the reference its complainant quotes, on one page', async () => {
    // Act
    const { data } = await harness
      .apiAs(beijing.regulator)
      .GET('/api/cases', { params: { query: { reference: beijingReference } } });

    // Assert
    expect({ ids: data?.items.map((item) => item.caseId), cursor: data?.cursor }).toEqual({
      ids: [beijingCase],
      cursor: null,
    });
  });

  it("finds nothing by another province's reference for a provincial regulator", async () => {
    // Act
    const { response, data } = await harness
      .apiAs(beijing.regulator)
      .GET('/api/cases', { params: { query: { reference: shanghaiReference } } });

    // Assert
    expect(response.status).toBe(200);
    expect(data).toEqual({ items: [], cursor: null });
  });

  it.each([
    ['reference=2026-11-12345', 'reference'],
    ['stage=SOMEWHERE', 'stage'],
    ['from=2026-02-30', 'from'],
    ['from=2026-03-02&to=2026-03-01', 'to'],
    ['limit=0', 'limit'],
    ['reference=44-2026-1', 'reference'],
    ['creditCode=91110000000000000X', 'creditCode'],
    ['colour=red', 'colour'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('refuses %s naming the field %s', async (query, field) => {
    // Act
    const response = await harness.request('GET', `/api/cases?${query}`, { token: beijing.regulator });

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((issue: { path: string }) => issue.path)).toContain(field);
  });
});

describe('GET /api/cases.csv', () => {
  it('starts with a byte order mark so that Excel reads UTF-8', async () => {
    // Act
    const response = await fetch(`${harness.url}/api/cases.csv`, {
      headers: { authorization: `Bearer ${beijing.regulator}` },
    });

    // Assert
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...new Uint8Array(await response.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes Chinese headers and labels for a Chinese caller, amounts in yuan, formulas defused', async () => {
    // Act
    const response = await harness.request('GET', `/api/cases.csv?creditCode=${beijing.associationCode}`, {
      token: beijing.regulator,
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });

    // Assert
    const [header, row] = parseCsv(response.text.replace(/^\uFEFF/, ''));
    expect(header?.slice(0, 6)).toEqual([
      '案件编号',
      '案件ID',
      '协会名称',
      '统一社会信用代码',
      '收费项目',
      '收费类别',
    ]);
    expect(row).toEqual([
      expect.stringMatching(/^\d{4}-11-\d{6,9}$/),
      beijingCase,
      '北京市某某行业协会, 分会',
      beijing.associationCode,
      '\'=HYPERLINK("http://example.com")',
      '会费',
      '1234.56',
      '1234.56',
      '0.00',
      '0.00',
      '审核中',
      '',
      '',
      '北京市民政局',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      '',
      '',
      '否',
    ]);
  });

  it('writes English headers for an English caller', async () => {
    // Act
    const response = await harness.request('GET', `/api/cases.csv?creditCode=${beijing.associationCode}`, {
      token: beijing.regulator,
      headers: { 'accept-language': 'en-GB' },
    });

    // Assert
    const [header, row] = parseCsv(response.text.replace(/^\uFEFF/, ''));
    expect(header?.slice(0, 3)).toEqual(['Reference', 'Case ID', 'Association']);
    expect(row?.[10]).toBe('Under review');
    expect(response.headers.get('x-ledger-cursor')).toBeNull();
  });

  it('holds only the cases of the caller’s jurisdiction', async () => {
    // Act
    const response = await harness.request('GET', '/api/cases.csv', { token: beijing.regulator });

    // Assert
    const ids = parseCsv(response.text.replace(/^\uFEFF/, '')).map((row) => row[1]);
    expect(ids).toContain(beijingCase);
    expect(ids).not.toContain(shanghaiCase);
  });
});
