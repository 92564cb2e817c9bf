/**
 * How the site signs people in, read from `/config.json` (the local runtime serves its provider's
 * settings, `{mode: 'local'}` when it has none; the CDK construct deploys the Cognito settings). A
 * page may also set `window.CAMPAIGN_CONFIG` from a script file of its own; inline scripts are not
 * allowed by the CSP.
 */
export type SiteConfig =
  | { mode: 'local' }
  | {
      /**
       * The local runtime's OpenID Connect provider (issuer `<origin>/oidc`): the same authorization
       * code + PKCE flow as the Cognito hosted UI, with the provider's own endpoints.
       */
      mode: 'oidc';
      issuer: string;
      authorizationEndpoint: string;
      tokenEndpoint: string;
      endSessionEndpoint: string;
      clientId: string;
      redirectUri: string;
      /** What the portal asks the provider for; `openid email profile` unless given. */
      scopes?: string[];
      /** The runtime was started with LOCAL_DEV_TOKENS=1: the sign-in page also offers development identities. */
      devTokens?: boolean;
    }
  | {
      mode: 'cognito';
      /** Hosted UI domain, e.g. `campaign.auth.ap-east-1.amazoncognito.com` or `https://login.example.cn`. */
      domain: string;
      clientId: string;
      /** Where Cognito sends the browser back: the site's root URL, registered on the app client. */
      redirectUri: string;
      scopes?: string[];
    };

declare global {
  interface Window {
    CAMPAIGN_CONFIG?: SiteConfig;
  }
}

const isConfig = (value: unknown): value is SiteConfig => {
  if (!value || typeof value !== 'object') return false;
  const config = value as Record<string, unknown>;
  if (config.mode === 'local') return true;
  if (config.mode === 'oidc')
    return [
      'issuer',
      'authorizationEndpoint',
      'tokenEndpoint',
      'endSessionEndpoint',
      'clientId',
      'redirectUri',
    ].every((key) => typeof config[key] === 'string');
  return (
    config.mode === 'cognito' &&
    typeof config.domain === 'string' &&
    typeof config.clientId === 'string' &&
    typeof config.redirectUri === 'string'
  );
};

export const loadConfig = async (): Promise<SiteConfig> => {
  if (isConfig(window.CAMPAIGN_CONFIG)) return window.CAMPAIGN_CONFIG;
  try {
    const response = await fetch('/config.json', { cache: 'no-cache', credentials: 'same-origin' });
    if (response.ok) {
      const config: unknown = await response.json();
      if (isConfig(config)) return config;
      throw new Error('config.json is not a site configuration');
    }
  } catch (error) {
    console.warn('No usable /config.json; using local sign-in', error);
  }
  return { mode: 'local' };
};
