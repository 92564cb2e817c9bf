/**
 * For the sign-in tests that play the identity provider (the Cognito hosted UI, the local OpenID Connect
 * provider): the portal's site on a free local port with Chromium to read it, ID tokens as a provider
 * issues them, and the checks a provider makes of a code exchange.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '#test/web/browser';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An ID token with `claims`; the portal reads the claims and leaves the signature to the API. */
export const idToken = (claims: Record<string, unknown>, alg: 'RS256' | 'ES256') =>
  `${base64url(JSON.stringify({ alg, kid: 'test' }))}.${base64url(JSON.stringify(claims))}.signature`;

/**
 * What a provider checks of a token request: the code it issued, the client, the redirect URI, and the
 * code verifier against the challenge it was sent (S256).
 */
export const isFaithfulCodeExchange = (
  form: URLSearchParams,
  expected: { code: string; clientId: string; redirectUri: string; challenge: string | null | undefined },
): boolean =>
  form.get('grant_type') === 'authorization_code' &&
  form.get('code') === expected.code &&
  form.get('client_id') === expected.clientId &&
  form.get('redirect_uri') === expected.redirectUri &&
  base64url(
    createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest(),
  ) === expected.challenge;

export interface LocalSite {
  /** The site's origin, known once it listens. */
  readonly base: string;
  readonly browser: Browser;
}

/**
 * Call in a `describe`: serves `handle` on a free port of 127.0.0.1 and launches Chromium before its
 * tests, and closes both after them.
 */
export const useLocalSite = (
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): LocalSite => {
  let server: Server | undefined;
  let base: string | undefined;
  let browser: Browser | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The site starts in beforeAll: use it inside a test or hook');
    return value;
  };

  beforeAll(async () => {
    const listening = createServer(handle);
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const address = listening.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  return {
    get base() {
      return started(base);
    },
    get browser() {
      return started(browser);
    },
  };
};
