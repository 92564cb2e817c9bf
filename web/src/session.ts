/**
 * Who is signed in. On AWS through the Cognito hosted UI, locally through the runtime's OpenID Connect
 * provider: both with the authorization-code flow and PKCE (no client secret in the browser). A runtime
 * started for development also hands out development identities (`POST /local/token`). The ID token is the
 * bearer: the REST API's Cognito authorizer reads its groups and custom attributes. Tokens live in
 * sessionStorage: they end with the tab.
 */

import { type Role, roles } from '#shared/domain/principal';
import { parseGroups } from '#shared/http/principal';
import type { FieldIssue } from './api.ts';
import type { SiteConfig } from './config.ts';

export type { Role };

export interface Identity {
  role: Role;
  subject: string;
  name?: string;
  creditCode?: string;
  agency?: string;
  province?: string;
}

export interface Session {
  token: string;
  expiresAt: string;
  identity: Identity;
  /** A development identity from `/local/token`: no provider session to end when signing out. */
  development?: boolean;
}

const sessionKey = 'campaign.session';
const pkceKey = 'campaign.pkce';
export const identityOf = (claims: Record<string, unknown>): Identity | undefined => {
  // `cognito:groups` is an array in a Cognito token and a flattened string in local ones.
  const role = parseGroups(claims['cognito:groups']).find((group): group is Role =>
    (roles as readonly string[]).includes(group),
  );
  if (!role || typeof claims.sub !== 'string') return undefined;
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : undefined);
  return {
    role,
    subject: claims.sub,
    name: text('name') ?? text('email'),
    creditCode: text('custom:creditCode'),
    agency: text('custom:agency'),
    province: text('custom:province'),
  };
};

/** The stored session, lapsed or not. */
const storedSession = (): Session | undefined => {
  try {
    return JSON.parse(sessionStorage.getItem(sessionKey) ?? 'null') ?? undefined;
  } catch {
    // A damaged entry is the same as none.
    return undefined;
  }
};

/** How long before its token lapses a session counts as ended: a request sent then would be refused. */
export const expiryMarginMs = 30_000;

export const currentSession = (): Session | undefined => {
  const session = storedSession();
  if (session && Date.parse(session.expiresAt) > Date.now() + expiryMarginMs) return session;
  sessionStorage.removeItem(sessionKey);
  return undefined;
};

const store = (
  token: string,
  claims: Record<string, unknown>,
  expiresAt: string,
  development?: boolean,
): Session => {
  const identity = identityOf(claims);
  if (!identity) throw new Error('The token names no campaign role');
  const session: Session = { token, expiresAt, identity, ...(development ? { development } : {}) };
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  return session;
};

export const clearSession = (): void => sessionStorage.removeItem(sessionKey);

export class SignInError extends Error {
  constructor(
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Local runtime only: a development token for the identity picked on the sign-in page. */
export const signInLocally = async (request: Record<string, string>): Promise<Session> => {
  const response = await fetch('/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    claims?: Record<string, unknown>;
    expiresAt?: string;
    error?: { message: string; details?: FieldIssue[] };
  };
  if (!response.ok || !body.token || !body.claims || !body.expiresAt) {
    throw new SignInError(body.error?.message ?? `HTTP ${response.status}`, body.error?.details ?? []);
  }
  return store(body.token, body.claims, body.expiresAt, true);
};

// --- An OpenID Connect provider: authorization code with PKCE (RFC 7636) -------------------------

/** A site that signs in at a provider: the Cognito hosted UI on AWS, the runtime's own provider locally. */
export type ProviderConfig = Extract<SiteConfig, { mode: 'cognito' | 'oidc' }>;

interface ProviderEndpoints {
  authorize: string;
  token: string;
  /** Where the browser goes to end the provider's session too, with the ID token it ends when there is one. */
  endSession: (idToken: string | undefined) => string;
}

const domainUrl = (domain: string): string =>
  (domain.startsWith('https://') ? domain : `https://${domain}`).replace(/\/+$/, '');

/**
 * The provider's endpoints. The hosted UI keeps them under its domain and has its own logout (by
 * client and return address); the local provider names them in its configuration and ends its session
 * the standard way (OpenID Connect RP-Initiated Logout).
 */
const endpointsOf = (config: ProviderConfig): ProviderEndpoints => {
  if (config.mode === 'cognito') {
    const domain = domainUrl(config.domain);
    return {
      authorize: `${domain}/oauth2/authorize`,
      token: `${domain}/oauth2/token`,
      endSession: () =>
        `${domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri })}`,
    };
  }
  return {
    authorize: config.authorizationEndpoint,
    token: config.tokenEndpoint,
    endSession: (idToken) =>
      `${config.endSessionEndpoint}?${new URLSearchParams({
        client_id: config.clientId,
        post_logout_redirect_uri: config.redirectUri,
        ...(idToken ? { id_token_hint: idToken } : {}),
      })}`,
  };
};

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** Sends the browser to the provider's sign-in page; it comes back to `redirectUri` with `?code=&state=`. */
export const beginProviderSignIn = async (config: ProviderConfig, returnTo: string): Promise<void> => {
  const verifier = randomText(48);
  const state = randomText(16);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: (config.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: base64url(digest),
  });
  window.location.assign(`${endpointsOf(config).authorize}?${query}`);
};

const decodeJwtPayload = (token: string): Record<string, unknown> => {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('malformed token');
  const padded = payload.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

/**
 * When the ID token lapses: its own `exp` (the API refuses it after that), else the lifetime the token
 * endpoint gave, which is the access token's and may be longer.
 */
const expiryOf = (claims: Record<string, unknown>, expiresIn: number | undefined): string => {
  const exp = Number(claims.exp);
  return new Date(
    Number.isFinite(exp) && exp > 0 ? exp * 1000 : Date.now() + (expiresIn ?? 3600) * 1000,
  ).toISOString();
};

/**
 * On the way back from the provider: checks `state`, exchanges the code for tokens and cleans the
 * address. Returns the route to continue to, or undefined when this is not a sign-in callback.
 * @throws SignInError when the provider reported an error or the exchange failed.
 */
export const completeProviderSignIn = async (config: ProviderConfig): Promise<string | undefined> => {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(pkceKey) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(pkceKey);
  const clean = `${window.location.pathname}${window.location.hash || '#/'}`;
  window.history.replaceState(null, '', clean);
  if (error) throw new SignInError(params.get('error_description') ?? error);
  if (!saved || saved.state !== params.get('state')) throw new SignInError('state mismatch');
  const response = await fetch(endpointsOf(config).token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: code ?? '',
      redirect_uri: config.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  const tokens = (await response.json().catch(() => ({}))) as {
    id_token?: string;
    expires_in?: number;
    error?: string;
  };
  if (!response.ok || !tokens.id_token) throw new SignInError(tokens.error ?? `HTTP ${response.status}`);
  const claims = decodeJwtPayload(tokens.id_token);
  store(tokens.id_token, claims, expiryOf(claims, tokens.expires_in));
  return saved.returnTo;
};

/** Ends the session in this tab and, where sign-in went through a provider, the provider's session too. */
export const signOut = (config: SiteConfig): void => {
  const session = storedSession();
  clearSession();
  if (config.mode !== 'local' && !session?.development)
    window.location.assign(endpointsOf(config).endSession(session?.token));
};
