/**
 * Who may see what. Regulators work their agency in their province; a national (province 00)
 * regulator may read every case of its agency. Before a case is classified it has no agency yet,
 * and regulators of its province (or national ones) may read it.
 */

import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';

export const regulatorHasJurisdiction = (
  principal: Extract<Principal, { role: 'regulator' }>,
  feeCase: Pick<FeeCase, 'agency' | 'province'>,
): boolean => {
  if (feeCase.agency && feeCase.agency !== principal.agency) return false;
  return principal.province === NATIONAL_PROVINCE || principal.province === feeCase.province;
};

/**
 * The complainant's account, regulators with jurisdiction and campaign admins; everyone else, another
 * account of the same credit code too, is told 404.
 */
export const canReadComplaint = (
  principal: Principal,
  complaint: { enterpriseId: string },
  feeCase: Pick<FeeCase, 'agency' | 'province'>,
): boolean => {
  switch (principal.role) {
    case 'enterprise':
      return principal.enterpriseId === complaint.enterpriseId;
    case 'regulator':
      return regulatorHasJurisdiction(principal, feeCase);
    case 'campaign-admin':
      return true;
    default:
      return false;
  }
};
