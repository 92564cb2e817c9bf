/**
 * Who is signed in. Locally a development identity from `POST /local/token`; on AWS the Cognito hosted
 * UI with the authorization-code flow and PKCE (no client secret in the browser). The ID token is the
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

export const currentSession = (): Session | undefined => {
  const stored = sessionStorage.getItem(sessionKey);
  if (!stored) return undefined;
  try {
    const session = JSON.parse(stored) as Session;
    if (Date.parse(session.expiresAt) > Date.now() + 30_000) return session;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(sessionKey);
  return undefined;
};

const store = (token: string, claims: Record<string, unknown>, expiresAt: string): Session => {
  const identity = identityOf(claims);
  if (!identity) throw new Error('The token names no campaign role');
  const session = { token, expiresAt, identity };
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
  return store(body.token, body.claims, body.expiresAt);
};

// --- Cognito hosted UI: authorization code with PKCE (RFC 7636) -----------------------------------

type CognitoConfig = Extract<SiteConfig, { mode: 'cognito' }>;

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

const domainUrl = (config: CognitoConfig): string =>
  (config.domain.startsWith('https://') ? config.domain : `https://${config.domain}`).replace(/\/+$/, '');

/** Sends the browser to the hosted UI; it comes back to `redirectUri` with `?code=&state=`. */
export const beginCognitoSignIn = async (config: CognitoConfig, returnTo: string): Promise<void> => {
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
  window.location.assign(`${domainUrl(config)}/oauth2/authorize?${query}`);
};

const decodeJwtPayload = (token: string): Record<string, unknown> => {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('malformed token');
  const padded = payload.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

/**
 * On the way back from the hosted UI: checks `state`, exchanges the code for tokens and cleans the
 * address. Returns the route to continue to, or undefined when this is not a sign-in callback.
 * @throws SignInError when the hosted UI reported an error or the exchange failed.
 */
export const completeCognitoSignIn = async (config: CognitoConfig): Promise<string | undefined> => {
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
  const response = await fetch(`${domainUrl(config)}/oauth2/token`, {
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
  const expiresAt = new Date(Date.now() + (tokens.expires_in ?? 3600) * 1000).toISOString();
  store(tokens.id_token, claims, expiresAt);
  return saved.returnTo;
};

export const signOut = (config: SiteConfig): void => {
  clearSession();
  if (config.mode === 'cognito') {
    const query = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
    window.location.assign(`${domainUrl(config)}/logout?${query}`);
  }
};
