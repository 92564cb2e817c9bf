/**
 * The register's columns and rows: which header names which field, in Chinese as the civil-affairs
 * registers print them or in English, and what makes a row an association of the register or a
 * refusal with a reason (docs/associations.md, "Registry").
 */
import type { AssociationLevel, AssociationStatus, RegisteredAssociation } from '#shared/domain/association';
import { isSocialOrganization, isValidCreditCode } from '#shared/domain/credit-code';
import { fileIssue } from '#shared/registry/register-file';
import type { SheetRow } from '#shared/registry/xlsx-sheet';

export type RegisterField =
  | 'name'
  | 'creditCode'
  | 'level'
  | 'registeringAuthority'
  | 'businessSupervisor'
  | 'parentCreditCode'
  | 'memberCount'
  | 'status';

/** Header texts per field, compared after `headerKey` (case, width, spaces and brackets ignored). */
export const registerColumns: Record<RegisterField, readonly string[]> = {
  name: ['社会组织名称', '组织名称', '名称', '单位名称', 'name'],
  creditCode: ['统一社会信用代码', '信用代码', 'creditcode', 'unifiedsocialcreditcode'],
  level: ['登记级别', '级别', '登记管理机关级别', 'level'],
  registeringAuthority: ['登记管理机关', '登记机关', 'registeringauthority'],
  businessSupervisor: ['业务主管单位', 'businesssupervisor'],
  parentCreditCode: [
    '上级组织统一社会信用代码',
    '所属社会组织统一社会信用代码',
    '上级社会组织统一社会信用代码',
    '上级组织信用代码',
    'parentcreditcode',
  ],
  memberCount: ['会员数量', '会员数', '会员总数', 'membercount'],
  status: ['登记状态', '状态', 'status'],
};

const requiredFields = ['name', 'creditCode', 'level', 'registeringAuthority'] as const;

/** The register lists at most this many rows above its header (a title, a date line). */
const headerSearchRows = 10;

const headerKey = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）[\]【】*:：]/g, '');

const fieldByHeader = new Map(
  (Object.entries(registerColumns) as [RegisterField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((name) => [headerKey(name), field] as const),
  ),
);

/** Where each field's column is. */
export type ColumnMap = Partial<Record<RegisterField, number>>;

const columnsOf = (cells: readonly string[]): ColumnMap => {
  const columns: ColumnMap = {};
  cells.forEach((cell, index) => {
    const field = fieldByHeader.get(headerKey(cell));
    if (field && columns[field] === undefined) columns[field] = index;
  });
  return columns;
};

/**
 * The header row (the first of the first ten rows that names every required column) and the rows
 * below it that hold anything.
 * @throws ValidationError `missing_columns` when no row names them all.
 */
export const locateHeader = (rows: readonly SheetRow[]): { columns: ColumnMap; data: SheetRow[] } => {
  let best: ColumnMap = {};
  for (const [index, row] of rows.slice(0, headerSearchRows).entries()) {
    const columns = columnsOf(row.cells);
    if (requiredFields.every((field) => columns[field] !== undefined))
      return {
        columns,
        data: rows.slice(index + 1).filter((data) => data.cells.some((cell) => cell.trim() !== '')),
      };
    if (Object.keys(columns).length > Object.keys(best).length) best = columns;
  }
  const missing = requiredFields.filter((field) => best[field] === undefined);
  const names = missing.map((field) => registerColumns[field][0]).join(', ');
  throw fileIssue('missing_columns', `No header row names the columns ${names}`, {
    params: { columns: names },
  });
};

export const refusalReasons = [
  'missing_name',
  'bad_credit_code',
  'not_social_organization',
  'bad_parent_code',
  'bad_level',
  'missing_authority',
  'bad_member_count',
  'bad_status',
  'duplicate',
  'unknown_parent',
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/** A row the import did not take, by its spreadsheet row number, with the first reason found. */
export interface RowRefusal {
  row: number;
  reason: RefusalReason;
  creditCode?: string;
  /** For `duplicate`: the row that listed the code first. */
  firstRow?: number;
}

/** A row's association as the file gives it (the import adds province and dates). */
export type RegisterEntryDraft = Omit<RegisteredAssociation, 'province' | 'registeredAt' | 'updatedAt'> & {
  row: number;
};

const levels: Record<string, AssociationLevel> = {
  全国: 'NATIONAL',
  全国性: 'NATIONAL',
  国家级: 'NATIONAL',
  部级: 'NATIONAL',
  national: 'NATIONAL',
  省级: 'PROVINCIAL',
  省: 'PROVINCIAL',
  provincial: 'PROVINCIAL',
  市级: 'CITY',
  地市级: 'CITY',
  市: 'CITY',
  city: 'CITY',
  县级: 'COUNTY',
  区县级: 'COUNTY',
  县: 'COUNTY',
  county: 'COUNTY',
};

const statuses: Record<string, AssociationStatus> = {
  正常: 'ACTIVE',
  存续: 'ACTIVE',
  登记: 'ACTIVE',
  active: 'ACTIVE',
  撤销: 'REVOKED',
  撤销登记: 'REVOKED',
  已撤销: 'REVOKED',
  revoked: 'REVOKED',
  注销: 'DEREGISTERED',
  注销登记: 'DEREGISTERED',
  已注销: 'DEREGISTERED',
  deregistered: 'DEREGISTERED',
};

/** Trimmed, runs of white space (line breaks and tabs included) as one space. */
const cleanText = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Full-width letters and digits to ASCII, upper case, no spaces: codes are often typed or copied so. */
const cleanCode = (text: string | undefined) =>
  (text ?? '').normalize('NFKC').replace(/\s+/g, '').toUpperCase();

const countOf = (text: string): number | undefined => {
  // Empty: the register does not publish it (stored as 0). `1,200` and `1200.0` as spreadsheets write them.
  const plain = text.replace(/[,，]/g, '');
  if (plain === '') return 0;
  if (!/^\d+(\.0+)?$/.test(plain)) return undefined;
  const count = Number.parseInt(plain, 10);
  return Number.isSafeInteger(count) ? count : undefined;
};

/** One data row as an association, or the first reason to refuse it (parents and duplicates are the import's). */
export const readRegisterRow = (
  columns: ColumnMap,
  { row, cells }: SheetRow,
): RegisterEntryDraft | RowRefusal => {
  const cell = (field: RegisterField) => {
    const index = columns[field];
    return index === undefined ? undefined : cells[index];
  };
  const creditCode = cleanCode(cell('creditCode'));
  const refuse = (reason: RefusalReason): RowRefusal => ({
    row,
    reason,
    ...(creditCode ? { creditCode } : {}),
  });
  const name = cleanText(cell('name'));
  if (name === '') return refuse('missing_name');
  if (!isValidCreditCode(creditCode)) return refuse('bad_credit_code');
  if (!isSocialOrganization(creditCode)) return refuse('not_social_organization');
  const parentCreditCode = cleanCode(cell('parentCreditCode'));
  if (parentCreditCode !== '' && !isValidCreditCode(parentCreditCode)) return refuse('bad_parent_code');
  const level = levels[headerKey(cell('level') ?? '')];
  if (!level) return refuse('bad_level');
  const registeringAuthority = cleanText(cell('registeringAuthority'));
  if (registeringAuthority === '') return refuse('missing_authority');
  const memberCount = countOf(cleanText(cell('memberCount')));
  if (memberCount === undefined) return refuse('bad_member_count');
  // A register without a status column (or an empty cell) lists an association in good standing.
  const statusText = headerKey(cell('status') ?? '');
  const status = statusText === '' ? 'ACTIVE' : statuses[statusText];
  if (!status) return refuse('bad_status');
  const businessSupervisor = cleanText(cell('businessSupervisor'));
  return {
    row,
    creditCode,
    name,
    level,
    registeringAuthority,
    ...(businessSupervisor ? { businessSupervisor } : {}),
    ...(parentCreditCode && parentCreditCode !== creditCode ? { parentCreditCode } : {}),
    memberCount,
    status,
  };
};

export const isRefusal = (read: RegisterEntryDraft | RowRefusal): read is RowRefusal => 'reason' in read;
