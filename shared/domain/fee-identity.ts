/**
 * Fee-case identity: complaints about the same fee of the same association join one open case.
 * Key = association (credit code, else normalized name + province) + category + normalized fee name.
 */
import type { FeeCategory } from '#shared/domain/complaint';
import { provinceOfCreditCode } from '#shared/domain/credit-code';

export interface AssociationIdentity {
  name: string;
  creditCode?: string | undefined;
  province?: string | undefined;
}

export interface FeeIdentity {
  name: string;
  category: FeeCategory;
}

// Cyrillic and Greek letters drawn like Latin ones: a name typed with `а` (U+0430) reads as `a`.
const LOOKALIKES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    А: 'A',
    В: 'B',
    Е: 'E',
    К: 'K',
    М: 'M',
    Н: 'H',
    О: 'O',
    Р: 'P',
    С: 'C',
    Т: 'T',
    Х: 'X',
    У: 'Y',
    І: 'I',
    Ј: 'J',
    Ѕ: 'S',
    а: 'a',
    е: 'e',
    о: 'o',
    р: 'p',
    с: 'c',
    у: 'y',
    х: 'x',
    і: 'i',
    ј: 'j',
    ѕ: 's',
    һ: 'h',
    ԁ: 'd',
    ԛ: 'q',
    ԝ: 'w',
    ӏ: 'l',
    Α: 'A',
    Β: 'B',
    Ε: 'E',
    Ζ: 'Z',
    Η: 'H',
    Ι: 'I',
    Κ: 'K',
    Μ: 'M',
    Ν: 'N',
    Ο: 'O',
    Ρ: 'P',
    Τ: 'T',
    Υ: 'Y',
    Χ: 'X',
    ο: 'o',
    ρ: 'p',
    ν: 'v',
    α: 'a',
    ι: 'i',
    κ: 'k',
    υ: 'u',
    χ: 'x',
  }),
);
const LOOKALIKE = new RegExp(`[${[...LOOKALIKES.keys()].join('')}]`, 'gu');

// Code points nobody sees: format and control characters, fillers (U+3164), variation selectors,
// joiners, and combining marks left over after NFKC has composed what it can (a decorative underline
// under 评 vanishes; `e` + U+0301 has already become `é` and stays).
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}]/gu;

/** NFKC (full-width forms, `½` -> `1⁄2`), look-alike letters to Latin, lower case, invisible code points removed. */
function foldLookalikes(name: string): string {
  return name
    .normalize('NFKC')
    .replace(LOOKALIKE, (letter) => LOOKALIKES.get(letter) ?? letter)
    .toLowerCase()
    .normalize('NFKC')
    .replace(INVISIBLE, '');
}

// Signs that change what a fee is: `1.5%` is not `15`, `C++` is not `C`, `1/2` is not `12`.
const MEANINGFUL = new Set(['%', '‰', '‱', '&', '@', '*', '/', '\\']);
const SEPARATOR = /[\p{P}\p{Z}\s]/gu;
const isDigit = (char: string | undefined) => char !== undefined && /\p{Nd}/u.test(char);

/**
 * Spaces and punctuation removed except what tells fees apart: symbols (`+`, `¥`), percent and
 * per-mille signs, slashes (the fraction slash read as `/`), and a decimal point, comma or dash
 * between two digits (a dash as `-`). Splitting one fee in two is a nuisance a regulator can merge;
 * merging two fees would hide one, so anything that may carry meaning stays.
 */
export function normalizeFeeName(name: string): string {
  return foldLookalikes(name)
    .replace(/\u2044/g, '/')
    .replace(SEPARATOR, (char, offset: number, text: string) => {
      if (MEANINGFUL.has(char)) return char;
      if (!isDigit(text[offset - 1]) || !isDigit(text[offset + 1])) return '';
      if (char === '.' || char === ',') return char;
      return /\p{Pd}/u.test(char) ? '-' : '';
    });
}

/** Looks alike, reads alike: `中国XX协会` and `中国 XX 协会。` are one association; every sign is dropped. */
export function normalizeAssociationName(name: string): string {
  return foldLookalikes(name).replace(/[\p{P}\p{S}\p{Z}\s]/gu, '');
}

/**
 * The province an association's cases route to: the credit code's when a code is given (it is
 * authoritative), else the province the complainant named.
 * @throws RangeError when neither is available or the code is not valid.
 */
export function associationProvince(association: AssociationIdentity): string {
  if (association.creditCode !== undefined) return provinceOfCreditCode(association.creditCode);
  if (association.province !== undefined) return association.province;
  throw new RangeError('An association needs a credit code or a province');
}

/**
 * `FEEKEY#<association>#<category>#<normalized fee name>`, where <association> is the credit code, or
 * `NAME:<normalized name>:<province>` when the code is unknown.
 * @throws RangeError when a name normalizes to nothing (it would merge unrelated fees).
 */
export function feeCaseKey(input: { association: AssociationIdentity; fee: FeeIdentity }): string {
  const { association, fee } = input;
  const feeName = nonEmpty(normalizeFeeName(fee.name), 'fee name');
  const associationPart =
    association.creditCode ??
    `NAME:${nonEmpty(normalizeAssociationName(association.name), 'association name')}:${associationProvince(association)}`;
  return `FEEKEY#${associationPart}#${fee.category}#${feeName}`;
}

function nonEmpty(normalized: string, what: string): string {
  if (normalized === '') throw new RangeError(`The ${what} has no letters or digits`);
  return normalized;
}
