/**
 * Development tokens of enterprise accounts: test-only identities for the ownership rule
 * (docs/data-model.md, "Ownership"), several accounts of one credit code, linked or not.
 */
import { describe, expect, it } from 'vitest';
import { DevTokenIssuer } from '#infra/local/dev-tokens';
import { principalFromClaims } from '#shared/http/principal';

const issuer = new DevTokenIssuer(Buffer.from('a development token secret for unit tests'));
const creditCode = '91110000MA0000001L';

const principalOf = (request: Record<string, unknown>) =>
  principalFromClaims(issuer.issue({ role: 'enterprise', creditCode, ...request }).claims);

describe('DevTokenIssuer for enterprise accounts', () => {
  it('signs a request without an account in as the credit code, the key of what was filed before accounts', () => {
    // Arrange, Act
    const principal = principalOf({});

    // Assert
    expect(principal).toEqual({
      role: 'enterprise',
      subject: `local:enterprise:${creditCode}`,
      creditCode,
      enterpriseId: creditCode,
    });
  });

  it('gives another account of the credit code a subject and an account key of its own', () => {
    // Arrange, Act
    const [first, second] = [principalOf({ account: 'first' }), principalOf({ account: 'second' })];

    // Assert
    expect(first).toMatchObject({ subject: `local:enterprise:${creditCode}:first`, creditCode });
    expect(second).toMatchObject({ subject: `local:enterprise:${creditCode}:second`, creditCode });
    expect(first).toHaveProperty('enterpriseId', `local:enterprise:${creditCode}:first`);
    expect(second).toHaveProperty('enterpriseId', `local:enterprise:${creditCode}:second`);
  });

  it('links an account to another as an admin would, through custom:enterpriseId', () => {
    // Arrange, Act
    const linked = principalOf({ account: 'linked', enterpriseId: `local:enterprise:${creditCode}:first` });

    // Assert
    expect(linked).toMatchObject({
      subject: `local:enterprise:${creditCode}:linked`,
      enterpriseId: `local:enterprise:${creditCode}:first`,
    });
  });

  it('refuses an account name that could split a table key', () => {
    // Arrange, Act
    const issuing = () => issuer.issue({ role: 'enterprise', creditCode, account: 'a#b' });

    // Assert
    expect(issuing).toThrow();
  });
});
