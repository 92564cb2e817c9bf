import { describe, expect, it } from 'vitest';
import { type EvidenceContext, type EvidencePurpose, mayReadEvidence } from '#shared/domain/evidence';
import type { Principal } from '#shared/domain/principal';

const FILER = '91110000MA0000001X';
const OTHER_COMPLAINANT = '91110000MA0000002X';
const ASSOCIATION = '51110000MJ0000000X';

const feeCase = {
  agency: 'MCA',
  province: '11',
  association: { name: 'Beijing Widget Association', creditCode: ASSOCIATION, province: '11' },
} as const;

const context = (overrides: Partial<EvidenceContext> = {}): EvidenceContext => ({
  feeCase,
  complainants: ['filer', 'other'],
  filedBy: { enterpriseId: 'filer', discloseIdentityToAssociation: false },
  ...overrides,
});

const filer: Principal = { role: 'enterprise', subject: 'filer', creditCode: FILER, enterpriseId: 'filer' };
const otherComplainant: Principal = {
  role: 'enterprise',
  subject: 'other',
  creditCode: OTHER_COMPLAINANT,
  enterpriseId: 'other',
};
const stranger: Principal = {
  role: 'enterprise',
  subject: 'stranger',
  creditCode: '91440000MA0000003X',
  enterpriseId: 'stranger',
};
/** A second account of the filer's credit code, not linked to the filer's. */
const sameCodeAccount: Principal = {
  role: 'enterprise',
  subject: 'second',
  creditCode: FILER,
  enterpriseId: 'second',
};
const association: Principal = { role: 'association', subject: 'assoc', creditCode: ASSOCIATION };
const otherAssociation: Principal = {
  role: 'association',
  subject: 'assoc2',
  creditCode: '51440000MJ0000000X',
};
const regulator: Principal = { role: 'regulator', subject: 'reg', agency: 'MCA', province: '11' };
const nationalRegulator: Principal = { role: 'regulator', subject: 'nat', agency: 'MCA', province: '00' };
const otherProvince: Principal = { role: 'regulator', subject: 'reg44', agency: 'MCA', province: '44' };
const otherAgency: Principal = { role: 'regulator', subject: 'samr', agency: 'SAMR', province: '11' };
const admin: Principal = { role: 'campaign-admin', subject: 'admin' };
const anonymous: Principal = { role: 'anonymous' };

const reads = (principal: Principal, purpose: EvidencePurpose, overrides?: Partial<EvidenceContext>) =>
  mayReadEvidence(principal, { purpose }, context(overrides));

describe('mayReadEvidence', () => {
  describe("a complainant's file (COMPLAINT, INFO)", () => {
    it.each(['COMPLAINT', 'INFO'] as const)('lets the complainant who filed read its %s file', (purpose) => {
      // Arrange, Act
      const allowed = reads(filer, purpose);

      // Assert
      expect(allowed).toBe(true);
    });

    it.each(['COMPLAINT', 'INFO'] as const)('keeps the %s file from other complainants', (purpose) => {
      // Arrange, Act
      const allowed = reads(otherComplainant, purpose);

      // Assert
      expect(allowed).toBe(false);
    });

    it.each(['COMPLAINT', 'INFO'] as const)(
      'keeps the %s file from another account of the same credit code',
      (purpose) => {
        // Arrange, Act
        const allowed = reads(sameCodeAccount, purpose);

        // Assert
        expect(allowed).toBe(false);
      },
    );

    it('keeps it from the association when the complainant did not disclose its identity', () => {
      // Arrange, Act
      const allowed = reads(association, 'COMPLAINT');

      // Assert
      expect(allowed).toBe(false);
    });

    it('lets the association read it when the complainant disclosed its identity', () => {
      // Arrange
      const disclosed = { filedBy: { enterpriseId: 'filer', discloseIdentityToAssociation: true } };

      // Act
      const allowed = reads(association, 'INFO', disclosed);

      // Assert
      expect(allowed).toBe(true);
    });

    it('keeps a disclosed file from an association of another case', () => {
      // Arrange
      const disclosed = { filedBy: { enterpriseId: 'filer', discloseIdentityToAssociation: true } };

      // Act
      const allowed = reads(otherAssociation, 'COMPLAINT', disclosed);

      // Assert
      expect(allowed).toBe(false);
    });
  });

  describe("the association's file (RECTIFICATION)", () => {
    it('lets the association of the case read it', () => {
      // Arrange, Act
      const allowed = reads(association, 'RECTIFICATION');

      // Assert
      expect(allowed).toBe(true);
    });

    it.each([
      ['the complainant who filed', filer],
      ['another complainant', otherComplainant],
      ['another association', otherAssociation],
    ])('keeps it from %s', (_who, principal) => {
      // Arrange, Act
      const allowed = reads(principal, 'RECTIFICATION');

      // Assert
      expect(allowed).toBe(false);
    });
  });

  describe("an official's file (DECISION)", () => {
    it.each([
      ['the complainant who filed', filer],
      ['another complainant', otherComplainant],
    ])('lets %s read it', (_who, principal) => {
      // Arrange, Act
      const allowed = reads(principal, 'DECISION');

      // Assert
      expect(allowed).toBe(true);
    });

    it('keeps it from an enterprise that filed nothing on the case', () => {
      // Arrange, Act
      const allowed = reads(stranger, 'DECISION');

      // Assert
      expect(allowed).toBe(false);
    });

    it('lets the association read it when the decision ordered rectification', () => {
      // Arrange, Act
      const allowed = reads(association, 'DECISION', { orderedRectification: true });

      // Assert
      expect(allowed).toBe(true);
    });

    it('keeps it from the association when the decision ordered nothing', () => {
      // Arrange, Act
      const allowed = reads(association, 'DECISION', { orderedRectification: false });

      // Assert
      expect(allowed).toBe(false);
    });
  });

  describe('officials', () => {
    it.each(['COMPLAINT', 'INFO', 'RECTIFICATION', 'DECISION'] as const)(
      'lets regulators with jurisdiction, national ones and campaign admins read a %s file',
      (purpose) => {
        // Arrange, Act
        const allowed = [regulator, nationalRegulator, admin].map((principal) => reads(principal, purpose));

        // Assert
        expect(allowed).toEqual([true, true, true]);
      },
    );

    it.each(['COMPLAINT', 'INFO', 'RECTIFICATION', 'DECISION'] as const)(
      'keeps a %s file from regulators of another province or agency',
      (purpose) => {
        // Arrange, Act
        const allowed = [otherProvince, otherAgency].map((principal) => reads(principal, purpose));

        // Assert
        expect(allowed).toEqual([false, false]);
      },
    );
  });

  it('keeps every file from anonymous callers', () => {
    // Arrange
    const purposes = ['COMPLAINT', 'INFO', 'RECTIFICATION', 'DECISION'] as const;

    // Act
    const allowed = purposes.map((purpose) => reads(anonymous, purpose, { orderedRectification: true }));

    // Assert
    expect(allowed).toEqual([false, false, false, false]);
  });
});
