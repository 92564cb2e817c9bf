import { describe, expect, it } from 'vitest';
import {
  CreditCode,
  creditCodeCheckCharacter,
  isSocialOrganization,
  isValidCreditCode,
  makeCreditCode,
  Province,
  provinceCodes,
  provinceOfCreditCode,
  RegulatorProvince,
} from '#shared/domain/credit-code';

// The worked example of GB 32100-2015.
const STANDARD_EXAMPLE = '91350100M000100Y43';
const BEIJING_ASSOCIATION = makeCreditCode('51110000MJ0000000');

/** `code` with its check character replaced by another valid character. */
const withWrongCheckCharacter = (code: string): string =>
  code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');

describe('creditCodeCheckCharacter', () => {
  it('computes the check character of the standard example', () => {
    // Arrange
    const first17 = STANDARD_EXAMPLE.slice(0, 17);

    // Act
    const check = creditCodeCheckCharacter(first17);

    // Assert
    expect(check).toBe('3');
  });

  it('maps a weighted sum divisible by 31 to 0', () => {
    // Arrange
    const first17 = '00000000000000000';

    // Act
    const check = creditCodeCheckCharacter(first17);

    // Assert
    expect(check).toBe('0');
  });

  it('rejects a body containing a character outside the charset', () => {
    // Arrange
    const first17 = '5111000OMJ0000000';

    // Act
    const compute = () => creditCodeCheckCharacter(first17);

    // Assert
    expect(compute).toThrow(RangeError);
  });

  it('rejects a body that is not 17 characters long', () => {
    // Arrange
    const first16 = '51110000MJ000000';

    // Act
    const compute = () => creditCodeCheckCharacter(first16);

    // Assert
    expect(compute).toThrow(RangeError);
  });
});

describe('makeCreditCode', () => {
  it('appends the check character so the code is valid', () => {
    // Arrange
    const first17 = '51440300MJ1234567';

    // Act
    const code = makeCreditCode(first17);

    // Assert
    expect(code).toHaveLength(18);
    expect(code.startsWith(first17)).toBe(true);
    expect(isValidCreditCode(code)).toBe(true);
  });
});

describe('isValidCreditCode', () => {
  it('accepts the standard example', () => {
    // Arrange / Act
    const valid = isValidCreditCode(STANDARD_EXAMPLE);

    // Assert
    expect(valid).toBe(true);
  });

  it('rejects a code whose check character does not match', () => {
    // Arrange
    const code = withWrongCheckCharacter(BEIJING_ASSOCIATION);

    // Act
    const valid = isValidCreditCode(code);

    // Assert
    expect(valid).toBe(false);
  });

  it('rejects lower-case letters', () => {
    // Arrange
    const code = STANDARD_EXAMPLE.toLowerCase();

    // Act
    const valid = isValidCreditCode(code);

    // Assert
    expect(valid).toBe(false);
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('rejects the excluded letter %s', (letter) => {
    // Arrange
    const code = `${BEIJING_ASSOCIATION.slice(0, 8)}${letter}${BEIJING_ASSOCIATION.slice(9)}`;

    // Act
    const valid = isValidCreditCode(code);

    // Assert
    expect(valid).toBe(false);
  });

  it.each([17, 19])('rejects a code of %i characters', (length) => {
    // Arrange
    const code = `${BEIJING_ASSOCIATION}0`.slice(0, length);

    // Act
    const valid = isValidCreditCode(code);

    // Assert
    expect(valid).toBe(false);
  });

  it('rejects a code whose characters 3-4 are not a province', () => {
    // Arrange
    const code = makeCreditCode('51990000MJ0000000');

    // Act
    const valid = isValidCreditCode(code);

    // Assert
    expect(valid).toBe(false);
  });
});

describe('national registration', () => {
  it('accepts an organization registered with the national Ministry of Civil Affairs (division 100000)', () => {
    // Arrange
    const code = makeCreditCode('51100000500000001');

    // Act
    const valid = isValidCreditCode(code);

    // Assert
    expect(valid).toBe(true);
  });

  it('routes a nationally registered organization to the national level', () => {
    // Arrange
    const code = makeCreditCode('51100000500000001');

    // Act
    const province = provinceOfCreditCode(code);

    // Assert
    expect(province).toBe('00');
  });
});

describe('provinceOfCreditCode', () => {
  it('returns characters 3-4 of the code', () => {
    // Arrange
    const code = makeCreditCode('51440300MJ1234567');

    // Act
    const province = provinceOfCreditCode(code);

    // Assert
    expect(province).toBe('44');
  });

  it('refuses an invalid code rather than routing it', () => {
    // Arrange
    const code = withWrongCheckCharacter(BEIJING_ASSOCIATION);

    // Act
    const read = () => provinceOfCreditCode(code);

    // Assert
    expect(read).toThrow(RangeError);
  });
});

describe('isSocialOrganization', () => {
  it('recognizes a code registered by civil affairs (starting with 5)', () => {
    // Arrange / Act
    const social = isSocialOrganization(BEIJING_ASSOCIATION);

    // Assert
    expect(social).toBe(true);
  });

  it('does not count an enterprise code (starting with 9)', () => {
    // Arrange / Act
    const social = isSocialOrganization(STANDARD_EXAMPLE);

    // Assert
    expect(social).toBe(false);
  });
});

describe('CreditCode schema', () => {
  it('accepts a valid code', () => {
    // Arrange / Act
    const result = CreditCode.safeParse(BEIJING_ASSOCIATION);

    // Assert
    expect(result.success).toBe(true);
  });

  it('reports a malformed code once, as a format problem', () => {
    // Arrange / Act
    const result = CreditCode.safeParse('not-a-code');

    // Assert
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toMatch(/18-character unified social credit code/);
  });

  it('reports a wrong check character', () => {
    // Arrange
    const code = withWrongCheckCharacter(BEIJING_ASSOCIATION);

    // Act
    const result = CreditCode.safeParse(code);

    // Assert
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/check character/),
    ]);
  });

  it('reports province digits that are not a province', () => {
    // Arrange
    const code = makeCreditCode('51990000MJ0000000');

    // Act
    const result = CreditCode.safeParse(code);

    // Assert
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/province/)]);
  });
});

describe('Province schemas', () => {
  it('lists the 34 province-level divisions', () => {
    // Arrange / Act
    const count = new Set(provinceCodes).size;

    // Assert
    expect(count).toBe(34);
  });

  it('accepts a province code', () => {
    // Arrange / Act
    const result = Province.safeParse('65');

    // Assert
    expect(result.success).toBe(true);
  });

  it('rejects the national level 00 for complaints', () => {
    // Arrange / Act
    const result = Province.safeParse('00');

    // Assert
    expect(result.success).toBe(false);
  });

  it('rejects two digits that are not a province', () => {
    // Arrange / Act
    const result = Province.safeParse('10');

    // Assert
    expect(result.success).toBe(false);
  });

  it('accepts the national level 00 for regulators', () => {
    // Arrange / Act
    const result = RegulatorProvince.safeParse('00');

    // Assert
    expect(result.success).toBe(true);
  });

  it('rejects a non-province for regulators too', () => {
    // Arrange / Act
    const result = RegulatorProvince.safeParse('99');

    // Assert
    expect(result.success).toBe(false);
  });
});
