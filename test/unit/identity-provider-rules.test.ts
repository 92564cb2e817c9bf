/** The local identity provider's password policy: the Cognito user pool's (infra/aws/campaign-stack.ts). */
import { describe, expect, it } from 'vitest';
import { meetsPasswordPolicy } from '#infra/local/identity-provider/interactions';

describe('the password policy of the local provider', () => {
  it.each(['Correct-Horse-7', 'Zhongguo2026!x'])(
    'accepts %s: 12 or more characters with lower, upper, digit and symbol',
    (password) => {
      expect(meetsPasswordPolicy(password)).toBe(true);
    },
  );

  it.each([
    ['too short', 'Short-Pass1'],
    ['no upper case', 'correct-horse-7'],
    ['no lower case', 'CORRECT-HORSE-7'],
    ['no digit', 'Correct-Horse-Seven'],
    ['no symbol', 'CorrectHorse7x'],
  ])('refuses a password with %s', (_problem, password) => {
    expect(meetsPasswordPolicy(password)).toBe(false);
  });
});
