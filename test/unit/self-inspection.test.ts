import { describe, expect, it } from 'vitest';
import {
  type DeclaredFeeInput,
  declarationDueAt,
  declares,
  SelfInspectionInput,
  screenDeclaredFee,
  screeningInput,
} from '#shared/domain/self-inspection';
import { classifyFee } from '#shared/rulebook/evaluate';
import { yearPastDue } from '#shared/self-inspection/missing-declarations';
import { lawfulDues, suspectAward } from '#test/support/self-inspection';

const declaredAt = new Date('2026-12-03T02:00:00Z');
const parsed = (fee: object): DeclaredFeeInput => {
  const [declared] = SelfInspectionInput.parse({ year: 2026, fees: [fee] }).fees;
  if (!declared) throw new Error('parsed no fee');
  return declared;
};

describe('screening a declared fee', () => {
  it('gives the rulebook the same input a complaint with these facts would', () => {
    // Arrange
    const fee = parsed(suspectAward);

    // Act
    const input = screeningInput(fee, declaredAt);

    // Assert
    expect(input).toEqual({
      fee: {
        name: suspectAward.name,
        category: 'RATING_AWARD',
        amountFen: 880_000,
        chargedOn: '2026-12-03',
        period: 'ONE_OFF',
      },
      facts: { compulsory: true, serviceProvided: 'PARTIAL' },
    });
    expect(screenDeclaredFee(fee, declaredAt).classification).toEqual(classifyFee(input));
  });

  it('finds a fee suspect when a rule fires on it', () => {
    // Act
    const { suspect, classification } = screenDeclaredFee(parsed(suspectAward), declaredAt);

    // Assert
    expect(suspect).toBe(true);
    expect(classification.rules.map((rule) => rule.id)).toContain('R03');
  });

  it('records a fee that fires no rule as declared', () => {
    // Act
    const { suspect, classification } = screenDeclaredFee(parsed(lawfulDues), declaredAt);

    // Assert
    expect(suspect).toBe(false);
    expect(classification.rules).toEqual([]);
  });

  it('reads dues resting on a board resolution as not adopted by the member assembly (R12)', () => {
    // Arrange
    const fee = parsed({ ...lawfulDues, basis: { kind: 'BOARD_RESOLUTION', text: '理事会决议' } });

    // Act
    const { suspect, classification } = screenDeclaredFee(fee, declaredAt);

    // Assert
    expect(screeningInput(fee, declaredAt).facts.duesAdoptedByAssembly).toBe(false);
    expect(suspect).toBe(true);
    expect(classification.rules.map((rule) => rule.id)).toContain('R12');
  });

  it('counts tiers as dues tiers and screens the highest tier', () => {
    // Arrange
    const tiers = [1, 2, 3, 4, 5].map((n) => ({ label: `第${n}档`, amountFen: n * 100_000 }));

    // Act
    const input = screeningInput(parsed({ ...lawfulDues, tiers }), declaredAt);

    // Assert
    expect(input.facts.duesTiers).toBe(5);
    expect(input.fee.amountFen).toBe(500_000);
    expect(classifyFee(input).rules.map((rule) => rule.id)).toContain('R15');
  });

  it('lets the declared fields win over the facts the association also asserts', () => {
    // Arrange
    const fee = parsed({ ...suspectAward, facts: { compulsory: false, kickback: true } });

    // Act
    const { facts } = screeningInput(fee, declaredAt);

    // Assert
    expect(facts).toMatchObject({ compulsory: true, kickback: true });
  });
});

describe('the declaration body', () => {
  it('refuses a fee with both an amount and tiers', () => {
    // Act
    const result = SelfInspectionInput.safeParse({
      year: 2026,
      fees: [{ ...lawfulDues, amountFen: 100 }],
    });

    // Assert
    expect(result.success).toBe(false);
  });

  it('refuses the same fee twice, however its name is spaced', () => {
    // Act
    const result = SelfInspectionInput.safeParse({
      year: 2026,
      fees: [suspectAward, { ...suspectAward, name: ` ${suspectAward.name}。` }],
    });

    // Assert
    expect(result.success).toBe(false);
  });
});

describe('a declaration listing fees', () => {
  it('declares a fee by normalized name and category, not by how it was typed', () => {
    // Arrange
    const declaration = { fees: [parsed(suspectAward)] };

    // Act
    const typedAgain = declares(declaration, { name: '年度 优秀企业评选费', category: 'RATING_AWARD' });
    const otherCategory = declares(declaration, { name: suspectAward.name, category: 'OTHER' });

    // Assert
    expect(typedAgain).toBe(true);
    expect(otherCategory).toBe(false);
  });
});

describe('the self-inspection deadline', () => {
  it('falls at the end of 31 March of the next year, China time, unless set otherwise', () => {
    // Act
    const standard = declarationDueAt(2026);
    const configured = declarationDueAt(2026, '06-30');

    // Assert
    expect(standard).toBe('2027-03-31T15:59:59.999Z');
    expect(configured).toBe('2027-06-30T15:59:59.999Z');
  });

  it('is past for the year before once that day ends, and not a moment earlier', () => {
    // Act
    const onTheDay = yearPastDue(new Date('2027-03-31T15:59:59.000Z'), '03-31');
    const dayAfter = yearPastDue(new Date('2027-03-31T16:00:00.000Z'), '03-31');

    // Assert
    expect(onTheDay).toBe(2025);
    expect(dayAfter).toBe(2026);
  });
});
