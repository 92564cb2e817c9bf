import { describe, expect, it } from 'vitest';
import type { ComplaintFacts, Fee, FeeCategory } from '#shared/domain/complaint';
import { classifyFee } from '#shared/rulebook/evaluate';
import { type ClassificationInput, type Rulebook, rulebook, sources } from '#shared/rulebook/rules';

const AMOUNT_FEN = 100_000;

/** A fee that fires no rule by itself. */
function input(
  overrides: { fee?: Partial<Fee>; facts?: ComplaintFacts; category?: FeeCategory } = {},
): ClassificationInput {
  return {
    fee: {
      name: '服务费',
      category: overrides.category ?? 'MARKET_SERVICE',
      amountFen: AMOUNT_FEN,
      chargedOn: '2026-01-10',
      period: 'ONE_OFF',
      ...overrides.fee,
    },
    facts: overrides.facts ?? {},
  };
}

const matchedIds = (classification: ReturnType<typeof classifyFee>): string[] =>
  classification.rules.map((rule) => rule.id);

/** Each rule on a case that fires it alone, and on a near miss that fires nothing. */
const cases: [id: string, fires: ClassificationInput, nearMiss: ClassificationInput][] = [
  ['R01', input({ facts: { forcedMembership: true } }), input({ facts: { forcedMembership: false } })],
  ['R02', input({ facts: { governmentLinked: true } }), input({ facts: { governmentLinked: false } })],
  ['R03', input({ category: 'RATING_AWARD' }), input({ category: 'OTHER' })],
  [
    'R04',
    input({ category: 'QUALIFICATION_CERTIFICATION', facts: { compulsory: true } }),
    input({ category: 'QUALIFICATION_CERTIFICATION', facts: { compulsory: false } }),
  ],
  ['R05', input({ facts: { serviceProvided: 'NO' } }), input({ facts: { serviceProvided: 'PARTIAL' } })],
  ['R06', input({ facts: { duplicateCharge: true } }), input({ facts: { duplicateCharge: false } })],
  [
    'R07',
    input({ category: 'MEETING_TRAINING', facts: { compulsory: true } }),
    input({ category: 'MEETING_TRAINING', facts: { compulsory: false } }),
  ],
  [
    'R08',
    input({ category: 'SPONSORSHIP_DONATION', facts: { compulsory: true } }),
    input({ category: 'SPONSORSHIP_DONATION', facts: { compulsory: false } }),
  ],
  [
    'R09',
    input({ category: 'MEMBERSHIP_DUES', facts: { chargedByBranch: true } }),
    input({ category: 'MEETING_TRAINING', facts: { chargedByBranch: true } }),
  ],
  ['R10', input({ facts: { kickback: true } }), input({ facts: { kickback: false } })],
  ['R11', input({ category: 'COUNCIL_POSITION' }), input({ category: 'MEMBERSHIP_DUES' })],
  [
    'R12',
    input({ category: 'MEMBERSHIP_DUES', facts: { duesAdoptedByAssembly: false } }),
    input({ category: 'MEMBERSHIP_DUES', facts: { duesAdoptedByAssembly: true } }),
  ],
  [
    'R13',
    input({ category: 'MEMBERSHIP_DUES', facts: { floatingDues: true } }),
    input({ category: 'MEMBERSHIP_DUES', facts: { floatingDues: false } }),
  ],
  [
    'R14',
    input({ fee: { publishedStandardFen: AMOUNT_FEN - 1 } }),
    input({ fee: { publishedStandardFen: AMOUNT_FEN } }),
  ],
  [
    'R15',
    input({ category: 'MEMBERSHIP_DUES', facts: { duesTiers: 5 } }),
    input({ category: 'MEMBERSHIP_DUES', facts: { duesTiers: 4 } }),
  ],
  ['R16', input({ facts: { standardPublished: false } }), input({ facts: { standardPublished: true } })],
  ['R17', input({ facts: { monopolyService: true } }), input({ facts: { monopolyService: false } })],
];

describe('rulebook', () => {
  it('is version 2026.1 with rules R01 to R17 in order', () => {
    // Arrange
    const expected = Array.from({ length: 17 }, (_, i) => `R${String(i + 1).padStart(2, '0')}`);

    // Act
    const ids = rulebook.rules.map((rule) => rule.id);

    // Assert
    expect(rulebook.version).toBe('2026.1');
    expect(ids).toEqual(expected);
  });

  it('cites at least one of the named sources in every rule', () => {
    // Arrange
    const named = Object.values(sources);

    // Act
    const uncited = rulebook.rules.filter((rule) => !named.some((source) => rule.citation.includes(source)));

    // Assert
    expect(uncited).toEqual([]);
  });

  it('cites the July 2014 dues notice for the dues procedure rule', () => {
    // Arrange
    const r12 = rulebook.rules.find((rule) => rule.id === 'R12');

    // Act
    const citation = r12?.citation;

    // Assert
    expect(citation).toContain(sources.duesNotice2014);
  });

  it('gives an action to exactly the REGULATED rules', () => {
    // Arrange / Act
    const mismatched = rulebook.rules.filter(
      (rule) => (rule.verdict === 'REGULATED') !== (rule.action !== undefined),
    );

    // Assert
    expect(mismatched).toEqual([]);
  });
});

describe('classifyFee', () => {
  describe.each(cases)('%s', (id, fires, nearMiss) => {
    it('fires on its case', () => {
      // Arrange
      const complaint = fires;

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([id]);
    });

    it('does not fire on its near miss', () => {
      // Arrange
      const complaint = nearMiss;

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });
  });

  describe('further cases of single rules', () => {
    it('R02 fires on the category DELEGATED_GOVERNMENT_SERVICE', () => {
      // Arrange
      const complaint = input({ category: 'DELEGATED_GOVERNMENT_SERVICE' });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual(['R02']);
    });

    it.each(['EXHIBITION', 'PUBLICATION_SUBSCRIPTION', 'ADVERTISING'] as const)(
      'R07 fires on compulsory %s',
      (category) => {
        // Arrange
        const complaint = input({ category, facts: { compulsory: true } });

        // Act
        const classification = classifyFee(complaint);

        // Assert
        expect(matchedIds(classification)).toEqual(['R07']);
      },
    );

    it('R07 does not fire on a compulsory fee of another category', () => {
      // Arrange
      const complaint = input({ category: 'MARKET_SERVICE', facts: { compulsory: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });

    it('R12 does not fire outside membership dues', () => {
      // Arrange
      const complaint = input({ category: 'MEETING_TRAINING', facts: { duesAdoptedByAssembly: false } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });

    it('R13 fires on dues charged to a non-member', () => {
      // Arrange
      const complaint = input({ category: 'MEMBERSHIP_DUES', facts: { chargedAsNonMember: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual(['R13']);
    });

    it('R13 does not fire on a non-member charged for something other than dues', () => {
      // Arrange
      const complaint = input({ category: 'MEETING_TRAINING', facts: { chargedAsNonMember: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });

    it('R14 does not fire without a published standard', () => {
      // Arrange
      const complaint = input();

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });

    it('R15 does not fire on tiers of a fee that is not dues', () => {
      // Arrange
      const complaint = input({ category: 'MEETING_TRAINING', facts: { duesTiers: 8 } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });
  });

  describe('unknown facts', () => {
    it('fire no rule when every fact is unknown', () => {
      // Arrange
      const complaint = input({ category: 'MEMBERSHIP_DUES' });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual([]);
    });
  });

  describe('verdicts', () => {
    it('suggests UNLAWFUL with abolish and refund of the full amount for an unlawful rule', () => {
      // Arrange
      const complaint = input({ facts: { serviceProvided: 'NO' } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification).toMatchObject({
        verdict: 'UNLAWFUL',
        actions: ['ABOLISH', 'REFUND'],
        refundBasisFen: AMOUNT_FEN,
      });
    });

    it('lets UNLAWFUL dominate REGULATED and lists unlawful rules first', () => {
      // Arrange
      const complaint = input({ facts: { standardPublished: false, monopolyService: true, kickback: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.verdict).toBe('UNLAWFUL');
      expect(classification.actions).toEqual(['ABOLISH', 'REFUND']);
      expect(matchedIds(classification)).toEqual(['R10', 'R16', 'R17']);
    });

    it('refunds only the excess when R14 is the only unlawful rule', () => {
      // Arrange
      const complaint = input({ fee: { publishedStandardFen: 80_000 }, facts: { standardPublished: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.verdict).toBe('UNLAWFUL');
      expect(classification.refundBasisFen).toBe(20_000);
    });

    it('refunds the full amount when R14 comes with another unlawful rule', () => {
      // Arrange
      const complaint = input({ fee: { publishedStandardFen: 80_000 }, facts: { serviceProvided: 'NO' } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(matchedIds(classification)).toEqual(['R05', 'R14']);
      expect(classification.refundBasisFen).toBe(AMOUNT_FEN);
    });

    it('suggests REGULATED with the matched actions and no refund for REGULATED rules', () => {
      // Arrange
      const complaint = input({
        category: 'MEMBERSHIP_DUES',
        facts: { duesTiers: 6, standardPublished: false, monopolyService: true },
      });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification).toMatchObject({
        verdict: 'REGULATED',
        actions: ['ADJUST_TIERS', 'PUBLISH_STANDARD', 'REDUCE_PRICE'],
        refundBasisFen: 0,
      });
    });

    it('suggests REGULATED when a REGULATED rule fires even with key facts missing', () => {
      // Arrange
      const complaint = input({ facts: { monopolyService: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.verdict).toBe('REGULATED');
    });

    it('deduplicates the actions of REGULATED rules', () => {
      // Arrange
      const book: Rulebook = {
        version: 'test',
        rules: [
          {
            id: 'T1',
            title: { en: 't1', zh: 't1' },
            verdict: 'REGULATED',
            agency: 'SAMR',
            citation: 'c',
            action: 'REDUCE_PRICE',
            predicate: () => true,
          },
          {
            id: 'T2',
            title: { en: 't2', zh: 't2' },
            verdict: 'REGULATED',
            agency: 'NDRC',
            citation: 'c',
            action: 'REDUCE_PRICE',
            predicate: () => true,
          },
        ],
      };

      // Act
      const classification = classifyFee(input(), book);

      // Assert
      expect(classification.actions).toEqual(['REDUCE_PRICE']);
    });

    it('suggests REGULATED with no actions when no rule fires and the key facts are known', () => {
      // Arrange
      const complaint = input({
        facts: { compulsory: false, serviceProvided: 'YES', standardPublished: true },
      });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification).toMatchObject({
        verdict: 'REGULATED',
        rules: [],
        actions: [],
        agency: 'SAMR',
        refundBasisFen: 0,
      });
    });

    it('needs duesAdoptedByAssembly known before calling dues lawful', () => {
      // Arrange
      const complaint = input({
        category: 'MEMBERSHIP_DUES',
        facts: { compulsory: false, serviceProvided: 'YES', standardPublished: true },
      });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.verdict).toBe('UNDETERMINED');
    });

    it('calls dues lawful once duesAdoptedByAssembly is known too', () => {
      // Arrange
      const complaint = input({
        category: 'MEMBERSHIP_DUES',
        facts: {
          compulsory: false,
          serviceProvided: 'YES',
          standardPublished: true,
          duesAdoptedByAssembly: true,
        },
      });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.verdict).toBe('REGULATED');
    });

    it('suggests UNDETERMINED with no actions and no refund when key facts are missing', () => {
      // Arrange
      const complaint = input({ facts: { compulsory: false, serviceProvided: 'YES' } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification).toMatchObject({
        verdict: 'UNDETERMINED',
        rules: [],
        actions: [],
        agency: 'SAMR',
        refundBasisFen: 0,
      });
    });

    it('reports the rulebook version and each matched rule with its citation', () => {
      // Arrange
      const complaint = input({ facts: { forcedMembership: true } });
      const r01 = rulebook.rules[0];

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.rulebookVersion).toBe('2026.1');
      expect(classification.rules).toEqual([
        { id: 'R01', title: r01?.title.en, citation: r01?.citation, verdict: 'UNLAWFUL', agency: 'MCA' },
      ]);
    });
  });

  describe('agency routing', () => {
    it('routes to the agency of an unlawful rule before that of a lower-numbered regulated one', () => {
      // Arrange: R09 (MCA, unlawful) and R16 (SAMR, regulated).
      const complaint = input({
        category: 'MEMBERSHIP_DUES',
        facts: { chargedByBranch: true, standardPublished: false },
      });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.agency).toBe('MCA');
    });

    it('routes to the lowest-numbered unlawful rule when several fire', () => {
      // Arrange: R01 (MCA) and R02 (SAMR).
      const complaint = input({ facts: { forcedMembership: true, governmentLinked: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.agency).toBe('MCA');
    });

    it('routes an unlawful SAMR rule ahead of a regulated NDRC one', () => {
      // Arrange: R17 (NDRC, regulated) and R05 (SAMR, unlawful).
      const complaint = input({ facts: { monopolyService: true, serviceProvided: 'NO' } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.agency).toBe('SAMR');
    });

    it('routes by rule id among regulated rules', () => {
      // Arrange: R15 (MCA) and R17 (NDRC).
      const complaint = input({
        category: 'MEMBERSHIP_DUES',
        facts: { duesTiers: 5, monopolyService: true },
      });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.agency).toBe('MCA');
    });

    it('routes monopoly pricing alone to NDRC', () => {
      // Arrange
      const complaint = input({ facts: { monopolyService: true } });

      // Act
      const classification = classifyFee(complaint);

      // Assert
      expect(classification.agency).toBe('NDRC');
    });
  });
});
