import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DevTokenIssuer } from '#infra/local/dev-tokens';

const secret = Buffer.from('a development token secret for unit tests');
const issuer = new DevTokenIssuer(secret);
const issuedAt = new Date('2026-03-01T08:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A token signed with the issuer's own secret, carrying exactly these claims. */
const signed = (claims: Record<string, unknown>) => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};

const adminClaims = {
  sub: 'local:admin:admin',
  'cognito:groups': 'campaign-admin',
  token_use: 'id',
  iss: 'fee-campaign-local',
  iat: String(seconds(issuedAt)),
};

describe('DevTokenIssuer', () => {
  it('accepts its own token until it expires', () => {
    // Arrange
    const { token, expiresAt } = issuer.issue({ role: 'campaign-admin' }, issuedAt);
    const lastSecond = new Date(new Date(expiresAt).getTime() - 1000);

    // Act
    const claims = issuer.verify(token, lastSecond);

    // Assert
    expect(claims).toMatchObject({
      'cognito:groups': 'campaign-admin',
      exp: String(seconds(new Date(expiresAt))),
    });
  });

  it('refuses its own token once it has expired', () => {
    // Arrange
    const { token, expiresAt } = issuer.issue({ role: 'campaign-admin' }, issuedAt);

    // Act
    const claims = issuer.verify(token, new Date(expiresAt));

    // Assert
    expect(claims).toBeUndefined();
  });

  it('refuses a correctly signed token without exp', () => {
    // Arrange
    const token = signed(adminClaims);

    // Act
    const claims = issuer.verify(token, issuedAt);

    // Assert
    expect(claims).toBeUndefined();
  });

  it.each([
    ['a word', 'never'],
    ['an empty string', ''],
    ['a number with a unit', '99999999999s'],
    ['a fraction', '99999999999.5'],
    ['a JSON number, not the string the issuer writes', 99_999_999_999],
  ])('refuses a correctly signed token whose exp is %s', (_what, exp) => {
    // Arrange
    const token = signed({ ...adminClaims, exp });

    // Act
    const claims = issuer.verify(token, issuedAt);

    // Assert
    expect(claims).toBeUndefined();
  });

  it('refuses a correctly signed token issued in the future', () => {
    // Arrange
    const later = seconds(issuedAt) + 3600;
    const token = signed({ ...adminClaims, iat: String(later), exp: String(later + 3600) });

    // Act
    const claims = issuer.verify(token, issuedAt);

    // Assert
    expect(claims).toBeUndefined();
  });

  it('refuses a correctly signed token without iat', () => {
    // Arrange
    const { iat: _iat, ...withoutIat } = adminClaims;
    const token = signed({ ...withoutIat, exp: String(seconds(issuedAt) + 3600) });

    // Act
    const claims = issuer.verify(token, issuedAt);

    // Assert
    expect(claims).toBeUndefined();
  });

  it('refuses a token signed with another secret', () => {
    // Arrange
    const other = new DevTokenIssuer(Buffer.from('someone else'));
    const { token } = other.issue({ role: 'campaign-admin' }, issuedAt);

    // Act
    const claims = issuer.verify(token, issuedAt);

    // Assert
    expect(claims).toBeUndefined();
  });
});
