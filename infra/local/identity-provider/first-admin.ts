/**
 * The first campaign admin (as Grafana and Jenkins do it): at a start that finds no campaign admin,
 * an account `admin@fee-campaign.localhost` is made with a random one-time password, which the log
 * shows. Until that password is used the runtime keeps it in the data folder's secrets and shows it
 * at every start; once the admin has set its own, it is forgotten and never shown again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountStore } from '#infra/local/identity-provider/account-store';
import { hashPassword, verifyPassword } from '#shared/adapters/password-hash';

export const firstAdminEmail = 'admin@fee-campaign.localhost';

/** 24 random characters plus one of each class the password policy asks for. */
const oneTimePassword = () => `${randomBytes(18).toString('base64url')}aA1!`;

/**
 * Makes the first admin if there is no campaign admin; answers the one-time password still to show
 * (undefined once it is used), given the one kept from an earlier start.
 */
export const ensureFirstAdmin = async (
  accounts: AccountStore,
  keptPassword: string | undefined,
): Promise<string | undefined> => {
  const admin = await accounts.firstAdmin();
  if (admin) {
    const unused =
      keptPassword !== undefined &&
      admin.email === firstAdminEmail &&
      admin.state === 'INVITED' &&
      admin.passwordHash !== undefined &&
      (await verifyPassword(keptPassword, admin.passwordHash));
    return unused ? keptPassword : undefined;
  }
  const password = oneTimePassword();
  const now = new Date().toISOString();
  const created = await accounts.create(
    {
      userId: randomUUID(),
      email: firstAdminEmail,
      name: '管理员',
      role: 'campaign-admin',
      enabled: true,
      state: 'INVITED',
      createdAt: now,
      updatedAt: now,
    },
    await hashPassword(password),
  );
  return created ? password : undefined;
};

export const firstAdminLogLine = (password: string) =>
  `First admin      ${firstAdminEmail} one-time password: ${password} (sign in and set your own; shown until then)`;
