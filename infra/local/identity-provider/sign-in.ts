/**
 * Signing an account in through the local provider by plain HTTP, as a browser would: the
 * authorization request with PKCE, the provider's forms, the redirects, then the code for tokens.
 * `npm run token` and the tests use it; the portal does the same in the browser.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface ProviderTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

export class SignInRefusedError extends Error {
  override name = 'SignInRefusedError';
  constructor(
    readonly reason: 'credentials' | 'password_change_required' | 'unexpected_answer',
    message: string,
  ) {
    super(message);
  }
}

const clientId = 'campaign-portal';
const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** One browser's visit to the provider: its cookies, its PKCE verifier, where it stands. */
export class ProviderVisit {
  private readonly cookies = new Map<string, string>();
  private readonly verifier = base64url(randomBytes(32));
  private readonly redirectUri: string;
  /** The interaction's path (`/oidc/interaction/<uid>`) once the provider asked for one. */
  interaction = '';

  constructor(private readonly url: string) {
    this.redirectUri = `${url}/`;
  }

  private async request(target: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(target, this.url), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** The authorization request; answers the interaction's path. */
  async start(): Promise<string> {
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: 'openid',
      code_challenge: base64url(createHash('sha256').update(this.verifier).digest()),
      code_challenge_method: 'S256',
      state: base64url(randomBytes(16)),
      nonce: base64url(randomBytes(16)),
    });
    const response = await this.request(`/oidc/auth?${query}`);
    const location = response.headers.get('location');
    if (!location)
      throw new SignInRefusedError('unexpected_answer', `The provider answered ${response.status}`);
    this.interaction = new URL(location, this.url).pathname;
    return this.interaction;
  }

  async get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Posts one of the interaction's forms (a step such as `login`), as its page would. */
  async submit(step: string, fields: Record<string, string>): Promise<Response> {
    return this.post(`${this.interaction}/${step}`, fields);
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.url },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows the provider's redirects from `response` back to the portal, then trades the code. */
  async finish(response: Response): Promise<ProviderTokens> {
    let answer = response;
    for (let hops = 0; hops < 10; hops++) {
      const location = answer.headers.get('location');
      if (!location) break;
      const next = new URL(location, this.url);
      const code = next.searchParams.get('code');
      if (code && `${next.origin}${next.pathname}` === this.redirectUri) return this.exchange(code);
      answer = await this.request(next.href);
    }
    const page = await answer.text();
    if (page.includes('/password?'))
      throw new SignInRefusedError('password_change_required', 'Set a new password first');
    throw new SignInRefusedError(
      page.includes('<form') ? 'credentials' : 'unexpected_answer',
      `Sign-in refused (${answer.status})`,
    );
  }

  private async exchange(code: string): Promise<ProviderTokens> {
    const response = await this.request('/oidc/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.redirectUri,
        client_id: clientId,
        code_verifier: this.verifier,
      }).toString(),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok || typeof body.id_token !== 'string')
      throw new SignInRefusedError('unexpected_answer', `The token endpoint answered ${response.status}`);
    return {
      idToken: body.id_token,
      accessToken: String(body.access_token),
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
      expiresIn: Number(body.expires_in),
    };
  }
}

export interface SignInOptions {
  /** The runtime, e.g. `http://127.0.0.1:3000`. */
  url: string;
  email: string;
  password: string;
  /** Set this password when the account still has a temporary one. */
  newPassword?: string;
}

/** Signs the account in; rejects with SignInRefusedError. */
export const signIn = async (options: SignInOptions): Promise<ProviderTokens> => {
  const visit = new ProviderVisit(options.url);
  await visit.start();
  let answer = await visit.submit('login', { email: options.email, password: options.password });
  if (answer.status === 200 && options.newPassword) {
    const page = await answer.text();
    if (page.includes('/password?'))
      answer = await visit.submit('password', {
        password: options.newPassword,
        confirm: options.newPassword,
      });
  }
  return visit.finish(answer);
};
