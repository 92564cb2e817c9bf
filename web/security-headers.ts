/**
 * The security headers of every page, in one place: the local static handler sends them and the CDK
 * construct builds CloudFront's response headers policy from the same values. The CSP allows scripts
 * and styles from the site only (no inline script, no eval); `connect-src` adds the Cognito domain
 * when the hosted UI is used (the browser exchanges the code for tokens there).
 */

export interface CspOptions {
  /** Extra origins the browser may call, e.g. `https://campaign.auth.ap-east-1.amazoncognito.com`. */
  connectSources?: readonly string[];
  /** Ask the browser to upgrade http: subresources (on HTTPS only; the local runtime is plain HTTP). */
  upgradeInsecureRequests?: boolean;
}

export const contentSecurityPolicy = (options: CspOptions = {}): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // blob: for the previews of images chosen for upload, drawn from the local file.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(options.connectSources ?? [])].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

export const hstsMaxAgeSeconds = 2 * 365 * 24 * 60 * 60;

/** Header name (lower case) -> value, for every response of the static site. */
export const securityHeaders = (options: CspOptions = {}): Record<string, string> => ({
  'content-security-policy': contentSecurityPolicy(options),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': `max-age=${hstsMaxAgeSeconds}; includeSubDomains`,
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
});
