/**
 * Changing an account: deactivating, reactivating, resetting its password, and (campaign admins only)
 * linking an enterprise account to another account of the same enterprise. Each change is audited;
 * asking for the state an account is already in changes nothing and records nothing.
 */
import { EnterpriseLink, UserPath } from '#shared/accounts/messages';
import type { AccountEventType, UserManagementDeps } from '#shared/accounts/ports';
import { recordAccountEvent } from '#shared/accounts/record-account-event';
import { refuseUnmanaged, type UserManager, userManagerOf } from '#shared/accounts/user-access';
import type { UserAccount } from '#shared/domain/account';
import { ConflictError, ForbiddenRoleError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';

const accountOf = async (deps: UserManagementDeps, userId: string): Promise<UserAccount> => {
  const account = await deps.directory.get(userId);
  if (!account) throw new NotFoundError('No such account');
  return account;
};

/** The account the path names, once the caller is known to manage it. */
const managedAccount = async (
  deps: UserManagementDeps,
  principal: Principal,
  pathParameters: unknown,
): Promise<{ manager: UserManager; account: UserAccount }> => {
  const manager = userManagerOf(principal);
  const { id } = parseWith(UserPath, pathParameters, 'path');
  const account = await accountOf(deps, id);
  refuseUnmanaged(manager, account);
  return { manager, account };
};

const audited = async (
  deps: UserManagementDeps,
  manager: UserManager,
  type: AccountEventType,
  changed: UserAccount,
): Promise<UserAccount> => {
  await recordAccountEvent(deps, manager, type, changed);
  return changed;
};

export const disableUser = async (
  deps: UserManagementDeps,
  principal: Principal,
  pathParameters: unknown,
): Promise<UserAccount> => {
  const { manager, account } = await managedAccount(deps, principal, pathParameters);
  // A manager who locks itself out needs another to let it back in.
  if (account.userId === manager.subject)
    throw new ConflictError('You cannot deactivate your own account', { reason: 'own_account' });
  if (!account.enabled) return account;
  return audited(deps, manager, 'ACCOUNT_DISABLED', await deps.directory.setEnabled(account.userId, false));
};

export const enableUser = async (
  deps: UserManagementDeps,
  principal: Principal,
  pathParameters: unknown,
): Promise<UserAccount> => {
  const { manager, account } = await managedAccount(deps, principal, pathParameters);
  if (account.enabled) return account;
  return audited(deps, manager, 'ACCOUNT_ENABLED', await deps.directory.setEnabled(account.userId, true));
};

export const resetUserPassword = async (
  deps: UserManagementDeps,
  principal: Principal,
  pathParameters: unknown,
): Promise<UserAccount> => {
  const { manager, account } = await managedAccount(deps, principal, pathParameters);
  return audited(deps, manager, 'ACCOUNT_PASSWORD_RESET', await deps.directory.resetPassword(account.userId));
};

/**
 * The account files and sees complaints as the other account's enterprise from its next sign-in: the
 * other's own link when it has one, else the other account itself. Only enterprise accounts with the
 * same credit code are linked; a credit code alone never shares complaints.
 */
export const linkEnterprise = async (
  deps: UserManagementDeps,
  principal: Principal,
  pathParameters: unknown,
  body: unknown,
): Promise<UserAccount> => {
  if (principal.role !== 'campaign-admin')
    throw new ForbiddenRoleError('Only campaign admins link enterprise accounts');
  const { id } = parseWith(UserPath, pathParameters, 'path');
  const { enterpriseOf } = parseWith(EnterpriseLink, body, 'body');
  const [account, other] = await Promise.all([accountOf(deps, id), accountOf(deps, enterpriseOf)]);
  if (
    account.role !== 'enterprise' ||
    other.role !== 'enterprise' ||
    account.creditCode === undefined ||
    account.creditCode !== other.creditCode
  )
    throw new ConflictError('Only enterprise accounts with the same credit code are linked', {
      reason: 'not_same_enterprise',
    });
  const enterpriseId = other.enterpriseId ?? other.userId;
  return audited(
    deps,
    principal,
    'ACCOUNT_LINKED',
    await deps.directory.setEnterprise(account.userId, enterpriseId),
  );
};
