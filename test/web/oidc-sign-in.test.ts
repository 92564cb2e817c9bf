/**
 * Sign-in with the local runtime's OpenID Connect provider (authorization code with PKCE), the same
 * flow as against the Cognito hosted UI, with the provider's own endpoints from `/config.json`. The
 * provider is played by the test on the site's origin (as the runtime serves it at `/oidc`): it checks
 * what a provider checks (state, the code verifier against the challenge, the redirect URI) and records
 * how the portal ends its session (RP-initiated logout with the ID token).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStaticSite } from '#infra/local/static-site';
import { announceSkip, hasChromium, rendered, visibleText, watchedPage } from '#test/web/browser';
import { idToken, isFaithfulCodeExchange, useLocalSite } from '#test/web/played-provider';
import sample from './fixtures/metrics-sample.json' with { type: 'json' };

announceSkip('test/web/oidc-sign-in.test.ts');

const clientId = 'campaign-portal';
const claims = {
  sub: 'b1e0c7a2-regulator',
  'cognito:groups': ['regulator'],
  'custom:agency': 'MCA',
  'custom:province': '44',
  name: '李明',
  email: 'liming@mca.example',
  exp: Math.floor(Date.now() / 1000) + 3600,
};

/** What the played provider saw. */
interface Exchange {
  authorize?: URLSearchParams;
  verified?: boolean;
  endSession?: URLSearchParams;
}

let exchange: Exchange = {};
let site: ReturnType<typeof localStaticSite>;
let siteWithDevTokens: ReturnType<typeof localStaticSite>;

const formOf = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
};

/** Plays the provider: authorize redirects back with a code, token checks PKCE, end-session returns. */
const playProvider = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
  // The provider is on the site's origin, as the runtime serves it.
  const base = url.origin;
  if (url.pathname === '/oidc/auth') {
    exchange.authorize = url.searchParams;
    const back = new URL(url.searchParams.get('redirect_uri') ?? base);
    back.search = new URLSearchParams({
      code: 'the-code',
      state: url.searchParams.get('state') ?? '',
    }).toString();
    res.writeHead(303, { location: back.toString() });
    res.end();
    return true;
  }
  if (url.pathname === '/oidc/token' && req.method === 'POST') {
    const form = await formOf(req);
    exchange.verified = isFaithfulCodeExchange(form, {
      code: 'the-code',
      clientId,
      redirectUri: `${base}/`,
      challenge: exchange.authorize?.get('code_challenge'),
    });
    res.writeHead(exchange.verified ? 200 : 400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        exchange.verified
          ? {
              id_token: idToken(claims, 'ES256'),
              access_token: 'opaque',
              expires_in: 600,
              token_type: 'Bearer',
            }
          : { error: 'invalid_grant' },
      ),
    );
    return true;
  }
  if (url.pathname === '/oidc/session/end') {
    exchange.endSession = url.searchParams;
    res.writeHead(303, { location: url.searchParams.get('post_logout_redirect_uri') ?? '/' });
    res.end();
    return true;
  }
  return false;
};

const oidcConfig = (base: string, devTokens: boolean) => ({
  mode: 'oidc',
  issuer: `${base}/oidc`,
  authorizationEndpoint: `${base}/oidc/auth`,
  tokenEndpoint: `${base}/oidc/token`,
  endSessionEndpoint: `${base}/oidc/session/end`,
  clientId,
  redirectUri: `${base}/`,
  devTokens,
});

describe.skipIf(!hasChromium)('sign-in through the local OpenID Connect provider', () => {
  const local = useLocalSite(async (req, res) => {
    const url = new URL(req.url ?? '/', local.base);
    if (await playProvider(req, res, url)) return;
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      // The campaign page (after signing out) shows metrics; the inbox and the bell show lists.
      res.end(
        JSON.stringify(
          url.pathname === '/api/public/metrics' ? sample : { items: [], cursor: null, unread: 0 },
        ),
      );
      return;
    }
    // A browser sending this header plays a runtime started with development identities.
    const handler = req.headers['x-dev-tokens'] ? siteWithDevTokens : site;
    if (await handler(req, res)) return;
    res.writeHead(404);
    res.end();
  });

  beforeAll(() => {
    site = localStaticSite({ config: oidcConfig(local.base, false) });
    siteWithDevTokens = localStaticSite({ config: oidcConfig(local.base, true) });
  });

  it('signs in with a code and PKCE, names the office in the header, and ends the provider session', async () => {
    // Arrange
    exchange = {};
    const context = await local.browser.newContext({ locale: 'zh-CN' });
    const { page, problems } = await watchedPage(context);

    // Act
    await page.goto(`${local.base}/#/inbox`);
    await rendered(page, '/sign-in?next=%2Finbox');
    expect(await page.locator('main form').count()).toBe(0);
    expect(await visibleText(page.locator('main'))).toContain('注册企业账号');
    await page.getByRole('button', { name: '统一身份认证登录' }).click();
    await rendered(page, '/inbox');

    // Assert: the provider's checks passed; the address is clean; the header names role and office
    expect(Object.fromEntries(exchange.authorize ?? [])).toMatchObject({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: `${local.base}/`,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(exchange.verified).toBe(true);
    expect(new URL(page.url()).search).toBe('');
    expect(await visibleText(page.locator('header .who-text'))).toBe(
      '当前身份：监管部门 · 广东省民政厅 · 李明',
    );

    // Act: sign out
    await page.locator('header .who button.sign-out').click();
    await rendered(page, '/campaign');

    // Assert: the provider was told which session ends, and where to come back to
    expect(exchange.endSession?.get('id_token_hint')).toBe(idToken(claims, 'ES256'));
    expect(exchange.endSession?.get('post_logout_redirect_uri')).toBe(`${local.base}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('campaign.session'))).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers development identities below the provider only when the runtime has them', async () => {
    // Arrange
    const context = await local.browser.newContext({
      locale: 'zh-CN',
      extraHTTPHeaders: { 'x-dev-tokens': '1' },
    });
    const { page, problems } = await watchedPage(context);

    // Act
    await page.goto(`${local.base}/#/sign-in`);
    await rendered(page, '/sign-in');

    // Assert
    const main = page.locator('main');
    expect(await main.getByRole('button', { name: '统一身份认证登录' }).isVisible()).toBe(true);
    expect(await visibleText(main.getByRole('heading', { level: 2 }))).toBe('开发调试身份');
    expect(await main.getByRole('radio', { name: '监管部门' }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
