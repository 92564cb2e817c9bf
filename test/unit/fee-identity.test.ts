import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCreditCode } from '#shared/domain/credit-code';
import {
  associationProvince,
  feeCaseKey,
  normalizeAssociationName,
  normalizeFeeName,
} from '#shared/domain/fee-identity';

const CODE = makeCreditCode('51440000MJ0000001');

describe('normalizeFeeName', () => {
  it('folds full-width letters and digits to their ASCII forms', () => {
    // Arrange
    const name = 'ＡＢＣ会费２０２６';

    // Act
    const normalized = normalizeFeeName(name);

    // Assert
    expect(normalized).toBe('abc会费2026');
  });

  it('folds case', () => {
    // Arrange / Act
    const normalized = normalizeFeeName('Annual MEMBERSHIP Fee');

    // Assert
    expect(normalized).toBe('annualmembershipfee');
  });

  it('removes ASCII, ideographic and zero-width spaces', () => {
    // Arrange
    const name = ' 年度\u3000会 费\u200b\t';

    // Act
    const normalized = normalizeFeeName(name);

    // Assert
    expect(normalized).toBe('年度会费');
  });

  it('removes Chinese and ASCII punctuation that does not tell fees apart', () => {
    // Arrange
    const name = '《会员》年费（2026）——：！';

    // Act
    const normalized = normalizeFeeName(name);

    // Assert
    expect(normalized).toBe('会员年费2026');
  });

  it('gives the same result for spellings that differ only in form', () => {
    // Arrange
    const spellings = ['理事单位 会费', '理事单位会费。', '理事单位\u3000会费！'];

    // Act
    const normalized = new Set(spellings.map(normalizeFeeName));

    // Assert
    expect(normalized.size).toBe(1);
  });
});

// Names a person reads as the same fee: one case.
const sameVisibleFee: readonly [string, string, string][] = [
  ['combining grapheme joiner U+034F', 'Annual fee', 'Ann\u034Fual fee'],
  ['variation selector U+FE0F', '会员费', '会员\uFE0F费'],
  ['Hangul filler U+3164', '会员费', '会员\u3164费'],
  ['halfwidth Hangul filler U+FFA0', 'Training fee', 'Training\uFFA0fee'],
  ['soft hyphen U+00AD', 'Membership', 'Member\u00ADship'],
  ['word joiner U+2060', '年费', '年\u2060费'],
  ['stray combining mark on a Chinese character', '评比费', '评\u0332比费'],
  ['combining low line under Latin letters', 'Award fee', 'A\u0332ward fee'],
  ['Cyrillic а for Latin a', 'Annual fee', 'Annu\u0430l fee'],
  ['Cyrillic о, е, с, р for Latin letters', 'Opera score', '\u041Ep\u0435ra s\u0441\u043Ere'],
  ['Greek Ο and ο for Latin O and o', 'Book fee', 'B\u03BF\u03BFk fee'],
  ['Cyrillic capitals for Latin capitals', 'TAX', '\u0422\u0410\u0425'],
  ['a precomposed and a combining accent', 'café fee', 'cafe\u0301 fee'],
  ['full-width digits and percent', 'Surcharge 1.5%', 'Surcharge １.５％'],
  ['spaces, brackets and sentence punctuation', '会员费（2026年）', '会员费 2026年。'],
  ['dashes between years', '2025-2026 会费', '2025—2026会费'],
  ['vulgar fraction and digits with a fraction slash', '½ day course', '1⁄2 day course'],
];

// Names that differ in digits, decimal points, percent signs or symbols: separate cases.
const differentFees: readonly [string, string, string][] = [
  ['a decimal point', 'Surcharge 1.5%', 'Surcharge 15%'],
  ['a percent sign', 'Surcharge 15%', 'Surcharge 15'],
  ['a per-mille sign', 'Levy 3‰', 'Levy 3%'],
  ['a fraction', '½ day course', '12 day course'],
  ['plus signs', 'C++ course', 'C course'],
  ['a currency sign', '¥100 badge', '$100 badge'],
  ['a slash between digits', '1/2 day', '12 day'],
  ['a decimal comma', 'Rate 1,5', 'Rate 15'],
  ['a digit', '2025年会费', '2026年会费'],
  ['an accent', 'café fee', 'cafe fee'],
  ['a range between years', '2025-2026 会费', '20252026 会费'],
];

describe('fee-case identity of fee names', () => {
  it.each(sameVisibleFee)('maps names differing only by %s to one key', (_why, first, second) => {
    // Arrange
    const key = (name: string) =>
      feeCaseKey({ association: { name: 'x', creditCode: CODE }, fee: { name, category: 'OTHER' } });

    // Act / Assert
    expect(key(second)).toBe(key(first));
  });

  it.each(differentFees)('keeps names differing by %s apart', (_why, first, second) => {
    // Arrange
    const key = (name: string) =>
      feeCaseKey({ association: { name: 'x', creditCode: CODE }, fee: { name, category: 'OTHER' } });

    // Act / Assert
    expect(key(second)).not.toBe(key(first));
  });
});

describe('fee-case identity under fuzzing', () => {
  const invisible = fc.constantFrom('\u034F', '\uFE0F', '\u3164', '\u200B', '\u200D', '\u2060', '\u00AD');
  const feeName = fc.string({ unit: fc.constantFrom(...'会员费培训评比abc XYZ0123456789'), minLength: 1 });

  it('keeps a name’s key when invisible code points are slipped in anywhere', () => {
    fc.assert(
      fc.property(feeName, fc.array(fc.tuple(fc.nat(), invisible), { maxLength: 5 }), (name, inserts) => {
        // Arrange
        const chars = [...name];
        for (const [at, char] of inserts) chars.splice(at % (chars.length + 1), 0, char);

        // Act / Assert
        expect(normalizeFeeName(chars.join(''))).toBe(normalizeFeeName(name));
      }),
    );
  });

  it('never merges names that differ by an added digit, percent sign or plus sign', () => {
    fc.assert(
      fc.property(feeName, fc.nat(), fc.constantFrom('5', '%', '+', '.5'), (name, at, sign) => {
        // Arrange
        const chars = [...name];
        chars.splice(at % (chars.length + 1), 0, sign);
        fc.pre(normalizeFeeName(name) !== '');

        // Act / Assert
        expect(normalizeFeeName(chars.join(''))).not.toBe(normalizeFeeName(name));
      }),
    );
  });
});

describe('normalizeAssociationName', () => {
  it('maps look-alike letters and invisible code points to one name', () => {
    // Arrange
    const names = ['Guangdong Trade Association', 'Gu\u0430ngdong Tr\u0430de\u200D Associ\u0430tion\uFE0F'];

    // Act
    const normalized = new Set(names.map(normalizeAssociationName));

    // Assert
    expect(normalized.size).toBe(1);
  });

  it('normalizes like a fee name', () => {
    // Arrange
    const name = '广东省 ＸＸ 行业协会。';

    // Act
    const normalized = normalizeAssociationName(name);

    // Assert
    expect(normalized).toBe('广东省xx行业协会');
  });
});

describe('associationProvince', () => {
  it('takes the province from the credit code when there is one', () => {
    // Arrange
    const association = { name: 'X协会', creditCode: CODE, province: '11' };

    // Act
    const province = associationProvince(association);

    // Assert
    expect(province).toBe('44');
  });

  it('falls back to the given province without a credit code', () => {
    // Arrange
    const association = { name: 'X协会', province: '31' };

    // Act
    const province = associationProvince(association);

    // Assert
    expect(province).toBe('31');
  });

  it('refuses an association with neither code nor province', () => {
    // Arrange
    const association = { name: 'X协会' };

    // Act
    const resolve = () => associationProvince(association);

    // Assert
    expect(resolve).toThrow(RangeError);
  });
});

describe('feeCaseKey', () => {
  it('keys on the credit code when there is one', () => {
    // Arrange
    const input = {
      association: { name: '广东省XX行业协会', creditCode: CODE },
      fee: { name: '年度 会费', category: 'MEMBERSHIP_DUES' as const },
    };

    // Act
    const key = feeCaseKey(input);

    // Assert
    expect(key).toBe(`FEEKEY#${CODE}#MEMBERSHIP_DUES#年度会费`);
  });

  it('keys on the normalized name and province without a credit code', () => {
    // Arrange
    const input = {
      association: { name: '广东省 ＸＸ 行业协会', province: '44' },
      fee: { name: '年度会费', category: 'MEMBERSHIP_DUES' as const },
    };

    // Act
    const key = feeCaseKey(input);

    // Assert
    expect(key).toBe('FEEKEY#NAME:广东省xx行业协会:44#MEMBERSHIP_DUES#年度会费');
  });

  it('ignores the association name when the credit code is known', () => {
    // Arrange
    const fee = { name: '年度会费', category: 'MEMBERSHIP_DUES' as const };

    // Act
    const first = feeCaseKey({ association: { name: '甲协会', creditCode: CODE }, fee });
    const second = feeCaseKey({ association: { name: '乙协会', creditCode: CODE }, fee });

    // Assert
    expect(first).toBe(second);
  });

  it('separates the same fee name in different categories', () => {
    // Arrange
    const association = { name: 'X协会', creditCode: CODE };

    // Act
    const dues = feeCaseKey({ association, fee: { name: '服务费', category: 'MEMBERSHIP_DUES' } });
    const training = feeCaseKey({ association, fee: { name: '服务费', category: 'MEETING_TRAINING' } });

    // Assert
    expect(dues).not.toBe(training);
  });

  it('separates same-named associations in different provinces', () => {
    // Arrange
    const fee = { name: '会费', category: 'MEMBERSHIP_DUES' as const };

    // Act
    const beijing = feeCaseKey({ association: { name: '物流协会', province: '11' }, fee });
    const shanghai = feeCaseKey({ association: { name: '物流协会', province: '31' }, fee });

    // Assert
    expect(beijing).not.toBe(shanghai);
  });

  it('refuses a fee name with no letters or digits', () => {
    // Arrange
    const input = {
      association: { name: 'X协会', creditCode: CODE },
      fee: { name: '——', category: 'OTHER' as const },
    };

    // Act
    const key = () => feeCaseKey(input);

    // Assert
    expect(key).toThrow(RangeError);
  });
});
