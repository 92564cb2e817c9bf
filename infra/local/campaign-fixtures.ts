/**
 * Made-up campaign data, one definition for the tests, the benchmarks and the local seed and load
 * scripts: valid credit codes, complaint bodies the API accepts, and the development-token claims of
 * each party. Nothing here runs in a Lambda.
 */
import type { RegisteredAssociation } from '#shared/domain/association';
import { makeCreditCode, provinceOfCreditCode } from '#shared/domain/credit-code';
import { csvHeaderForPeople, csvLine } from '#shared/domain/csv';

/** Seven digits of `n`, the serial part of a made-up credit code (and a name's, to match it). */
export const serialOf = (n: number) => String(n % 10_000_000).padStart(7, '0');

/** A valid credit code of an enterprise (91...) of `province`, numbered `n`. */
export const enterpriseCode = (province: string, n: number) =>
  makeCreditCode(`91${province}0000MA${serialOf(n)}`);

/** A valid credit code of an association (51..., a social organization) of `province`, numbered `n`. */
export const associationCode = (province: string, n: number) =>
  makeCreditCode(`51${province}0000MJ${serialOf(n)}`);

export interface ComplaintBodyOptions {
  associationCode: string;
  associationName?: string;
  feeName?: string;
  category?: string;
  amountFen?: number;
  chargedOn?: string;
  period?: 'ANNUAL' | 'ONE_OFF';
  facts?: Record<string, unknown>;
  description?: string;
  contact?: Record<string, string>;
  discloseIdentityToAssociation?: boolean;
}

/** A complaint body the API accepts: forced membership dues unless the caller says otherwise. */
export const complaintBody = (options: ComplaintBodyOptions) => ({
  association: {
    name: options.associationName ?? 'Widget Industry Association',
    creditCode: options.associationCode,
  },
  fee: {
    name: options.feeName ?? 'Annual membership dues',
    category: options.category ?? 'MEMBERSHIP_DUES',
    amountFen: options.amountFen ?? 500_000,
    chargedOn: options.chargedOn ?? '2026-03-01',
    period: options.period ?? 'ANNUAL',
  },
  facts: options.facts ?? { forcedMembership: true },
  description: options.description ?? 'We had to join to keep our operating licence.',
  contact: options.contact ?? { name: 'Zhang San', phone: '13800000000', email: 'zhang@example.com' },
  ...(options.discloseIdentityToAssociation !== undefined
    ? { discloseIdentityToAssociation: options.discloseIdentityToAssociation }
    : {}),
});

/** What `POST /local/token` takes to sign each party in. */
export const claimsOf = {
  enterprise: (creditCode: string) => ({ role: 'enterprise', creditCode }),
  association: (creditCode: string) => ({ role: 'association', creditCode }),
  regulator: (agency: string, province: string) => ({ role: 'regulator', agency, province }),
  admin: () => ({ role: 'campaign-admin' }),
};

/** An association as the register lists it: a provincial association in good standing unless told otherwise. */
export const registeredAssociation = (
  creditCode: string,
  overrides: Partial<RegisteredAssociation> = {},
): RegisteredAssociation => ({
  creditCode,
  name: `示例行业协会${creditCode.slice(10, 17)}`,
  level: 'PROVINCIAL',
  registeringAuthority: '省民政厅',
  memberCount: 120,
  status: 'ACTIVE',
  province: provinceOfCreditCode(creditCode),
  registeredAt: '2026-01-05T00:00:00.000Z',
  updatedAt: '2026-01-05T00:00:00.000Z',
  ...overrides,
});

/** The header of a register file as the civil-affairs registers print it. */
export const registerHeader = [
  '社会组织名称',
  '统一社会信用代码',
  '登记级别',
  '登记管理机关',
  '业务主管单位',
  '上级组织统一社会信用代码',
  '会员数量',
  '登记状态',
] as const;

const registerIndustries = [
  '餐饮',
  '建筑业',
  '物流',
  '电子商务',
  '汽车流通',
  '家具',
  '印刷',
  '软件',
  '旅游',
  '纺织',
];
const registerProvinces = [
  { code: '11', place: '北京市', authority: '北京市民政局' },
  { code: '31', place: '上海市', authority: '上海市民政局' },
  { code: '44', place: '广东省', authority: '广东省民政厅' },
  { code: '51', place: '四川省', authority: '四川省民政厅' },
] as const;

/**
 * `count` rows of a made-up provincial register after `registerHeader`, numbered from `first`: every
 * tenth association has branches (分会) in the nine rows after it; a few have a business supervisor.
 */
export const registerRows = (count: number, first = 1): string[][] =>
  Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const province = registerProvinces[n % registerProvinces.length] ?? registerProvinces[0];
    const industry = registerIndustries[n % registerIndustries.length];
    const parent = n - (n % 10);
    const isBranch = n % 10 !== 0 && parent >= first;
    const parentProvince = registerProvinces[parent % registerProvinces.length] ?? registerProvinces[0];
    return [
      isBranch
        ? `${parentProvince.place}第${parent}号${industry}行业协会第${n % 10}分会`
        : `${province.place}第${n}号${industry}行业协会`,
      isBranch
        ? associationCode(parentProvince.code, 500_000 + n)
        : associationCode(province.code, 500_000 + n),
      '省级',
      isBranch ? parentProvince.authority : province.authority,
      n % 7 === 0 ? `${province.place}商务厅` : '',
      isBranch ? associationCode(parentProvince.code, 500_000 + parent) : '',
      String(50 + (n % 400)),
      n % 97 === 0 ? '注销' : '正常',
    ];
  });

/** A register file as CSV (UTF-8 with BOM, as Excel writes it). */
export const registerCsv = (
  rows: readonly (readonly string[])[],
  header: readonly string[] = registerHeader,
) => csvHeaderForPeople(header) + rows.map((row) => csvLine(row)).join('');
