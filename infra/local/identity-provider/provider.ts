/**
 * The local identity provider: oidc-provider (a certified OpenID Connect provider) mounted at `/oidc`
 * on the runtime's port, with accounts from the campaign's table and its artifacts stored there too.
 * It plays the Cognito user pool: one public client (`campaign-portal`, authorization code + PKCE),
 * ID tokens of one hour carrying Cognito's claims, sessions that end after a fixed time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { AccountStore } from '#infra/local/identity-provider/account-store';
import { identityInteractions } from '#infra/local/identity-provider/interactions';
import {
  errorPage,
  pageLanguage,
  signedOutPage,
  signOutPage,
  stylesheet,
} from '#infra/local/identity-provider/pages';
import { RegistrationStore } from '#infra/local/identity-provider/registrations';
import { TableOidcAdapter } from '#infra/local/identity-provider/table-adapter';
import type { AccountItem } from '#shared/adapters/dynamodb/account-items';
import type { EmailSender } from '#shared/deliver-notifications/ports';
import { securityHeaders } from '../../../web/security-headers.ts';

export const portalClientId = 'campaign-portal';
export const oidcMountPath = '/oidc';
/** Cognito's ID token lifetime. */
export const idTokenSeconds = 60 * 60;

/** The provider's keys, made once per data folder (kept in secrets.json). */
export interface IdentityProviderKeys {
  /** ES256 private JWK that signs ID tokens. */
  signingKey: JWK;
  /** Sign the provider's cookies. */
  cookieKeys: string[];
}

export const newSigningKey = async (): Promise<JWK> => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: crypto.randomUUID() };
};

export const publicJwk = ({ d: _private, ...key }: JWK): JWK => key;

export interface IdentityProviderOptions {
  port: number;
  client: DynamoDBDocumentClient;
  tableName: string;
  keys: IdentityProviderKeys;
  email: EmailSender;
  /** Absolute lifetime of a sign-in session and its refresh tokens (default 12 hours). */
  sessionSeconds?: number;
  log: (line: string) => void;
}

/** Cognito's claims of an account; `cognito:groups` a list as in Cognito's own token. */
export const cognitoClaims = (account: AccountItem): { sub: string; [claim: string]: unknown } => ({
  sub: account.userId,
  email: account.email,
  name: account.name,
  'cognito:groups': [account.role],
  ...(account.creditCode ? { 'custom:creditCode': account.creditCode } : {}),
  ...(account.agency ? { 'custom:agency': account.agency } : {}),
  ...(account.province ? { 'custom:province': account.province } : {}),
  ...(account.enterpriseId ? { 'custom:enterpriseId': account.enterpriseId } : {}),
});

const claimNames = [
  'sub',
  'token_use',
  'email',
  'name',
  'cognito:groups',
  'custom:creditCode',
  'custom:agency',
  'custom:province',
  'custom:enterpriseId',
];

/** Whether something issued at `issuedAtSeconds` predates the account's "sign out everywhere". */
const endedBySignOut = (account: AccountItem, issuedAtSeconds: number | undefined) =>
  account.sessionsEndedAt !== undefined &&
  issuedAtSeconds !== undefined &&
  issuedAtSeconds * 1000 <= Date.parse(account.sessionsEndedAt);

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface IdentityProvider {
  issuer: string;
  clientId: string;
  /** The public keys that verify ID tokens (the provider's JWKS). */
  jwks: { keys: JWK[] };
  accounts: AccountStore;
  /** Answers requests under `/oidc`; false for anything else. */
  handle: Handler;
  /** What `/config.json` says for a page loaded from `origin`. */
  siteConfig(origin: string, devTokens: boolean): Record<string, unknown>;
}

export const startIdentityProvider = (options: IdentityProviderOptions): IdentityProvider => {
  const issuer = `http://127.0.0.1:${options.port}${oidcMountPath}`;
  const sessionSeconds = options.sessionSeconds ?? 12 * 60 * 60;
  const accounts = new AccountStore(options.client, options.tableName);
  const portalOrigins = [`http://127.0.0.1:${options.port}`, `http://localhost:${options.port}`];
  const pageHeaders = { ...securityHeaders(), 'referrer-policy': 'same-origin', 'cache-control': 'no-store' };
  const html = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.set(pageHeaders);
    ctx.type = 'html';
    ctx.body = body;
  };
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  const configuration: Configuration = {
    adapter: (model: string) => new TableOidcAdapter(options.client, options.tableName, model),
    clients: [
      {
        client_id: portalClientId,
        client_name: '收费负担减轻专项行动门户',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: portalOrigins.map((origin) => `${origin}/`),
        post_logout_redirect_uris: portalOrigins.map((origin) => `${origin}/`),
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [options.keys.signingKey] },
    cookies: { keys: options.keys.cookieKeys },
    // Cognito puts every attribute in the ID token, whatever the scope.
    claims: { openid: claimNames },
    conformIdTokenClaims: false,
    findAccount: async (ctx, sub, token) => {
      const account = await accounts.get(sub);
      if (!account?.enabled || account.state === 'UNCONFIRMED') return undefined;
      const issuedAt = token ? token.iat : ctx.oidc.session?.loginTs;
      if (endedBySignOut(account, issuedAt)) return undefined;
      return {
        accountId: sub,
        claims: async (use) => ({
          ...cognitoClaims(account),
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
        }),
      };
    },
    // First-party portal: what it asks for is granted, without a consent page.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant =
        (grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined) ??
        new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope([...(ctx.oidc.requestParamScopes ?? ['openid'])].join(' '));
      grant.addOIDCClaims(claimNames);
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${oidcMountPath}/interaction/${interaction.uid}` },
    ttl: {
      IdToken: idTokenSeconds,
      AccessToken: idTokenSeconds,
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: sessionSeconds,
      Grant: sessionSeconds,
      // Rotated refresh tokens keep the session's absolute end: counted from the first sign-in.
      RefreshToken: (_ctx, token) =>
        Math.max(1, sessionSeconds - (nowSeconds() - (token.iiat ?? token.iat ?? nowSeconds()))),
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => html(ctx, signOutPage(pageLanguage(ctx.req), form)),
        postLogoutSuccessSource: async (ctx) => html(ctx, signedOutPage(pageLanguage(ctx.req))),
      },
    },
    renderError: async (ctx, out) =>
      html(ctx, errorPage(pageLanguage(ctx.req), out.error_description ?? out.error ?? '')),
  };

  const provider = new Provider(issuer, configuration);
  // A fault of the provider itself, never a refused sign-in (those are answers, not errors).
  provider.on('server_error', (_ctx, error) => options.log(`Sign-in error    ${String(error)}`));
  const callback = provider.callback();
  const interactions = identityInteractions({
    provider,
    accounts,
    registrations: new RegistrationStore(options.client, options.tableName),
    email: options.email,
    pageHeaders,
  });

  const handle: Handler = async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== oidcMountPath && !path.startsWith(`${oidcMountPath}/`)) return false;
    if (path === `${oidcMountPath}/assets/style.css`) {
      res.writeHead(200, { ...securityHeaders(), 'content-type': 'text/css; charset=utf-8' });
      res.end(stylesheet);
      return true;
    }
    if (await interactions(req, res)) return true;
    // Mounted as express mounts it: the provider sees its own path and finds its mount in originalUrl.
    Object.assign(req, { originalUrl: req.url, url: req.url?.slice(oidcMountPath.length) || '/' });
    await callback(req, res);
    return true;
  };

  return {
    issuer,
    clientId: portalClientId,
    jwks: { keys: [publicJwk(options.keys.signingKey)] },
    accounts,
    handle,
    siteConfig: (origin, devTokens) => ({
      mode: 'oidc',
      issuer,
      authorizationEndpoint: `${origin}${oidcMountPath}/auth`,
      tokenEndpoint: `${origin}${oidcMountPath}/token`,
      endSessionEndpoint: `${origin}${oidcMountPath}/session/end`,
      clientId: portalClientId,
      redirectUri: `${origin}/`,
      devTokens,
    }),
  };
};
