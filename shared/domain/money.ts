/**
 * Money is an integer number of fen (1 yuan = 100 fen). These convert to and from yuan text with
 * integer arithmetic only, so no amount is ever rounded.
 */
import { type FieldIssue, ValidationError } from '#shared/domain/errors';

/** `123456` -> `"1234.56"`; negative amounts keep their sign. */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`Not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const cents = abs % 100;
  // abs - cents is an exact multiple of 100, so the division is exact.
  const yuan = (abs - cents) / 100;
  return `${sign}${yuan}.${String(cents).padStart(2, '0')}`;
}

const YUAN_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/**
 * `"1234.56"` -> `123456`. Accepts a non-negative yuan amount with at most two decimals and no
 * separators or currency signs.
 * @param field dotted path reported in the error, e.g. `refundedFen`.
 * @throws ValidationError when the text is not such an amount or exceeds the safe integer range.
 */
export function parseYuanToFen(text: string, field = ''): number {
  const match = YUAN_PATTERN.exec(text);
  if (match === null) {
    throw invalidAmount(field, {
      code: 'invalid_format',
      params: { format: 'yuan' },
      message: 'must be a yuan amount like 1234.56 (at most two decimals)',
    });
  }
  const [, whole = '0', decimals = ''] = match;
  const fen = BigInt(whole) * 100n + BigInt(decimals.padEnd(2, '0'));
  if (fen > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalidAmount(field, {
      code: 'too_big',
      params: { origin: 'number', maximum: Number.MAX_SAFE_INTEGER },
      message: 'is too large',
    });
  return Number(fen);
}

function invalidAmount(field: string, issue: Omit<FieldIssue, 'path'>): ValidationError {
  return new ValidationError(`Invalid amount: ${issue.message}`, [{ path: field, ...issue }]);
}
