/**
 * The association register over HTTP: a campaign admin imports it (CSV, GB18030 CSV, XLSX), imports it
 * again, changes it; anyone gets suggestions from it; a complaint naming a registered
 * association by name only reaches that association; association accounts need a registry entry.
 */

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  associationCode,
  complaintBody,
  registerCsv,
  registerHeader,
  registerRows,
} from '#infra/local/campaign-fixtures';
import { registryEntryKey, registryIndexHeadKey } from '#shared/adapters/dynamodb/keys';
import { XLSX_MEDIA_TYPE } from '#shared/registry/register-media';
import {
  completeTask,
  decisions,
  newScenario,
  openTaskOf,
  type Scenario,
} from '#test/support/campaign-actors';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let admin: string;

const importFile = (body: string | Uint8Array<ArrayBuffer>, contentType = 'text/csv', token = admin) =>
  harness.request('POST', '/api/admin/associations/import', {
    token,
    rawBody: body,
    headers: { 'content-type': contentType },
  });

const stored = async (creditCode: string) =>
  (
    await harness.documentClient.send(
      new GetCommand({ TableName: harness.tableName, Key: registryEntryKey(creditCode) }),
    )
  ).Item;

const indexVersion = async () =>
  (
    await harness.documentClient.send(
      new GetCommand({ TableName: harness.tableName, Key: registryIndexHeadKey }),
    )
  ).Item?.version;

const xlsxOf = async (rows: readonly (readonly (string | number)[])[]) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('社会组织名录');
  sheet.addRow(['广东省社会组织名录（2026年11月）']);
  for (const row of rows) sheet.addRow([...row]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
};

beforeAll(async () => {
  harness = await startTestRuntime();
  admin = await harness.token({ role: 'campaign-admin' });
}, 60_000);

// Stopping runs the schedules once more (the deadline run reads the register): slow beside a 20,000-row import.
afterAll(async () => {
  await harness?.stop();
}, 180_000);

// The 20,000-row register is imported in test/integration/registry-import.test.ts.
const rows = registerRows(2_000);

describe('POST /api/admin/associations/import', () => {
  const file = registerCsv(rows);

  it('accepts every row, each association with its province, level and parent', async () => {
    // Arrange
    const [, branchCode = '', , , , parentCode = ''] = rows[11] ?? [];

    // Act
    const response = await importFile(file);

    // Assert
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    expect(response.body).toEqual({ rows: 2_000, accepted: 2_000, changed: 0, unchanged: 0, refused: [] });
    expect(await stored(branchCode)).toMatchObject({
      creditCode: branchCode,
      parentCreditCode: parentCode,
      level: 'PROVINCIAL',
      registeringAuthority: '广东省民政厅',
      status: 'ACTIVE',
      province: '44',
    });
  }, 120_000);

  it('changes and writes nothing when the same file is imported again', async () => {
    // Arrange
    const [, code = ''] = rows[5] ?? [];
    const before = await stored(code);
    const version = await indexVersion();

    // Act
    const response = await importFile(file);

    // Assert
    expect(response.body).toEqual({ rows: 2_000, accepted: 0, changed: 0, unchanged: 2_000, refused: [] });
    expect(await stored(code)).toEqual(before);
    expect(await indexVersion()).toBe(version);
  }, 120_000);

  it('changes only the rows that differ, keeping when each association was first registered', async () => {
    // Arrange
    const [name = '', code = '', level = '', authority = ''] = rows[20] ?? [];
    const before = await stored(code);
    const changed = [name, code, level, authority, '', '', '999', '撤销'];

    // Act
    const response = await importFile(registerCsv([changed, ...rows.slice(21, 30)]));

    // Assert
    expect(response.body).toMatchObject({ accepted: 0, changed: 1, unchanged: 9, refused: [] });
    expect(await stored(code)).toMatchObject({
      memberCount: 999,
      status: 'REVOKED',
      registeredAt: before?.registeredAt,
    });
  });
});

describe('POST /api/admin/associations/import refusing rows', () => {
  it('refuses bad codes, duplicates, unknown parents and bad values by row, and takes the others', async () => {
    // Arrange
    const good = (n: number) => [
      `测试第${n}号协会`,
      associationCode('44', 900_000 + n),
      '市级',
      '广州市民政局',
    ];
    const file = registerCsv(
      [
        good(1),
        [...good(2).slice(0, 1), '51440000MJ0000000X', '市级', '广州市民政局'],
        good(1),
        [...good(3), '', associationCode('44', 999_999)],
        [...good(4).slice(0, 2), '乡级', '广州市民政局'],
        ['', associationCode('44', 900_005), '市级', '广州市民政局'],
        [...good(6), '', '', '很多'],
        [...good(7), '', '', '', '休眠'],
        [...good(8).slice(0, 3), ''],
      ],
      registerHeader,
    );

    // Act
    const response = await importFile(file);

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(1);
    expect(
      response.body.refused.map(({ row, reason }: { row: number; reason: string }) => [row, reason]),
    ).toEqual([
      [3, 'bad_credit_code'],
      [4, 'duplicate'],
      [5, 'unknown_parent'],
      [6, 'bad_level'],
      [7, 'missing_name'],
      [8, 'bad_member_count'],
      [9, 'bad_status'],
      [10, 'missing_authority'],
    ]);
    expect(response.body.refused[1]).toMatchObject({ firstRow: 2 });
  });
});

describe('POST /api/admin/associations/import reading files', () => {
  it('reads an XLSX workbook written by a spreadsheet program, below a title row', async () => {
    // Arrange
    const rows = registerRows(30, 100_000);
    const workbook = await xlsxOf([registerHeader, ...rows]);

    // Act
    const response = await importFile(workbook, XLSX_MEDIA_TYPE);

    // Assert
    expect(response.body).toMatchObject({ rows: 30, accepted: 30, refused: [] });
    expect(await stored(rows[3]?.[1] ?? '')).toMatchObject({
      name: rows[3]?.[0],
      memberCount: Number(rows[3]?.[6]),
    });
  });

  it('reads a CSV saved as GB18030 by Excel on a Chinese Windows', async () => {
    // Arrange
    const rows = registerRows(3, 200_000);
    const text = registerCsv(rows).replace(/^\uFEFF/, '');
    const gb18030 = await import('iconv-lite').then((iconv) => iconv.default.encode(text, 'gb18030'));

    // Act
    const response = await importFile(new Uint8Array(gb18030));

    // Assert
    expect(response.body).toMatchObject({ accepted: 3, refused: [] });
    expect(await stored(rows[0]?.[1] ?? '')).toMatchObject({ name: rows[0]?.[0] });
  });

  it.each([
    {
      what: 'a file without the required columns',
      body: '名称,地址\r\n某协会,北京\r\n',
      type: 'text/csv',
      status: 400,
    },
    { what: 'an empty file', body: '', type: 'text/csv', status: 400 },
    { what: 'a workbook that is not one', body: 'PK not a zip', type: XLSX_MEDIA_TYPE, status: 400 },
    { what: 'a PDF', body: '%PDF-1.7', type: 'application/pdf', status: 415 },
    { what: 'JSON', body: '{"rows":[]}', type: 'application/json', status: 415 },
  ])('refuses $what with $status and changes nothing', async ({ body, type: contentType, status }) => {
    // Arrange
    const version = await indexVersion();

    // Act
    const response = await importFile(body, contentType);

    // Assert
    expect(response.status).toBe(status);
    expect(await indexVersion()).toBe(version);
  });

  it('refuses a file over 4 MiB with 413 and changes nothing', async () => {
    // Arrange
    const version = await indexVersion();
    const huge = registerCsv(registerRows(1_000)).padEnd(4 * 1024 * 1024 + 1, ' ');

    // Act
    const response = await importFile(huge);

    // Assert
    expect(response.status).toBe(413);
    expect(await indexVersion()).toBe(version);
  });
});

describe('GET /api/associations', () => {
  it('suggests associations by part of the name, ignoring spaces and width', async () => {
    // Arrange
    const [name = '', code = ''] = rows[339] ?? [];
    const typed = ` ${name.slice(3, 12)} `.replace('第', '第 ');

    // Act
    const response = await harness.request('GET', `/api/associations?${new URLSearchParams({ q: typed })}`);

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.suggestions[0]).toEqual({
      creditCode: code,
      name,
      province: code.slice(2, 4),
      level: 'PROVINCIAL',
      status: 'ACTIVE',
    });
    expect(response.body.suggestions.length).toBeLessThanOrEqual(10);
  });

  it('suggests associations by the start of the credit code', async () => {
    // Arrange
    const [, code = ''] = rows[776] ?? [];

    // Act
    const response = await harness.request('GET', `/api/associations?q=${code.slice(0, 17)}`);

    // Assert
    expect(response.body.suggestions.map((s: { creditCode: string }) => s.creditCode)).toContain(code);
  });
});

describe('a complaint that names a registered association without its code', () => {
  let scenario: Scenario;
  const name = '北京市 示范 婚庆 行业协会';

  beforeAll(async () => {
    scenario = await newScenario(harness);
    const file = registerCsv([['北京市示范婚庆行业协会', scenario.associationCode, '市级', '北京市民政局']]);
    const imported = await importFile(file);
    if (imported.body.accepted !== 1) throw new Error(imported.text);
  });

  it('joins the case of complaints that gave the code, and the association receives the order', async () => {
    // Arrange
    const coded = complaintBody({ associationCode: scenario.associationCode });
    const { creditCode: _code, ...named } = { ...coded.association, name };
    const other = await newScenario(harness);

    // Act
    const first = await harness.request('POST', '/api/complaints', {
      token: scenario.enterprise,
      body: coded,
    });
    const second = await harness.request('POST', '/api/complaints', {
      token: other.enterprise,
      body: { ...coded, association: { ...named, province: '11' } },
    });
    const review = await openTaskOf(harness, scenario.regulator, first.body.caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    const order = await openTaskOf(harness, scenario.association, first.body.caseId, 'RECTIFICATION');

    // Assert
    expect(second.body).toMatchObject({ caseId: first.body.caseId, joinedExistingCase: true });
    expect(order.kind).toBe('RECTIFICATION');
  }, 60_000);
});

describe('POST /api/admin/users for an association', () => {
  it('invites an association the register lists', async () => {
    // Arrange
    const code = rows[9]?.[1] ?? '';

    // Act
    const response = await harness.request('POST', '/api/admin/users', {
      token: admin,
      body: {
        role: 'association',
        email: 'office@registered.example.com',
        name: '登记协会',
        creditCode: code,
      },
    });

    // Assert
    expect(response.status, response.text).toBe(201);
  });

  it('refuses one the register does not list (400 not_registered)', async () => {
    // Arrange
    const code = associationCode('11', 4_444_444);

    // Act
    const response = await harness.request('POST', '/api/admin/users', {
      token: admin,
      body: {
        role: 'association',
        email: 'office@unlisted.example.com',
        name: '未登记协会',
        creditCode: code,
      },
    });

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      expect.objectContaining({ path: 'creditCode', code: 'not_registered' }),
    ]);
  });
});
