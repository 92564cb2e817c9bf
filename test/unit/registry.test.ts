/**
 * Reading the association register: CSV records and encodings, XLSX sheets, the header row, each row's
 * refusal reason; suggestions' matching; and intake's resolution of a name to a credit code.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { associationCode, enterpriseCode, registeredAssociation } from '#infra/local/campaign-fixtures';
import type { AssociationIdentity } from '#shared/domain/fee-identity';
import type { RegisterIndexEntry } from '#shared/ports/associations';
import { decodeCsvText, parseCsv, readRegisterFile } from '#shared/registry/register-file';
import { XLSX_MEDIA_TYPE } from '#shared/registry/register-media';
import { locateHeader, readRegisterRow } from '#shared/registry/register-rows';
import { registeredIdentity } from '#shared/registry/registered-identity';
import { matchRegister, searchable } from '#shared/registry/suggest-associations';
import { InMemoryAssociationRegistry } from '#test/support/fakes/registry';

const header = [
  '社会组织名称',
  '统一社会信用代码',
  '登记级别',
  '登记管理机关',
  '上级组织统一社会信用代码',
  '会员数量',
  '登记状态',
];
const code = associationCode('44', 1);

const readRow = (cells: string[]) => {
  const { columns, data } = locateHeader([
    { row: 1, cells: header },
    { row: 2, cells },
  ]);
  const [row] = data;
  if (!row) throw new Error('no data row');
  return readRegisterRow(columns, row);
};

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, numbering records', () => {
    // Arrange
    const text = 'a,b\r\n"x, y","say ""hi""\nagain"\nlast,row';

    // Act
    const rows = parseCsv(text);

    // Assert
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x, y', 'say "hi"\nagain'] },
      { row: 3, cells: ['last', 'row'] },
    ]);
  });
});

describe('decodeCsvText', () => {
  it('reads GB18030 bytes that are not UTF-8 as GB18030', () => {
    // Arrange
    const bytes = iconv.encode('广东省餐饮行业协会', 'gb18030');

    // Act
    const text = decodeCsvText(bytes);

    // Assert
    expect(text).toBe('广东省餐饮行业协会');
  });
});

describe('readRegisterFile', () => {
  it('reads the first sheet of a workbook written by exceljs, cells by column', async () => {
    // Arrange
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名录');
    sheet.addRow(header);
    sheet.addRow(['广东省 & 电子商务协会', code, '省级', '广东省民政厅', null, 980, '正常']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    // Act
    const rows = readRegisterFile(bytes, XLSX_MEDIA_TYPE);

    // Assert
    expect(rows[1]).toEqual({
      row: 2,
      cells: ['广东省 & 电子商务协会', code, '省级', '广东省民政厅', '', '980', '正常'],
    });
  });
});

describe('locateHeader', () => {
  it('skips title rows above the header and blank rows below it', () => {
    // Arrange
    const rows = [
      { row: 1, cells: ['广东省社会组织名录'] },
      { row: 2, cells: header },
      { row: 3, cells: ['', ''] },
      { row: 4, cells: ['某协会', code] },
    ];

    // Act
    const { data } = locateHeader(rows);

    // Assert
    expect(data.map((row) => row.row)).toEqual([4]);
  });

  it('refuses a file whose rows never name the required columns', () => {
    // Arrange
    const rows = [{ row: 1, cells: ['名称', '地址'] }];

    // Act
    const locating = () => locateHeader(rows);

    // Assert
    expect(locating).toThrow(/登记级别/);
  });
});

describe('readRegisterRow', () => {
  it('reads a branch with full-width code characters, a member count written 1,200 and a status', () => {
    // Act
    const read = readRow([
      '  某某 分会 ',
      code.replace('5', '５'),
      '省级',
      '广东省民政厅',
      associationCode('44', 2),
      '1,200',
      '注销',
    ]);

    // Assert
    expect(read).toEqual({
      row: 2,
      creditCode: code,
      name: '某某 分会',
      level: 'PROVINCIAL',
      registeringAuthority: '广东省民政厅',
      parentCreditCode: associationCode('44', 2),
      memberCount: 1200,
      status: 'DEREGISTERED',
    });
  });

  it.each([
    { what: 'no name', cells: ['', code, '省级', '厅'], reason: 'missing_name' },
    {
      what: 'a wrong check character',
      cells: ['协会', `${code.slice(0, 17)}0`, '省级', '厅'],
      reason: 'bad_credit_code',
    },
    {
      what: "an enterprise's code",
      cells: ['协会', enterpriseCode('44', 1), '省级', '厅'],
      reason: 'not_social_organization',
    },
    { what: 'a bad parent code', cells: ['协会', code, '省级', '厅', 'X'], reason: 'bad_parent_code' },
    { what: 'an unknown level', cells: ['协会', code, '乡级', '厅'], reason: 'bad_level' },
    { what: 'no authority', cells: ['协会', code, '省级', ''], reason: 'missing_authority' },
    {
      what: 'a member count in words',
      cells: ['协会', code, '省级', '厅', '', '很多'],
      reason: 'bad_member_count',
    },
    { what: 'an unknown status', cells: ['协会', code, '省级', '厅', '', '', '休眠'], reason: 'bad_status' },
  ])('refuses a row with $what as $reason', ({ cells, reason }) => {
    // Act
    const read = readRow(cells);

    // Assert
    expect(read).toMatchObject({ row: 2, reason });
  });
});

describe('matchRegister', () => {
  const entry = (creditCode: string, name: string, status: RegisterIndexEntry['status'] = 'ACTIVE') => ({
    creditCode,
    name,
    province: creditCode.slice(2, 4),
    level: 'CITY' as const,
    status,
    fingerprint: '',
    registeredAt: '',
  });
  const register = searchable([
    entry(associationCode('11', 1), '北京市餐饮行业协会朝阳分会'),
    entry(associationCode('11', 2), '北京市餐饮行业协会'),
    entry(associationCode('11', 3), '北京市餐饮协会', 'DEREGISTERED'),
    entry(associationCode('44', 4), '广东省建筑业协会'),
  ]);

  it('ranks the exact name first, then names starting with the text, ignoring spaces and width', () => {
    // Act
    const names = matchRegister(register, '北京市 餐饮行业协会', 10).map((match) => match.name);

    // Assert
    expect(names).toEqual(['北京市餐饮行业协会', '北京市餐饮行业协会朝阳分会']);
  });

  it('puts associations in good standing before deregistered ones', () => {
    // Act
    const names = matchRegister(register, '餐饮', 10).map((match) => match.name);

    // Assert
    expect(names).toEqual(['北京市餐饮行业协会', '北京市餐饮行业协会朝阳分会', '北京市餐饮协会']);
  });

  it('matches the start of a credit code', () => {
    // Act
    const codes = matchRegister(register, associationCode('44', 4).slice(0, 12), 10).map(
      (match) => match.creditCode,
    );

    // Assert
    expect(codes).toEqual([associationCode('44', 4)]);
  });
});

describe('registeredIdentity', () => {
  const registry = new InMemoryAssociationRegistry([
    registeredAssociation(associationCode('11', 1), { name: '北京市示范行业协会' }),
    registeredAssociation(associationCode('11', 2), { name: '示范联合会' }),
    registeredAssociation(associationCode('44', 3), { name: '示范联合会' }),
    registeredAssociation(associationCode('10', 4), { name: '中国示范协会', level: 'NATIONAL' }),
  ]);

  it('gives a registered name its code and the code’s province', async () => {
    // Act
    const identity = await registeredIdentity(registry, { name: '北京市 示范行业协会。', province: '11' });

    // Assert
    expect(identity).toEqual({
      name: '北京市 示范行业协会。',
      province: '11',
      creditCode: associationCode('11', 1),
    });
  });

  it('picks the one association of the name in the named province', async () => {
    // Act
    const named: AssociationIdentity = { name: '示范联合会', province: '44' };
    const identity = await registeredIdentity(registry, named);

    // Assert
    expect(identity.creditCode).toBe(associationCode('44', 3));
  });

  it('takes the national association when the province has none of that name', async () => {
    // Act
    const identity = await registeredIdentity(registry, { name: '中国示范协会', province: '31' });

    // Assert
    expect(identity).toMatchObject({ creditCode: associationCode('10', 4), province: '00' });
  });

  it('leaves an unregistered name as it was', async () => {
    // Arrange
    const named = { name: '未登记协会', province: '11' };

    // Act
    const identity = await registeredIdentity(registry, named);

    // Assert
    expect(identity).toEqual(named);
  });
});
