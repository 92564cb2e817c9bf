/**
 * Stored records and callers for unit tests of the use cases: a case as intake opens it, its
 * complaints and tasks, and one principal of each role with or without a claim on it.
 */
import { associationCode, enterpriseCode } from '#infra/local/campaign-fixtures';
import { genesisHash } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import type { TaskKind } from '#shared/domain/fee-task';
import type { Agency, Principal } from '#shared/domain/principal';
import type { StoredTask } from '#shared/ports/cases';
import type { ComplaintRecord } from '#shared/ports/complaints';
import { classifyFee } from '#shared/rulebook/evaluate';

export const openedAt = '2026-06-01T08:00:00.000Z';

/** The parties of one case: a Beijing association under MCA and the enterprise that complains. */
export const parties = {
  enterpriseCode: enterpriseCode('11', 1),
  otherEnterpriseCode: enterpriseCode('11', 2),
  associationCode: associationCode('11', 1),
  otherAssociationCode: associationCode('11', 2),
};

export const principals = {
  enterprise: {
    role: 'enterprise',
    subject: 'enterprise-1',
    creditCode: parties.enterpriseCode,
    enterpriseId: 'enterprise-1',
  },
  otherEnterprise: {
    role: 'enterprise',
    subject: 'enterprise-2',
    creditCode: parties.otherEnterpriseCode,
    enterpriseId: 'enterprise-2',
  },
  association: { role: 'association', subject: 'association-1', creditCode: parties.associationCode },
  otherAssociation: {
    role: 'association',
    subject: 'association-2',
    creditCode: parties.otherAssociationCode,
  },
  regulator: { role: 'regulator', subject: 'regulator-1', agency: 'MCA', province: '11' },
  colleague: { role: 'regulator', subject: 'regulator-2', agency: 'MCA', province: '11' },
  otherProvinceRegulator: { role: 'regulator', subject: 'regulator-3', agency: 'MCA', province: '31' },
  otherAgencyRegulator: { role: 'regulator', subject: 'regulator-4', agency: 'SAMR', province: '11' },
  nationalRegulator: { role: 'regulator', subject: 'regulator-5', agency: 'MCA', province: '00' },
  admin: { role: 'campaign-admin', subject: 'admin-1' },
  anonymous: { role: 'anonymous' },
} satisfies Record<string, Principal>;

export const regulatorOf = (agency: Agency, province: string, subject = 'regulator-x'): Principal => ({
  role: 'regulator',
  subject,
  agency,
  province,
});

const fee = {
  name: 'Annual membership dues',
  category: 'MEMBERSHIP_DUES',
  amountFen: 500_000,
  chargedOn: '2026-03-01',
  period: 'ANNUAL',
} as const;
const facts = { forcedMembership: true };

/** A case as intake opens it: one complaint's claim, nothing decided, an empty audit trail. */
export const aFeeCase = (overrides: Partial<FeeCase> = {}): FeeCase => ({
  caseId: 'case-1',
  feeKey: 'fee-key-1',
  association: { name: 'Widget Industry Association', creditCode: parties.associationCode, province: '11' },
  fee: { ...fee },
  province: '11',
  stage: 'RECEIVED',
  flags: [],
  complaintCount: 1,
  enterpriseCount: 1,
  claimedFen: fee.amountFen,
  refundedFen: 0,
  reducedAnnualFen: 0,
  openedAt,
  updatedAt: openedAt,
  version: 1,
  eventSeq: 0,
  lastEventHash: genesisHash,
  ...overrides,
});

/** What the rulebook suggests for the case's fee and facts: forced membership, unlawful, for MCA. */
export const suggested = classifyFee({ fee, facts });

/** The case after the rulebook classified it. */
export const aClassifiedCase = (overrides: Partial<FeeCase> = {}): FeeCase =>
  aFeeCase({ stage: 'CLASSIFIED', agency: suggested.agency, classification: { suggested }, ...overrides });

export const aComplaint = (overrides: Partial<ComplaintRecord> = {}): ComplaintRecord => ({
  complaintId: 'complaint-1',
  caseId: 'case-1',
  enterpriseCreditCode: parties.enterpriseCode,
  enterpriseId: principals.enterprise.enterpriseId,
  association: { name: 'Widget Industry Association', creditCode: parties.associationCode, province: '11' },
  fee: { ...fee },
  facts: { ...facts },
  description: 'We had to join to keep our operating licence.',
  sealedContact: 'sealed',
  discloseIdentityToAssociation: false,
  filedAt: openedAt,
  ...overrides,
});

/** An open task of the case, due a week after it opened, held by nobody. */
export const aTask = (kind: TaskKind, overrides: Partial<StoredTask> = {}): StoredTask => ({
  taskId: `case-1.${kind.toLowerCase()}.1`,
  caseId: 'case-1',
  kind,
  status: 'OPEN',
  agency: 'MCA',
  province: '11',
  dueAt: '2026-06-08T08:00:00.000Z',
  createdAt: openedAt,
  escalated: false,
  overdue: false,
  ...(kind === 'RECTIFICATION' ? { associationCreditCode: parties.associationCode } : {}),
  ...(kind === 'INFO'
    ? { enterpriseCreditCode: parties.enterpriseCode, enterpriseId: principals.enterprise.enterpriseId }
    : {}),
  taskToken: `token-${kind.toLowerCase()}-1`,
  version: 1,
  ...overrides,
});
