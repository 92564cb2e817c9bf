/** Province-level divisions by their two-digit code, by their official names in the current language. */
import { divisionName } from '#shared/domain/handling-office';
import { lang } from './language.ts';

/** Codes the campaign's regulators do not cover as provinces: the national level, Taiwan, Hong Kong, Macao. */
const otherNames: Record<string, [string, string]> = {
  '00': ['National', '全国'],
  '71': ['Taiwan', '台湾省'],
  '81': ['Hong Kong SAR', '香港特别行政区'],
  '82': ['Macao SAR', '澳门特别行政区'],
};

/** A division for choosers and tables (广东省, never its code); an unknown code is shown as given. */
export const provinceName = (code: string | undefined): string => {
  if (code === undefined) return '';
  const language = lang();
  const other = otherNames[code];
  return divisionName(code, language) ?? (other ? other[language === 'zh-CN' ? 1 : 0] : code);
};
