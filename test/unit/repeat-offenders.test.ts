import { describe, expect, it } from 'vitest';
import { ForbiddenRoleError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import {
  associationContribution,
  associationFiguresOf,
  compareRank,
  positionOf,
} from '#shared/metrics/association-figures';
import { counterDelta } from '#shared/metrics/counters';
import { rankingProvinceFor } from '#shared/metrics/rank-associations';
import { type AbolishedFee, type ChargedFee, isRecurrence, recurrencesOf } from '#shared/metrics/recurrences';
import { aFeeCase } from '#test/support/fakes/records';

const code = '51110000MJ0000003F';
const openCase: FeeCase = aFeeCase({
  feeKey: `FEEKEY#${code}#MEMBERSHIP_DUES#dues`,
  association: { name: 'Assoc', creditCode: code, province: '11' },
  fee: {
    name: 'Dues',
    category: 'MEMBERSHIP_DUES',
    amountFen: 500_000,
    chargedOn: '2026-03-01',
    period: 'ANNUAL',
  },
  openedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});
const abolishedCase: FeeCase = {
  ...openCase,
  stage: 'CLOSED',
  outcome: 'ABOLISHED',
  refundedFen: 400_000,
  enterprisesHelped: 2,
  closedAt: '2026-11-21T00:00:00.000Z',
};

const family = { family: code, category: 'MEMBERSHIP_DUES' as const, feeName: 'dues' };
const abolished: AbolishedFee = {
  ...family,
  creditCode: code,
  caseId: 'a',
  closedAt: '2024-03-01T08:00:00.000Z',
};
const chargedAt = (openedAt: string, creditCode = code): ChargedFee => ({
  ...family,
  creditCode,
  caseId: 'b',
  openedAt,
});

describe('associationContribution', () => {
  it('counts a closed complaint case under its association: case, outcome, refund, enterprises helped', () => {
    expect(associationContribution(abolishedCase)).toEqual({
      [`ASSOCIATION_FIGURES#${code}`]: {
        cases: 1,
        'outcome.ABOLISHED': 1,
        refundedFen: 400_000,
        enterprisesHelped: 2,
      },
    });
  });

  it('counts a self-inspection case apart from complaint cases', () => {
    const figures = associationFiguresOf(
      { creditCode: code, name: 'Assoc', province: '11', registered: true, memberCount: 50 },
      associationContribution({ ...abolishedCase, origin: 'SELF_INSPECTION' })[
        `ASSOCIATION_FIGURES#${code}`
      ] ?? {},
    );

    expect(figures).toMatchObject({
      cases: 0,
      abolishedFees: 0,
      selfInspection: { cases: 1, abolishedFees: 1 },
    });
  });

  it('counts nothing for a case whose association has no credit code', () => {
    expect(associationContribution({ ...openCase, association: { name: 'Assoc', province: '11' } })).toEqual(
      {},
    );
  });

  it('moves nothing when a complaint joins a case, so a hot fee leaves its association item quiet', () => {
    const joined = { ...openCase, complaintCount: 500, enterpriseCount: 480, claimedFen: 90_000_000 };

    expect(counterDelta(associationContribution(openCase), associationContribution(joined))).toEqual({});
  });
});

describe('isRecurrence', () => {
  it('holds for a case opened exactly 730 days after the abolishing case closed', () => {
    expect(isRecurrence(abolished, chargedAt('2026-03-01T08:00:00.000Z'))).toBe(true);
  });

  it('does not hold a millisecond after 730 days', () => {
    expect(isRecurrence(abolished, chargedAt('2026-03-01T08:00:00.001Z'))).toBe(false);
  });

  it('does not hold for a case opened before the abolition', () => {
    expect(isRecurrence(abolished, chargedAt('2024-03-01T07:59:59.999Z'))).toBe(false);
  });

  it('does not hold for the abolishing case itself', () => {
    expect(isRecurrence(abolished, { ...chargedAt('2024-03-02T00:00:00.000Z'), caseId: 'a' })).toBe(false);
  });
});

describe('recurrencesOf', () => {
  it('gives one recurrence per kind, each against the latest abolition of its kind', () => {
    const sibling: AbolishedFee = {
      ...abolished,
      caseId: 'c',
      creditCode: 'S',
      closedAt: '2024-06-01T00:00:00.000Z',
    };
    const earlier: AbolishedFee = { ...abolished, caseId: 'd', closedAt: '2023-01-01T00:00:00.000Z' };

    const found = recurrencesOf(chargedAt('2025-01-01T00:00:00.000Z'), [earlier, sibling, abolished]);

    expect(found.map((recurrence) => [recurrence.kind, recurrence.abolished.caseId])).toEqual([
      ['SAME_ASSOCIATION', 'a'],
      ['OTHER_BRANCH', 'c'],
    ]);
  });
});

describe('compareRank', () => {
  const at = (figure: number | null, cases: number, creditCode: string) => ({ figure, cases, creditCode });

  it('ranks higher figures first, then more cases, then by credit code', () => {
    const ranked = [at(1, 1, 'B'), at(2, 1, 'C'), at(1, 3, 'D'), at(1, 1, 'A')].sort(compareRank);

    expect(ranked.map((position) => position.creditCode)).toEqual(['C', 'D', 'A', 'B']);
  });

  it('ranks an association without a member count after every known figure per 1,000 members', () => {
    const profile = { name: 'x', province: '11', registered: true };
    const unknown = associationFiguresOf({ ...profile, creditCode: 'U' }, { cases: 40 });
    const known = associationFiguresOf({ ...profile, creditCode: 'K', memberCount: 10_000 }, { cases: 1 });

    const ranked = [unknown, known]
      .map((figures) => positionOf(figures, 'perThousandMembers'))
      .sort(compareRank)
      .map((position) => [position.creditCode, position.figure]);

    expect(ranked).toEqual([
      ['K', 0.1],
      ['U', null],
    ]);
  });
});

describe('rankingProvinceFor', () => {
  const regulator = (province: string) => ({
    role: 'regulator' as const,
    subject: 's',
    agency: 'MCA' as const,
    province,
  });

  it('keeps a provincial regulator to its own province', () => {
    expect(rankingProvinceFor(regulator('44'), undefined)).toBe('44');
    expect(() => rankingProvinceFor(regulator('44'), '11')).toThrow(ForbiddenRoleError);
  });

  it('lets a national regulator and a campaign admin rank everywhere or one province', () => {
    expect(rankingProvinceFor(regulator('00'), undefined)).toBeUndefined();
    expect(rankingProvinceFor({ role: 'campaign-admin', subject: 'a' }, '11')).toBe('11');
  });

  it('refuses associations and enterprises', () => {
    expect(() =>
      rankingProvinceFor({ role: 'association', subject: 's', creditCode: code }, undefined),
    ).toThrow(ForbiddenRoleError);
  });
});
