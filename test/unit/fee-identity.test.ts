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

  it('removes Chinese and ASCII punctuation and symbols', () => {
    // Arrange
    const name = '《会员》年费（2026）——#1：¥+';

    // Act
    const normalized = normalizeFeeName(name);

    // Assert
    expect(normalized).toBe('会员年费20261');
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

describe('normalizeAssociationName', () => {
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
