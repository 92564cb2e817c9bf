/**
 * `npm run seed -- --demo-accounts` against a runtime without development tokens, as after `npm
 * start`: the first admin (its own password set) invites the demo regulators and association through
 * the users API, they set the demo password from their e-mailed temporary ones, an enterprise
 * registers with its e-mail code, and those accounts then seed Beijing cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoAccount,
  defaultDemoPassword,
  demoCast,
  ensureDemoAccounts,
} from '#infra/local/demo-accounts';
import { firstAdminEmail } from '#infra/local/identity-provider/first-admin';
import { signIn } from '#infra/local/identity-provider/sign-in';
import { readPostOfficeInbox } from '#infra/local/post-office-inbox';
import { seedCampaign } from '#infra/local/seed';
import type { UserAccount } from '#shared/domain/account';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
const startLines: string[] = [];
/** The first admin's ID token, signed in with the password it set. */
let admin: string;
let made: DemoAccount[];

const demoAccounts = () =>
  ensureDemoAccounts({
    url: harness.url,
    adminToken: admin,
    inbox: harness.runtime.postOffice,
    password: defaultDemoPassword,
  });

beforeAll(async () => {
  harness = await startTestRuntime({ devTokens: false, log: (line) => startLines.push(line) });
  const oneTimePassword = /one-time password: (\S+)/.exec(startLines.join('\n'))?.[1] ?? '';
  ({ idToken: admin } = await signIn({
    url: harness.url,
    email: firstAdminEmail,
    password: oneTimePassword,
    newPassword: 'Admin-Own-Pass-2026',
  }));
  made = await demoAccounts();
}, 120_000);
afterAll(() => harness?.stop());

describe('the demo accounts', () => {
  it('are listed by the users API: four regulators, an association and a registered enterprise', async () => {
    // Act
    const response = await harness.request('GET', '/api/admin/users?limit=100', { token: admin });

    // Assert
    const listed = response.body.items as UserAccount[];
    expect(
      listed.map(({ email, role, agency, province, state }) => ({ email, role, agency, province, state })),
    ).toEqual(
      expect.arrayContaining([
        {
          email: 'mca.national@demo.fee-campaign.localhost',
          role: 'regulator',
          agency: 'MCA',
          province: '00',
          state: 'CONFIRMED',
        },
        {
          email: 'mca.beijing@demo.fee-campaign.localhost',
          role: 'regulator',
          agency: 'MCA',
          province: '11',
          state: 'CONFIRMED',
        },
        {
          email: 'samr.beijing@demo.fee-campaign.localhost',
          role: 'regulator',
          agency: 'SAMR',
          province: '11',
          state: 'CONFIRMED',
        },
        {
          email: 'ndrc.beijing@demo.fee-campaign.localhost',
          role: 'regulator',
          agency: 'NDRC',
          province: '11',
          state: 'CONFIRMED',
        },
        {
          email: 'association@demo.fee-campaign.localhost',
          role: 'association',
          agency: undefined,
          province: undefined,
          state: 'CONFIRMED',
        },
        {
          email: 'enterprise@demo.fee-campaign.localhost',
          role: 'enterprise',
          agency: undefined,
          province: undefined,
          state: 'CONFIRMED',
        },
      ]),
    );
    expect(made.every((account) => account.created)).toBe(true);
  });

  it('sign in with the demo password, and a regulator reads its cases with the token', async () => {
    // Act
    const { idToken } = await signIn({
      url: harness.url,
      email: 'samr.beijing@demo.fee-campaign.localhost',
      password: defaultDemoPassword,
    });

    // Assert
    expect((await harness.request('GET', '/api/cases', { token: idToken })).status).toBe(200);
  });

  it('are reported as existing when made again, and still sign in', async () => {
    // Act
    const again = await demoAccounts();

    // Assert
    expect(again.map((account) => [account.email, account.created, account.token !== undefined])).toEqual(
      made.map((account) => [account.email, false, true]),
    );
  });

  it('play Beijing cases through the whole workflow without development tokens', async () => {
    // Arrange
    const cast = demoCast(admin, made);

    // Act
    const result = await seedCampaign({ url: harness.url, cases: 4, cast, provinces: [cast.province] });

    // Assert
    expect(result).toEqual({ cases: 4, failed: 0 });
    const enterprise = made.find((account) => account.role.startsWith('enterprise'));
    const complaints = await harness.request('GET', '/api/complaints', { token: enterprise?.token });
    expect(complaints.body.items).toHaveLength(4);
  });
});

describe('the mail inbox in the data folder', () => {
  it("is the runtime's own, with its password (what the seed script reads)", async () => {
    // Act
    const inbox = await readPostOfficeInbox(harness.runtime.dataDir);

    // Assert
    const { inboxUrl, user, password } = harness.runtime.postOffice;
    expect(inbox).toEqual({ inboxUrl, user, password });
  });
});
