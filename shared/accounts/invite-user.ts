/**
 * Inviting an account: the directory creates it and e-mails a temporary password; the invitation is
 * audited. An association account is tied to an association of the register, by its credit code.
 */
import { UserInvitation } from '#shared/accounts/messages';
import type { UserManagementDeps } from '#shared/accounts/ports';
import { recordAccountEvent } from '#shared/accounts/record-account-event';
import { refuseUnmanaged, userManagerOf } from '#shared/accounts/user-access';
import type { NewAccount, UserAccount } from '#shared/domain/account';
import { ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';

export const inviteUser = async (
  deps: UserManagementDeps,
  principal: Principal,
  body: unknown,
): Promise<UserAccount> => {
  const manager = userManagerOf(principal);
  const invitation = parseWith(UserInvitation, body, 'body');
  refuseUnmanaged(manager, {
    role: invitation.role,
    ...('agency' in invitation ? { agency: invitation.agency } : {}),
  });
  if (invitation.role === 'association' && !(await deps.registry.get(invitation.creditCode))) {
    const message = 'The association register does not list this credit code: import the register first';
    throw new ValidationError(`Invalid body: creditCode: ${message}`, [
      { path: 'creditCode', code: 'not_registered', message },
    ]);
  }
  const account: NewAccount = { ...invitation, email: invitation.email.toLowerCase() };
  const created = await deps.directory.invite(account);
  await recordAccountEvent(deps, manager, 'ACCOUNT_INVITED', created);
  return created;
};
