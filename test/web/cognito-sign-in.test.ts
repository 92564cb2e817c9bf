/**
 * The Cognito hosted-UI sign-in (authorization code with PKCE) in headless Chromium. Cognito itself is
 * not reachable here: its authorize, token and logout endpoints are played by the test, which checks
 * what a real user pool would check (state, the code verifier against the challenge, the redirect URI).
 * The site is the local static handler configured for Cognito, with its real CSP.
 */
import type { Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStaticSite } from '#infra/local/static-site';
import { announceSkip, hasChromium, rendered, visibleText, watchedPage } from '#test/web/browser';
import { idToken, isFaithfulCodeExchange, useLocalSite } from '#test/web/played-provider';

announceSkip('test/web/cognito-sign-in.test.ts');

const cognito = 'https://auth.campaign.test';
const clientId = 'portal-client';
const bearers: string[] = [];

const claims = {
  sub: '7d0c3c1e-user',
  'cognito:groups': ['regulator'],
  'custom:agency': 'SAMR',
  'custom:province': '44',
  email: 'officer@samr.example',
  token_use: 'id',
};

/** Plays the hosted UI: authorize redirects back with a code, token checks PKCE, logout returns. */
const playCognito = async (
  page: Page,
  base: string,
  exchange: { challenge?: string; state?: string; verified?: boolean },
) => {
  await page.route(`${cognito}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/oauth2/authorize') {
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: `${base}/`,
        code_challenge_method: 'S256',
        scope: 'openid email profile',
      });
      exchange.challenge = url.searchParams.get('code_challenge') ?? '';
      exchange.state = url.searchParams.get('state') ?? '';
      expect(exchange.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await route.fulfill({
        status: 302,
        headers: { location: `${base}/?code=the-code&state=${encodeURIComponent(exchange.state)}` },
      });
    } else if (url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(route.request().postData() ?? '');
      exchange.verified = isFaithfulCodeExchange(form, {
        code: 'the-code',
        clientId,
        redirectUri: `${base}/`,
        challenge: exchange.challenge,
      });
      await route.fulfill({
        status: exchange.verified ? 200 : 400,
        headers: { 'access-control-allow-origin': base, 'content-type': 'application/json' },
        body: JSON.stringify(
          exchange.verified
            ? {
                id_token: idToken(claims, 'RS256'),
                access_token: 'access',
                expires_in: 3600,
                token_type: 'Bearer',
              }
            : { error: 'invalid_grant' },
        ),
      });
    } else if (url.pathname === '/logout') {
      expect(url.searchParams.get('client_id')).toBe(clientId);
      await route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri') ?? base } });
    } else {
      await route.fulfill({ status: 404 });
    }
  });
};

describe.skipIf(!hasChromium)('sign-in through the Cognito hosted UI', () => {
  let site: ReturnType<typeof localStaticSite> | undefined;
  const local = useLocalSite(async (req, res) => {
    if (req.url?.startsWith('/api/tasks')) {
      bearers.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [], cursor: null }));
      return;
    }
    if (site && (await site(req, res))) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'nothing here' } }));
  });

  beforeAll(() => {
    site = localStaticSite({
      config: { mode: 'cognito', domain: cognito, clientId, redirectUri: `${local.base}/` },
      csp: { connectSources: [cognito] },
    });
  });

  it('signs in with a code and PKCE, calls the API with the ID token, and signs out', async () => {
    const context = await local.browser.newContext({ locale: 'en-US' });
    const { page, problems } = await watchedPage(context);
    const exchange: { challenge?: string; state?: string; verified?: boolean } = {};
    await playCognito(page, local.base, exchange);

    await page.goto(`${local.base}/#/inbox`);
    await rendered(page, '/sign-in?next=%2Finbox');
    await page.getByRole('button', { name: 'Continue to sign-in' }).click();
    await rendered(page, '/inbox');

    expect(exchange.verified).toBe(true);
    // The code and state are gone from the address bar.
    expect(new URL(page.url()).search).toBe('');
    expect(await visibleText(page.locator('header .who-text'))).toBe(
      'Signed in as Regulator · Administration for Market Regulation of Guangdong Province · officer@samr.example',
    );
    expect(bearers.at(-1)).toBe(`Bearer ${idToken(claims, 'RS256')}`);

    await page.locator('header .who button.sign-out').click();
    await rendered(page, '/campaign');
    expect(await visibleText(page.locator('header'))).toContain('Sign in');
    expect(await page.evaluate(() => sessionStorage.getItem('campaign.session'))).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a callback whose state it did not send', async () => {
    const context = await local.browser.newContext({ locale: 'en-US' });
    const { page } = await watchedPage(context);
    await page.goto(`${local.base}/?code=stolen&state=forged#/inbox`);
    await rendered(page, '/sign-in');
    expect(await visibleText(page.locator('main .notice-error'))).toBe(
      'Sign-in did not complete: Please sign in again; if it still fails, contact the system administrator.',
    );
    expect(new URL(page.url()).search).toBe('');
    await context.close();
  });
});
