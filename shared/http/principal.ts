/**
 * Who is calling, read from the Cognito authorizer's claims (on AWS and, with the same strings, from
 * the local API gateway). Identity and tenancy come from here, never from a request body.
 */
import { RegulatorProvince } from '#shared/domain/credit-code';
import { ForbiddenRoleError, UnauthenticatedError } from '#shared/domain/errors';
import { type Agency, agencies, type Principal, type Role, roles } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';

export const anonymous: Principal = { role: 'anonymous' };

const creditCodeClaim = z.string().check(z.regex(/^[0-9A-HJ-NP-RTUWXY]{18}$/));
const subjectClaim = z.string().check(z.minLength(1));
const ClaimsByRole = {
  enterprise: z.object({
    sub: subjectClaim,
    'custom:creditCode': creditCodeClaim,
    'custom:enterpriseId': z.optional(subjectClaim),
  }),
  association: z.object({ sub: subjectClaim, 'custom:creditCode': creditCodeClaim }),
  regulator: z.object({
    sub: subjectClaim,
    'custom:agency': z.enum(agencies),
    // A real province-level division or 00: `99` would be an inbox nobody else can reach.
    'custom:province': RegulatorProvince,
  }),
  'campaign-admin': z.object({ sub: subjectClaim }),
} as const;

/** `cognito:groups` arrives flattened into one string: `a,b` or `[a b]`. */
export const parseGroups = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

export const principalFromClaims = (claims: Record<string, unknown> | null | undefined): Principal => {
  if (!claims) return anonymous;
  const groups = parseGroups(claims['cognito:groups']).filter((g): g is Role =>
    (roles as readonly string[]).includes(g),
  );
  if (groups.length !== 1) throw new UnauthenticatedError('The token must name exactly one campaign role');
  const role = groups[0] as Role;
  const parsed = ClaimsByRole[role].safeParse(claims);
  if (!parsed.success) throw new UnauthenticatedError(`The token lacks the claims of the ${role} role`);
  const c = parsed.data as Record<string, string>;
  const subject = c.sub as string;
  switch (role) {
    case 'enterprise':
      return {
        role,
        subject,
        creditCode: c['custom:creditCode'] as string,
        enterpriseId: c['custom:enterpriseId'] ?? subject,
      };
    case 'association':
      return { role, subject, creditCode: c['custom:creditCode'] as string };
    case 'regulator':
      return {
        role,
        subject,
        agency: c['custom:agency'] as Agency,
        province: c['custom:province'] as string,
      };
    case 'campaign-admin':
      return { role, subject };
  }
};

/** Narrows the caller to one role; the route table has already refused the others. */
export const requireRole = <R extends Exclude<Principal['role'], 'anonymous'>>(
  principal: Principal,
  role: R,
): Extract<Principal, { role: R }> => {
  if (principal.role !== role) throw new ForbiddenRoleError(`Only the ${role} role may do this`);
  return principal as Extract<Principal, { role: R }>;
};
