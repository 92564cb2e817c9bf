/**
 * The local identity provider, by HTTP against the real runtime: signing in with authorization code +
 * PKCE (the code `npm run token` uses), the ID token on the API as the Cognito authorizer takes it,
 * lockout, temporary passwords, enterprise registration with an e-mail code, sign-out everywhere, the
 * first admin, and development tokens only when asked for.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterpriseCode } from '#infra/local/campaign-fixtures';
import { AccountStore } from '#infra/local/identity-provider/account-store';
import { firstAdminEmail } from '#infra/local/identity-provider/first-admin';
import { ProviderVisit, SignInRefusedError, signIn } from '#infra/local/identity-provider/sign-in';
import { secretsFile } from '#infra/local/runtime-record';
import { hashPassword } from '#shared/adapters/password-hash';
import type { AccountState, UserAccount } from '#shared/domain/account';
import { parties } from '#test/support/fakes/records';
import { mailTo } from '#test/support/post-office';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let accounts: AccountStore;
const lines: string[] = [];
const password = 'Correct-Horse-7-Battery';

beforeAll(async () => {
  harness = await startTestRuntime({ log: (line) => lines.push(line) });
  accounts = new AccountStore(harness.documentClient, harness.tableName);
}, 120_000);
afterAll(() => harness?.stop());

const newAccount = async (
  fields: Partial<UserAccount> & { state?: AccountState } = {},
): Promise<UserAccount> => {
  const now = new Date().toISOString();
  const account: UserAccount = {
    userId: randomUUID(),
    email: `${randomUUID()}@example.cn`,
    name: '测试企业有限公司',
    role: 'enterprise',
    creditCode: parties.enterpriseCode,
    enabled: true,
    state: 'CONFIRMED',
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
  await accounts.create(account, await hashPassword(password));
  return account;
};

const signInAs = (account: UserAccount, given = password) =>
  signIn({ url: harness.url, email: account.email, password: given });

const refusal = (pending: Promise<unknown>) =>
  pending.then(
    () => 'signed in',
    (error) => (error instanceof SignInRefusedError ? error.reason : String(error)),
  );

const listComplaints = (token: string) => harness.request('GET', '/api/complaints', { token });

const providerKey = async () => {
  const secrets = JSON.parse(await readFile(secretsFile(harness.runtime.dataDir), 'utf8'));
  return { jwk: secrets.oidcSigningKey as JWK, key: await importJWK(secrets.oidcSigningKey, 'ES256') };
};

/** A token like the provider's, from `claims` (Cognito's, for the enterprise), signed with `key`. */
const forge = async (claims: Record<string, unknown>, key?: CryptoKey | Uint8Array, kid?: string) => {
  const own = await providerKey();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: 'forged',
    'cognito:groups': ['enterprise'],
    'custom:creditCode': parties.enterpriseCode,
    token_use: 'id',
    iss: harness.runtime.identity.issuer,
    aud: harness.runtime.identity.clientId,
    iat: now,
    exp: now + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: kid ?? own.jwk.kid })
    .sign(key ?? own.key);
};

describe('the provider discovery document', () => {
  it('names the issuer under /oidc and requires PKCE with S256 of its public client', async () => {
    const response = await fetch(`${harness.url}/oidc/.well-known/openid-configuration`);

    expect(await response.json()).toMatchObject({
      issuer: `${harness.url}/oidc`,
      authorization_endpoint: `${harness.url}/oidc/auth`,
      token_endpoint: `${harness.url}/oidc/token`,
      end_session_endpoint: `${harness.url}/oidc/session/end`,
      jwks_uri: `${harness.url}/oidc/jwks`,
      code_challenge_methods_supported: ['S256'],
    });
  });
});

describe('signing in through the local provider', () => {
  it('gives an ID token the API accepts, with the claims of the Cognito authorizer', async () => {
    const account = await newAccount();

    const tokens = await signInAs(account);

    expect(decodeJwt(tokens.idToken)).toMatchObject({
      sub: account.userId,
      email: account.email,
      name: account.name,
      'cognito:groups': ['enterprise'],
      'custom:creditCode': parties.enterpriseCode,
      token_use: 'id',
      iss: harness.runtime.identity.issuer,
      aud: 'campaign-portal',
    });
    expect((await listComplaints(tokens.idToken)).status).toBe(200);
  });

  it('issues ID tokens valid for one hour, as Cognito does', async () => {
    const { idToken } = await signInAs(await newAccount());

    const { iat = 0, exp = 0 } = decodeJwt(idToken);

    expect(exp - iat).toBe(3600);
  });

  it('refuses a wrong password and an unknown e-mail with the same answer', async () => {
    const account = await newAccount();

    const wrong = await refusal(signInAs(account, 'Wrong-Password-1'));
    const unknown = await refusal(signIn({ url: harness.url, email: 'nobody@example.cn', password }));

    expect([wrong, unknown]).toEqual(['credentials', 'credentials']);
  });

  it('refuses a disabled account', async () => {
    const account = await newAccount({ enabled: false });

    expect(await refusal(signInAs(account))).toBe('credentials');
  });

  it('locks an account for 15 minutes after five wrong passwords in a row, even to the right one', async () => {
    const account = await newAccount();
    for (let i = 0; i < 5; i++) await refusal(signInAs(account, `Wrong-Password-${i}`));

    const withRightPassword = await refusal(signInAs(account));

    expect(withRightPassword).toBe('credentials');
    const lockedUntil = Date.parse((await accounts.get(account.userId))?.lockedUntil ?? '');
    expect(lockedUntil - Date.now()).toBeGreaterThan(14 * 60_000);
  });

  it('shows its sign-in page in Chinese, in English when asked, with no script', async () => {
    const visit = new ProviderVisit(harness.url);
    const interaction = await visit.start();

    const chinese = await visit.get(interaction);
    const english = await visit.get(`${interaction}?lang=en`);

    const page = await chinese.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('注册企业账号');
    expect(await english.text()).toContain('<html lang="en">');
    expect(page).not.toContain('<script');
    expect(chinese.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a form posted from another origin', async () => {
    const visit = new ProviderVisit(harness.url);
    const interaction = await visit.start();

    const response = await fetch(`${harness.url}${interaction}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: new URLSearchParams({ email: 'a@example.cn', password }).toString(),
    });

    expect(response.status).toBe(400);
  });
});

describe('a temporary password', () => {
  it('must be replaced before the sign-in completes', async () => {
    const account = await newAccount({ role: 'campaign-admin', creditCode: undefined, state: 'INVITED' });

    expect(await refusal(signInAs(account))).toBe('password_change_required');
  });

  it('is replaced by one that meets the policy, and the account is then in use', async () => {
    const account = await newAccount({ state: 'RESET_REQUIRED' });
    const newPassword = 'Another-Good-Pass-42';

    const tokens = await signIn({ url: harness.url, email: account.email, password, newPassword });

    expect((await listComplaints(tokens.idToken)).status).toBe(200);
    expect((await accounts.get(account.userId))?.state).toBe('CONFIRMED');
    expect(await refusal(signInAs(account, newPassword))).toBe('signed in');
  });

  it('is kept when the new one misses the policy', async () => {
    const account = await newAccount({ state: 'INVITED' });

    const answer = await refusal(
      signIn({ url: harness.url, email: account.email, password, newPassword: 'alllowercase-long' }),
    );

    expect(answer).toBe('password_change_required');
    expect((await accounts.get(account.userId))?.state).toBe('INVITED');
  });
});

describe('tokens the API refuses (401)', () => {
  it('an expired one signed with the provider key', async () => {
    const now = Math.floor(Date.now() / 1000);

    const token = await forge({ iat: now - 7200, exp: now - 3600 });

    expect((await listComplaints(token)).status).toBe(401);
  });

  it('one for another audience', async () => {
    expect((await listComplaints(await forge({ aud: 'another-client' }))).status).toBe(401);
  });

  it('one whose claims were altered after signing', async () => {
    const { idToken } = await signInAs(await newAccount());
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    claims['custom:creditCode'] = enterpriseCode('44', 7);
    const altered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;

    expect((await listComplaints(altered)).status).toBe(401);
  });

  it('one signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = (await providerKey()).jwk;

    expect((await listComplaints(await forge({}, privateKey, kid))).status).toBe(401);
  });

  it('an access token, which names no groups', async () => {
    const { accessToken } = await signInAs(await newAccount());

    expect((await listComplaints(accessToken)).status).toBe(401);
  });
});

describe('signing out everywhere', () => {
  it('ends the refresh tokens issued before it', async () => {
    const account = await newAccount();
    const { refreshToken } = await signInAs(account);
    await new Promise((done) => setTimeout(done, 1100));
    await harness.documentClient.send(
      new UpdateCommand({
        TableName: harness.tableName,
        Key: { pk: `ACCOUNT#${account.userId}`, sk: 'ACCOUNT' },
        UpdateExpression: 'SET sessionsEndedAt = :now',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );

    const response = await fetch(`${harness.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken ?? '',
        client_id: 'campaign-portal',
      }).toString(),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('signing out of the provider', () => {
  it('ends its session: the next sign-in asks for the password again', async () => {
    const account = await newAccount();
    const visit = new ProviderVisit(harness.url);
    await visit.start();
    const { idToken } = await visit.finish(await visit.submit('login', { email: account.email, password }));
    const query = new URLSearchParams({
      id_token_hint: idToken,
      post_logout_redirect_uri: `${harness.url}/`,
      client_id: 'campaign-portal',
    });
    const page = await (await visit.get(`/oidc/session/end?${query}`)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const done = await visit.post('/oidc/session/end/confirm', { xsrf, logout: 'yes' });

    expect(done.headers.get('location')).toBe(`${harness.url}/`);
    expect(await visit.start()).toMatch(/^\/oidc\/interaction\//);
  });
});

describe('enterprise registration', () => {
  const inbox = (address: string) => mailTo(harness.runtime, address);
  const registration = (email: string, creditCode = enterpriseCode('31', 5)) => ({
    email,
    password,
    confirm: password,
    enterpriseName: '上海示例科技有限公司',
    creditCode,
  });

  it('creates an enterprise account that signs in once the e-mail code is entered', async () => {
    const email = `${randomUUID()}@example.cn`;
    const visit = new ProviderVisit(harness.url);
    await visit.start();
    await visit.submit('register', registration(email));
    const [mail] = await inbox(email);
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';

    const tokens = await visit.finish(await visit.submit('verify', { code }));

    expect(decodeJwt(tokens.idToken)).toMatchObject({
      email,
      'cognito:groups': ['enterprise'],
      'custom:creditCode': enterpriseCode('31', 5),
    });
    expect((await listComplaints(tokens.idToken)).status).toBe(200);
  });

  it('answers the same for an address that has an account, and tells its owner by e-mail', async () => {
    const account = await newAccount();
    const fresh = new ProviderVisit(harness.url);
    await fresh.start();
    const taken = new ProviderVisit(harness.url);
    await taken.start();

    const forFresh = await (
      await fresh.submit('register', registration(`${randomUUID()}@example.cn`))
    ).text();
    const forTaken = await (await taken.submit('register', registration(account.email))).text();

    expect(forTaken.replaceAll(taken.interaction, '')).toBe(forFresh.replaceAll(fresh.interaction, ''));
    expect((await inbox(account.email)).map((mail) => mail.subject)).toEqual(['您的邮箱已注册账号']);
  });

  it('gives back an address whose earlier sign-up was never verified in time', async () => {
    const abandoned = await newAccount({
      state: 'UNCONFIRMED',
      createdAt: new Date(Date.now() - 60 * 60_000).toISOString(),
    });
    const visit = new ProviderVisit(harness.url);
    await visit.start();
    await visit.submit('register', registration(abandoned.email));
    const code = /\b(\d{6})\b/.exec((await inbox(abandoned.email))[0]?.text ?? '')?.[1] ?? '';

    const tokens = await visit.finish(await visit.submit('verify', { code }));

    expect(decodeJwt(tokens.idToken).sub).not.toBe(abandoned.userId);
    expect(await accounts.get(abandoned.userId)).toBeUndefined();
  });

  it('refuses the credit code of a social organization', async () => {
    const visit = new ProviderVisit(harness.url);
    await visit.start();

    const page = await (
      await visit.submit('register', registration(`${randomUUID()}@example.cn`, parties.associationCode))
    ).text();

    expect(page).toContain('社会组织');
  });

  it('refuses every code after five wrong ones', async () => {
    const email = `${randomUUID()}@example.cn`;
    const visit = new ProviderVisit(harness.url);
    await visit.start();
    await visit.submit('register', registration(email));
    const code = /\b(\d{6})\b/.exec((await inbox(email))[0]?.text ?? '')?.[1] ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await visit.submit('verify', { code: wrong });

    const answer = await visit.submit('verify', { code });

    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('验证码错误次数过多');
  });
});

describe('the first admin', () => {
  const shown = () => lines.filter((line) => line.includes(firstAdminEmail));
  const shownPassword = () => /one-time password: (\S+)/.exec(shown().at(-1) ?? '')?.[1] ?? '';

  it('is shown with a one-time password at every start until it is used, then never again', async () => {
    const first = shownPassword();
    await harness.restart();
    const again = shownPassword();
    await signIn({
      url: harness.url,
      email: firstAdminEmail,
      password: first,
      newPassword: 'Admin-Own-Pass-2026',
    });
    const before = shown().length;

    await harness.restart();

    expect(again).toBe(first);
    expect(shown().length).toBe(before);
    expect(await readFile(secretsFile(harness.runtime.dataDir), 'utf8')).not.toContain(first);
  });
});

describe('the site configuration', () => {
  it('names the provider and the origin the browser used', async () => {
    const response = await fetch(`${harness.url.replace('127.0.0.1', 'localhost')}/config.json`);

    expect(await response.json()).toMatchObject({
      mode: 'oidc',
      issuer: harness.runtime.identity.issuer,
      clientId: 'campaign-portal',
      redirectUri: `http://localhost:${harness.runtime.port}/`,
      tokenEndpoint: `http://localhost:${harness.runtime.port}/oidc/token`,
      devTokens: true,
    });
  });
});

describe('development tokens', () => {
  it('are neither minted nor accepted unless the runtime was started with them', async () => {
    const devToken = await harness.token({ role: 'enterprise', creditCode: parties.enterpriseCode });

    await harness.restart({ devTokens: false });

    const minted = await harness.request('POST', '/local/token', { body: { role: 'campaign-admin' } });
    expect(minted.status).toBe(404);
    expect((await listComplaints(devToken)).status).toBe(401);
  });
});
