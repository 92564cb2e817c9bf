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

// Whitespace, punctuation, symbols, separators, and invisible controls/format characters (e.g. U+200B):
// none of them tell two fees apart, and `#`/`:` must never reach the key.
const IGNORED = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]/gu;

/** NFKC (folds full-width forms), lower case, then every space, punctuation mark and symbol removed. */
export function normalizeFeeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().normalize('NFKC').replace(IGNORED, '');
}

/** Same normalization as fee names: `中国XX协会` and `中国 XX 协会。` are one association. */
export function normalizeAssociationName(name: string): string {
  return normalizeFeeName(name);
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
