/**
 * Development tokens for the local runtime: HS256 JWTs whose claims are the ones the Cognito
 * authorizer hands to the handlers on AWS (`cognito:groups`, `custom:*`, every value a string).
 * This exists only locally; on AWS, Cognito signs in real users.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CreditCode, RegulatorProvince } from '#shared/domain/credit-code';
import { agencies } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';

/** A test identity's name for an account or an enterprise: a few safe characters, never a key separator. */
const AccountName = z.string().check(z.regex(/^[A-Za-z0-9:_-]{1,100}$/));

export const TokenRequest = z.discriminatedUnion('role', [
  z.strictObject({
    role: z.literal('enterprise'),
    creditCode: CreditCode,
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** Another account of the same credit code: its own subject, its own complaints. */
    account: z.optional(AccountName),
    /** `custom:enterpriseId`, as an admin's link sets it: accounts given the same one share complaints. */
    enterpriseId: z.optional(AccountName),
  }),
  z.strictObject({
    role: z.literal('association'),
    creditCode: CreditCode,
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
  z.strictObject({
    role: z.literal('regulator'),
    agency: z.enum(agencies),
    province: RegulatorProvince,
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
  z.strictObject({
    role: z.literal('campaign-admin'),
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
]);
export type TokenRequest = z.infer<typeof TokenRequest>;

const tokenLifetimeSeconds = 12 * 60 * 60;
const issuer = 'fee-campaign-local';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export class DevTokenIssuer {
  constructor(private readonly secret: Buffer) {}

  private sign(data: string): Buffer {
    return createHmac('sha256', this.secret).update(data).digest();
  }

  issue(
    body: unknown,
    now = new Date(),
  ): { token: string; claims: Record<string, string>; expiresAt: string } {
    const request = parseWith(TokenRequest, body, 'token request');
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + tokenLifetimeSeconds;
    const account = request.role === 'enterprise' && request.account ? `:${request.account}` : '';
    const subject =
      request.role === 'regulator'
        ? `local:regulator:${request.agency}:${request.province}:${request.name ?? 'officer'}`
        : request.role === 'campaign-admin'
          ? `local:admin:${request.name ?? 'admin'}`
          : `local:${request.role}:${request.creditCode}${account}`;
    const claims: Record<string, string> = {
      sub: subject,
      'cognito:groups': request.role,
      token_use: 'id',
      iss: issuer,
      iat: String(iat),
      exp: String(exp),
      ...(request.name ? { name: request.name } : {}),
      ...('creditCode' in request ? { 'custom:creditCode': request.creditCode } : {}),
      ...(request.role === 'enterprise'
        ? { 'custom:enterpriseId': enterpriseIdOfToken(request, subject) }
        : {}),
      ...(request.role === 'regulator'
        ? { 'custom:agency': request.agency, 'custom:province': request.province }
        : {}),
    };
    const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
    return {
      token: `${unsigned}.${base64url(this.sign(unsigned))}`,
      claims,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The claims of a valid, unexpired token; undefined for anything else. */
  verify(token: string, now = new Date()): Record<string, string> | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const expected = this.sign(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (!isClaims(claims) || claims.iss !== issuer) return undefined;
      const expires = epochSeconds(claims.exp);
      const issued = epochSeconds(claims.iat);
      const nowSeconds = now.getTime() / 1000;
      // A missing or malformed time is refused, never read as "no limit".
      if (expires === undefined || issued === undefined) return undefined;
      if (expires <= nowSeconds || issued > nowSeconds) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}

/**
 * An enterprise token's account key: the one asked for; an account's own subject; and without either,
 * the credit code, the key that owns what was filed before accounts (docs/data-model.md, "Ownership").
 */
const enterpriseIdOfToken = (
  request: Extract<TokenRequest, { role: 'enterprise' }>,
  subject: string,
): string => request.enterpriseId ?? (request.account ? subject : request.creditCode);

/** Claims as the issuer writes them (and the Cognito authorizer hands them on): every value a string. */
const isClaims = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((claim) => typeof claim === 'string');

/** Whole seconds since the epoch, written as the issuer writes them; undefined for anything else. */
const epochSeconds = (claim: string | undefined): number | undefined =>
  claim !== undefined && /^\d{1,12}$/.test(claim) ? Number(claim) : undefined;
