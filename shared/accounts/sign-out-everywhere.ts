/**
 * Signing out everywhere: the caller's own account (its token's subject) loses every session and
 * refresh token; every role may do it. Audited like the changes admins make.
 */

import type { UserManagementDeps } from '#shared/accounts/ports';
import type { SignedOut } from '#shared/accounts/session-messages';
import { UnauthenticatedError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';

export const signOutEverywhere = async (
  deps: UserManagementDeps,
  principal: Principal,
): Promise<SignedOut> => {
  if (principal.role === 'anonymous') throw new UnauthenticatedError('Sign in first');
  await deps.directory.signOutEverywhere(principal.subject);
  const signedOutAt = (deps.now ?? (() => new Date()))().toISOString();
  await deps.audit.record(
    {
      type: 'ACCOUNT_SIGNED_OUT_EVERYWHERE',
      actor: { role: principal.role, subject: principal.subject },
      data: { userId: principal.subject, role: principal.role },
    },
    signedOutAt,
  );
  return { signedOutAt };
};
