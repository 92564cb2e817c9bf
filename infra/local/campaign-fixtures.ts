/**
 * Made-up campaign data, one definition for the tests, the benchmarks and the local seed and load
 * scripts: valid credit codes, complaint bodies the API accepts, and the development-token claims of
 * each party. Nothing here runs in a Lambda.
 */
import type { RegisteredAssociation } from '#shared/domain/association';
import { makeCreditCode, provinceOfCreditCode } from '#shared/domain/credit-code';

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
