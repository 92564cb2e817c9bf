/**
 * Who manages whom: campaign admins every account; a national regulator (province 00) the regulators
 * of its own agency; nobody else any account (provincial regulators included).
 */
import type { UserAccount } from '#shared/domain/account';
import { ForbiddenRoleError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';

export type UserManager = Extract<Principal, { role: 'campaign-admin' | 'regulator' }>;

export const nationalProvince = '00';

export const userManagerOf = (principal: Principal): UserManager => {
  if (principal.role === 'campaign-admin') return principal;
  if (principal.role === 'regulator' && principal.province === nationalProvince) return principal;
  throw new ForbiddenRoleError("Only campaign admins and the agencies' national regulators manage users");
};

/** An account the manager may act on: any for an admin, a regulator of its agency for a national regulator. */
export const mayManage = (
  manager: UserManager,
  account: Pick<UserAccount, 'role'> & { agency?: string | undefined },
): boolean =>
  manager.role === 'campaign-admin' || (account.role === 'regulator' && account.agency === manager.agency);

export const refuseUnmanaged = (
  manager: UserManager,
  account: Pick<UserAccount, 'role' | 'agency'>,
): void => {
  if (!mayManage(manager, account))
    throw new ForbiddenRoleError('A national regulator manages the regulators of its own agency only');
};
