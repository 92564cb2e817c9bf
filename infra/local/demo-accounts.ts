/**
 * Demo accounts of a local runtime (`npm run seed -- --demo-accounts`), made the way people make
 * them: a campaign admin (whom the seed signs in through the provider) invites, through the users API,
 * a national civil affairs regulator, Beijing's civil affairs, market and price regulators and a
 * Beijing association; each invitee signs in with the temporary password the local inbox received
 * and sets the demo password; a Beijing enterprise registers itself with the code e-mailed to it. An
 * account that exists already is left as it is and signed in with the demo password, if that is
 * still its own.
 */
import { associationCode, claimsOf, enterpriseCode, registerCsv } from '#infra/local/campaign-fixtures';
import { ProviderVisit, SignInRefusedError, signIn } from '#infra/local/identity-provider/sign-in';
import { mailTo, type PostOfficeInbox } from '#infra/local/post-office-inbox';
import type { SeedCast } from '#infra/local/seed';
import type { UserInvitation } from '#shared/accounts/messages';
import type { UserAccount } from '#shared/domain/account';

/** Beijing: the province whose cases the demo accounts can play from filing to verification. */
export const demoProvince = '11';
const domain = 'demo.fee-campaign.localhost';
const codes = {
  association: associationCode(demoProvince, 2026),
  enterprise: enterpriseCode(demoProvince, 2026),
};

type DemoInvitation = Exclude<UserInvitation, { role: 'campaign-admin' }>;

/**
 * A small register the seed imports before inviting the demo association (association accounts are
 * for registered associations only), so the complaint form suggests associations locally too.
 */
export const demoRegister = registerCsv([
  ['北京市示范行业协会', codes.association, '市级', '北京市民政局', '', '', '320', '正常'],
  [
    '北京市示范行业协会朝阳分会',
    associationCode(demoProvince, 2027),
    '市级',
    '北京市民政局',
    '',
    codes.association,
    '45',
    '正常',
  ],
  ['北京市餐饮行业协会', associationCode(demoProvince, 2028), '市级', '北京市民政局', '', '', '860', '正常'],
  ['北京市建筑业联合会', associationCode(demoProvince, 2029), '市级', '北京市民政局', '', '', '1200', '正常'],
  [
    '北京市汽车流通行业协会',
    associationCode(demoProvince, 2030),
    '市级',
    '北京市民政局',
    '北京市商务局',
    '',
    '310',
    '撤销',
  ],
  ['中国示范产业联合会', associationCode('10', 2031), '全国', '民政部', '', '', '5400', '正常'],
  ['广东省电子商务协会', associationCode('44', 2032), '省级', '广东省民政厅', '', '', '980', '正常'],
]);

/** Regulators of every agency a Beijing case may be routed or transferred to, and a national one. */
const invitations: DemoInvitation[] = [
  {
    role: 'regulator',
    email: `mca.national@${domain}`,
    name: '民政部演示账号',
    agency: 'MCA',
    province: '00',
  },
  {
    role: 'regulator',
    email: `mca.beijing@${domain}`,
    name: '北京市民政局演示账号',
    agency: 'MCA',
    province: '11',
  },
  {
    role: 'regulator',
    email: `samr.beijing@${domain}`,
    name: '北京市市场监督管理局演示账号',
    agency: 'SAMR',
    province: '11',
  },
  {
    role: 'regulator',
    email: `ndrc.beijing@${domain}`,
    name: '北京市发展和改革委员会演示账号',
    agency: 'NDRC',
    province: '11',
  },
  {
    role: 'association',
    email: `association@${domain}`,
    name: '北京市示范行业协会',
    creditCode: codes.association,
  },
];
const enterprise = {
  email: `enterprise@${domain}`,
  name: '北京示范科技有限公司',
  creditCode: codes.enterprise,
};

/** The demo accounts' password unless the seed is given another: they are for trying the portal out. */
export const defaultDemoPassword = 'Demo-Campaign-2026!';

export interface DemoAccountsOptions {
  /** The runtime, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The ID token of a campaign admin, who invites the accounts. */
  adminToken: string;
  /** Where the invitations and the registration code arrive. */
  inbox: PostOfficeInbox;
  /** Set on every demo account the seed makes; meets the password policy. */
  password: string;
}

export interface DemoAccount {
  email: string;
  /** Its role and office, for people: `regulator MCA 11`, `association <credit code>`. */
  role: string;
  /** What development-token claims it stands for in the seed's plan. */
  claims: Record<string, string>;
  created: boolean;
  /** Its ID token, signed in with the demo password; none when that is no longer its password. */
  token?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: read loosely, by the fields used
type Json = Record<string, any>;

/** The latest mail to `address` that `pattern` finds something in, waiting for it to arrive. */
const awaitMail = async (inbox: PostOfficeInbox, address: string, pattern: RegExp): Promise<string> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = (await mailTo(inbox, address))
      .map((mail) => pattern.exec(mail.text)?.[1])
      .findLast((match) => match !== undefined);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No mail to ${address} in the inbox at ${inbox.inboxUrl}`);
};

/** Signs in with the demo password; undefined when the account has a password of its own. */
const signInOrSkip = (url: string, email: string, password: string, temporary?: string) =>
  signIn({ url, email, password: temporary ?? password, newPassword: password }).then(
    (tokens) => tokens.idToken,
    (error) => {
      if (error instanceof SignInRefusedError && error.reason !== 'unexpected_answer') return undefined;
      throw error;
    },
  );

/** The invitee's role and office for people, and the development-token claims it stands for. */
const partOf = (invitation: DemoInvitation) =>
  invitation.role === 'regulator'
    ? {
        role: `regulator ${invitation.agency} ${invitation.province}`,
        claims: claimsOf.regulator(invitation.agency, invitation.province),
      }
    : { role: `association ${invitation.creditCode}`, claims: claimsOf.association(invitation.creditCode) };

/** Makes the demo accounts that do not exist yet and signs every one in. */
export const ensureDemoAccounts = async (options: DemoAccountsOptions): Promise<DemoAccount[]> => {
  const { url, inbox, password } = options;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const find = async (email: string): Promise<UserAccount | undefined> => {
    const { status, body } = await call('GET', `/api/admin/users?q=${encodeURIComponent(email)}`);
    if (status !== 200) throw new Error(`Listing accounts answered ${status}: ${JSON.stringify(body)}`);
    return (body.items as UserAccount[]).find((account) => account.email === email);
  };

  const imported = await fetch(`${url}/api/admin/associations/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'text/csv' },
    body: demoRegister,
  });
  if (imported.status !== 200)
    throw new Error(`Importing the demo register answered ${imported.status}: ${await imported.text()}`);

  const invite = async (invitation: DemoInvitation): Promise<DemoAccount> => {
    const demo = { email: invitation.email, ...partOf(invitation) };
    let account = await find(invitation.email);
    const created = account === undefined;
    if (!account) {
      const answer = await call('POST', '/api/admin/users', invitation);
      if (answer.status !== 201)
        throw new Error(
          `Inviting ${invitation.email} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
        );
      account = answer.body as UserAccount;
    }
    // An invitation or a reset not yet taken up: its temporary password is the latest in the inbox.
    const temporary =
      account.state === 'INVITED' || account.state === 'RESET_REQUIRED'
        ? await awaitMail(inbox, invitation.email, /Temporary password: (\S+)/)
        : undefined;
    const token = await signInOrSkip(url, invitation.email, password, temporary);
    return { ...demo, created, ...(token ? { token } : {}) };
  };

  const register = async (): Promise<DemoAccount> => {
    const demo = {
      email: enterprise.email,
      role: `enterprise ${enterprise.creditCode}`,
      claims: claimsOf.enterprise(enterprise.creditCode),
    };
    if (await find(enterprise.email)) {
      const token = await signInOrSkip(url, enterprise.email, password);
      return { ...demo, created: false, ...(token ? { token } : {}) };
    }
    const visit = new ProviderVisit(url);
    await visit.start();
    await visit.submit('register', {
      email: enterprise.email,
      password,
      confirm: password,
      enterpriseName: enterprise.name,
      creditCode: enterprise.creditCode,
    });
    const code = await awaitMail(inbox, enterprise.email, /\b(\d{6})\b/);
    const tokens = await visit.finish(await visit.submit('verify', { code }));
    return { ...demo, created: true, token: tokens.idToken };
  };

  // One after another: each reads the inbox for its own mail.
  const accounts: DemoAccount[] = [];
  for (const invitation of invitations) accounts.push(await invite(invitation));
  accounts.push(await register());
  return accounts;
};

/** The Beijing cases' parties played by the demo accounts; throws naming those that did not sign in. */
export const demoCast = (admin: string, accounts: DemoAccount[]): SeedCast => {
  const missing = accounts.filter((account) => account.token === undefined).map((account) => account.email);
  if (missing.length > 0)
    throw new Error(`These accounts have a password other than the demo password: ${missing.join(', ')}`);
  return {
    province: demoProvince,
    enterpriseCode: codes.enterprise,
    associationCode: codes.association,
    tokens: [
      { claims: claimsOf.admin(), token: admin },
      ...accounts.map((account) => ({ claims: account.claims, token: account.token as string })),
    ],
  };
};

/** The accounts as a table: e-mail, role, password (the demo password where it signed in with it). */
export const demoAccountsTable = (accounts: DemoAccount[], password: string): string => {
  const rows = [
    ['e-mail', 'role', 'password', ''],
    ...accounts.map((account) => [
      account.email,
      account.role,
      account.token ? password : '(its own)',
      account.created ? 'created' : 'existed',
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};
