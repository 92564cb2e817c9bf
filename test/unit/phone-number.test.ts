/** Phone numbers as the SMS gateway takes them, from what complainants type. */
import { describe, expect, it } from 'vitest';
import { e164PhoneNumber } from '#shared/domain/phone-number';

describe('e164PhoneNumber', () => {
  it.each([
    ['+86 139 1111 2222', '+8613911112222'],
    ['139-1111-2222', '+8613911112222'],
    ['13911112222', '+8613911112222'],
    ['0086 139 1111 2222', '+8613911112222'],
    ['+852 9123 4567', '+85291234567'],
  ])('reads %s as %s', (typed, e164) => {
    expect(e164PhoneNumber(typed)).toBe(e164);
  });

  it.each(['010 1234 5678', '1234567', '+0 123 4567', '12911112222'])(
    'gives no number for %s rather than guessing',
    (typed) => {
      expect(e164PhoneNumber(typed)).toBeUndefined();
    },
  );
});
