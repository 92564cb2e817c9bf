/** Inviting an account: the directory creates it and e-mails a temporary password; the invitation is audited. */
import { UserInvitation } from '#shared/accounts/messages';
import type { UserManagementDeps } from '#shared/accounts/ports';
import { recordAccountEvent } from '#shared/accounts/record-account-event';
import { refuseUnmanaged, userManagerOf } from '#shared/accounts/user-access';
import type { NewAccount, UserAccount } from '#shared/domain/account';
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
  const account: NewAccount = { ...invitation, email: invitation.email.toLowerCase() };
  const created = await deps.directory.invite(account);
  await recordAccountEvent(deps, manager, 'ACCOUNT_INVITED', created);
  return created;
};
