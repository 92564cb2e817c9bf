import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors';
import { formatYuan, parseYuanToFen } from '#shared/domain/money';

describe('formatYuan', () => {
  it.each([
    [123456, '1234.56'],
    [5, '0.05'],
    [100, '1.00'],
    [0, '0.00'],
    [1_000_000_000_000, '10000000000.00'],
    [999_999_999_999, '9999999999.99'],
  ])('formats %i fen as %s yuan', (fen, expected) => {
    // Arrange / Act
    const text = formatYuan(fen);

    // Assert
    expect(text).toBe(expected);
  });

  it('keeps the sign of a negative amount', () => {
    // Arrange / Act
    const text = formatYuan(-1205);

    // Assert
    expect(text).toBe('-12.05');
  });

  it('refuses a fractional number of fen', () => {
    // Arrange / Act
    const format = () => formatYuan(1.5);

    // Assert
    expect(format).toThrow(RangeError);
  });
});

describe('parseYuanToFen', () => {
  it.each([
    ['1234.56', 123456],
    ['0.1', 10],
    ['12', 1200],
    ['0', 0],
    ['10000000000.00', 1_000_000_000_000],
  ])('parses %s yuan as %i fen', (text, expected) => {
    // Arrange / Act
    const fen = parseYuanToFen(text);

    // Assert
    expect(fen).toBe(expected);
  });

  it('is exact where float arithmetic would round (0.29 yuan)', () => {
    // Arrange
    const floatResult = 0.29 * 100;

    // Act
    const fen = parseYuanToFen('0.29');

    // Assert
    expect(floatResult).not.toBe(29);
    expect(fen).toBe(29);
  });

  it('rejects more than two decimals', () => {
    // Arrange / Act
    const parse = () => parseYuanToFen('1.005');

    // Assert
    expect(parse).toThrow(ValidationError);
  });

  it.each(['', 'abc', '-1', '1,000', ' 1', '1.', '.5', '¥10', '01', '1e3'])('rejects %j', (text) => {
    // Arrange / Act
    const parse = () => parseYuanToFen(text);

    // Assert
    expect(parse).toThrow(ValidationError);
  });

  it('rejects an amount beyond the safe integer range', () => {
    // Arrange / Act
    const parse = () => parseYuanToFen('900719925474099.92');

    // Assert
    expect(parse).toThrow(ValidationError);
  });

  it('names the field in the error issues', () => {
    // Arrange
    let caught: unknown;

    // Act
    try {
      parseYuanToFen('1.234', 'refundedFen');
    } catch (error) {
      caught = error;
    }

    // Assert
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toEqual([
      {
        path: 'refundedFen',
        code: 'invalid_format',
        params: { format: 'yuan' },
        message: expect.any(String),
      },
    ]);
  });

  it('round-trips with formatYuan', () => {
    // Arrange
    const amounts = [1, 29, 1001, 123456789, 1_000_000_000_000];

    // Act
    const roundTripped = amounts.map((fen) => parseYuanToFen(formatYuan(fen)));

    // Assert
    expect(roundTripped).toEqual(amounts);
  });
});
