/** Intake's one use of the register: the credit code of an association a complaint names without it. */
import { NATIONAL_PROVINCE, provinceOfCreditCode } from '#shared/domain/credit-code';
import { type AssociationIdentity, normalizeAssociationName } from '#shared/domain/fee-identity';
import type { RegisteredNames } from '#shared/ports/associations';

/**
 * The association a complaint names, with the credit code the register gives its name when the
 * complaint gave none: the one registered association of that name in the province the complainant
 * named or, when none is there, the one national association of that name. Otherwise (unregistered,
 * or several of one name) the complaint stays as it was.
 */
export const registeredIdentity = async <Association extends AssociationIdentity>(
  names: RegisteredNames | undefined,
  association: Association,
): Promise<Association> => {
  if (!names || association.creditCode !== undefined) return association;
  const normalized = normalizeAssociationName(association.name);
  if (normalized === '') return association;
  const codes = await names.creditCodesNamed(normalized);
  const inProvince = codes.filter((code) => provinceOfCreditCode(code) === association.province);
  const national = codes.filter((code) => provinceOfCreditCode(code) === NATIONAL_PROVINCE);
  const [code] = inProvince.length > 0 ? inProvince : national;
  if (code === undefined || (inProvince.length > 0 ? inProvince : national).length > 1) return association;
  return { ...association, creditCode: code, province: provinceOfCreditCode(code) };
};
