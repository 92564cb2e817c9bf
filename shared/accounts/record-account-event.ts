/** The one way user management writes the accounts' audit trail: by the account's id and role, never its e-mail. */
import type { AccountEventType, UserManagementDeps } from '#shared/accounts/ports';
import type { Role } from '#shared/domain/principal';

/** Records a change of `account` by `actor`; answers the event's time. */
export const recordAccountEvent = async (
  deps: UserManagementDeps,
  actor: { role: Role; subject: string },
  type: AccountEventType,
  account: { userId: string; role: Role; enterpriseId?: string | undefined },
): Promise<string> => {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const data = {
    userId: account.userId,
    role: account.role,
    ...(type === 'ACCOUNT_LINKED' && account.enterpriseId ? { enterpriseId: account.enterpriseId } : {}),
  };
  await deps.audit.record({ type, actor: { role: actor.role, subject: actor.subject }, data }, at);
  return at;
};
