/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015) and the province codes that route cases.
 */
import * as z from '#shared/domain/schema';
import { issueParams, namedPattern } from '#shared/domain/validation';

/** The 31 characters of the code, in value order (I, O, S, V and Z are never used). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const FIRST17_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

/** Province-level administrative division codes (GB/T 2260): the first two digits of a division code. */
export const provinceCodes = [
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
] as const;
export type ProvinceCode = (typeof provinceCodes)[number];

/** `00` is the national level: regulators may sit there, complaints may not name it. */
export const NATIONAL_PROVINCE = '00';

/**
 * Organizations registered with the national Ministry of Civil Affairs carry division code 100000;
 * their cases go to the national level.
 */
const NATIONAL_REGISTRATION = '10';

const provinceSet: ReadonlySet<string> = new Set(provinceCodes);

export const isProvinceCode = (value: string): value is ProvinceCode => provinceSet.has(value);

/**
 * The check character for the first 17 characters of a code.
 * @throws RangeError when `first17` is not 17 characters of the code's charset.
 */
export function creditCodeCheckCharacter(first17: string): string {
  if (!FIRST17_PATTERN.test(first17)) {
    throw new RangeError('A credit code body is 17 characters of 0-9 and A-Y without I, O, S, V, Z');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    // Both lookups are in range: the pattern guarantees 17 charset characters.
    sum += CREDIT_CODE_CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  return CREDIT_CODE_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** `first17` followed by its check character (seed data and tests). */
export function makeCreditCode(first17: string): string {
  return first17 + creditCodeCheckCharacter(first17);
}

type CreditCodeProblem = 'FORMAT' | 'CHECK_CHARACTER' | 'PROVINCE';

function creditCodeProblem(code: string): CreditCodeProblem | undefined {
  if (!CREDIT_CODE_PATTERN.test(code)) return 'FORMAT';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code.charAt(17)) return 'CHECK_CHARACTER';
  const division = code.slice(2, 4);
  if (!isProvinceCode(division) && division !== NATIONAL_REGISTRATION) return 'PROVINCE';
  return undefined;
}

/** Well-formed, correct check character, and characters 3-4 name a real province (or national registration). */
export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === undefined;
}

/**
 * The province (characters 3-4 of the administrative division code) of a valid credit code.
 * @throws RangeError when the code is not valid, so a bad code can never route a case.
 */
export function provinceOfCreditCode(code: string): ProvinceCode | typeof NATIONAL_PROVINCE {
  if (!isValidCreditCode(code)) throw new RangeError('Not a valid unified social credit code');
  const division = code.slice(2, 4);
  return isProvinceCode(division) ? division : NATIONAL_PROVINCE;
}

/** Social organizations registered by civil affairs (associations, chambers) start with `5`. */
export function isSocialOrganization(code: string): boolean {
  return code.startsWith('5');
}

const provinceMessage = 'must be a two-digit province code such as 11 (Beijing) or 44 (Guangdong)';

export const Province = z.enum(provinceCodes, { error: provinceMessage }).register(z.globalRegistry, {
  id: 'Province',
  description: 'Province-level administrative division code (two digits, GB/T 2260)',
});

export const RegulatorProvince = z
  .enum([NATIONAL_PROVINCE, ...provinceCodes], { error: `${provinceMessage}, or 00 for national` })
  .register(z.globalRegistry, {
    id: 'RegulatorProvince',
    description: 'Province of a regulator: a province-level code, or 00 for the national level',
  });

const problemMessages: Record<Exclude<CreditCodeProblem, 'FORMAT'>, string> = {
  CHECK_CHARACTER: 'is not a valid unified social credit code (check character does not match)',
  PROVINCE:
    'is not a valid unified social credit code (characters 3-4 are not a province code, nor 10 for national registration)',
};

export const CreditCode = z
  .string()
  .check(
    namedPattern('credit_code', CREDIT_CODE_PATTERN, {
      message:
        'must be an 18-character unified social credit code (digits and capital letters, no I, O, S, V, Z)',
      abort: true,
    }),
    z.superRefine((code, ctx) => {
      const problem = creditCodeProblem(code);
      if (problem !== undefined && problem !== 'FORMAT') {
        ctx.addIssue({
          code: 'custom',
          message: problemMessages[problem],
          params: issueParams('invalid_credit_code', { problem: problem.toLowerCase() }),
          input: code,
        });
      }
    }),
  )
  .register(z.globalRegistry, {
    id: 'CreditCode',
    description: 'Unified social credit code (GB 32100-2015), 18 characters with a valid check character',
  });
