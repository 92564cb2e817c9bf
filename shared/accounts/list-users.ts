/** Listing and searching accounts: everything for campaign admins, its agency's regulators for a national regulator. */
import { type UserList, UserQuery } from '#shared/accounts/messages';
import { refuseUnmanaged, userManagerOf } from '#shared/accounts/user-access';
import type { AccountQuery } from '#shared/domain/account';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import type { AccountDirectory } from '#shared/ports/accounts';

export const listUsers = async (
  directory: Pick<AccountDirectory, 'list'>,
  principal: Principal,
  rawQuery: unknown,
): Promise<UserList> => {
  const manager = userManagerOf(principal);
  const { q, role, limit, cursor } = parseWith(UserQuery, rawQuery, 'query');
  const query: AccountQuery = { limit, ...(q ? { q: q.toLowerCase() } : {}), ...(cursor ? { cursor } : {}) };
  if (manager.role === 'regulator') {
    // Asking a national regulator's list for other roles is asking for what it may not see.
    refuseUnmanaged(manager, { role: role ?? 'regulator', agency: manager.agency });
    Object.assign(query, { role: 'regulator', agency: manager.agency });
  } else if (role) query.role = role;
  const page = await directory.list(query);
  return { items: page.items, cursor: page.cursor ?? null };
};
