/**
 * Signing out everywhere: the caller's own account (its token's subject) loses every session and
 * refresh token; every role may do it. Audited like the changes admins make.
 */

import type { UserManagementDeps } from '#shared/accounts/ports';
import { recordAccountEvent } from '#shared/accounts/record-account-event';
import type { SignedOut } from '#shared/accounts/session-messages';
import { UnauthenticatedError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';

export const signOutEverywhere = async (
  deps: UserManagementDeps,
  principal: Principal,
): Promise<SignedOut> => {
  if (principal.role === 'anonymous') throw new UnauthenticatedError('Sign in first');
  await deps.directory.signOutEverywhere(principal.subject);
  const signedOutAt = await recordAccountEvent(deps, principal, 'ACCOUNT_SIGNED_OUT_EVERYWHERE', {
    userId: principal.subject,
    role: principal.role,
  });
  return { signedOutAt };
};
