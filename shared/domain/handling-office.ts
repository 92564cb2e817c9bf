/**
 * The office that handles a case, by its real name: an agency at the national level (民政部) or the
 * agency's department in a province (广东省民政厅). Receipts, progress, notifications and inboxes
 * name offices this way, never by code.
 */
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import type { Agency } from '#shared/domain/principal';

export type OfficeLanguage = 'zh-CN' | 'en';

type ProvinceKind = 'province' | 'municipality' | 'region';

/** Province-level divisions: official Chinese name, English name, and what kind of division each is. */
const divisions: Record<string, { zh: string; en: string; kind: ProvinceKind }> = {
  '11': { zh: '北京市', en: 'Beijing', kind: 'municipality' },
  '12': { zh: '天津市', en: 'Tianjin', kind: 'municipality' },
  '13': { zh: '河北省', en: 'Hebei', kind: 'province' },
  '14': { zh: '山西省', en: 'Shanxi', kind: 'province' },
  '15': { zh: '内蒙古自治区', en: 'Inner Mongolia', kind: 'region' },
  '21': { zh: '辽宁省', en: 'Liaoning', kind: 'province' },
  '22': { zh: '吉林省', en: 'Jilin', kind: 'province' },
  '23': { zh: '黑龙江省', en: 'Heilongjiang', kind: 'province' },
  '31': { zh: '上海市', en: 'Shanghai', kind: 'municipality' },
  '32': { zh: '江苏省', en: 'Jiangsu', kind: 'province' },
  '33': { zh: '浙江省', en: 'Zhejiang', kind: 'province' },
  '34': { zh: '安徽省', en: 'Anhui', kind: 'province' },
  '35': { zh: '福建省', en: 'Fujian', kind: 'province' },
  '36': { zh: '江西省', en: 'Jiangxi', kind: 'province' },
  '37': { zh: '山东省', en: 'Shandong', kind: 'province' },
  '41': { zh: '河南省', en: 'Henan', kind: 'province' },
  '42': { zh: '湖北省', en: 'Hubei', kind: 'province' },
  '43': { zh: '湖南省', en: 'Hunan', kind: 'province' },
  '44': { zh: '广东省', en: 'Guangdong', kind: 'province' },
  '45': { zh: '广西壮族自治区', en: 'Guangxi Zhuang Autonomous Region', kind: 'region' },
  '46': { zh: '海南省', en: 'Hainan', kind: 'province' },
  '50': { zh: '重庆市', en: 'Chongqing', kind: 'municipality' },
  '51': { zh: '四川省', en: 'Sichuan', kind: 'province' },
  '52': { zh: '贵州省', en: 'Guizhou', kind: 'province' },
  '53': { zh: '云南省', en: 'Yunnan', kind: 'province' },
  '54': { zh: '西藏自治区', en: 'Tibet Autonomous Region', kind: 'region' },
  '61': { zh: '陕西省', en: 'Shaanxi', kind: 'province' },
  '62': { zh: '甘肃省', en: 'Gansu', kind: 'province' },
  '63': { zh: '青海省', en: 'Qinghai', kind: 'province' },
  '64': { zh: '宁夏回族自治区', en: 'Ningxia Hui Autonomous Region', kind: 'region' },
  '65': { zh: '新疆维吾尔自治区', en: 'Xinjiang Uygur Autonomous Region', kind: 'region' },
};

/** A province-level division by its official name (广东省, Guangdong); the code when there is none. */
export const divisionName = (code: string, language: OfficeLanguage): string =>
  divisions[code]?.[language === 'zh-CN' ? 'zh' : 'en'] ?? code;

const nationalOffices: Record<Agency, { zh: string; en: string }> = {
  MCA: { zh: '民政部', en: 'Ministry of Civil Affairs' },
  SAMR: { zh: '国家市场监督管理总局', en: 'State Administration for Market Regulation' },
  NDRC: { zh: '国家发展和改革委员会', en: 'National Development and Reform Commission' },
};

/** Civil affairs is a 厅 (department) in provinces and regions, a 局 (bureau) in municipalities. */
const provincialOffice = (agency: Agency, division: (typeof divisions)[string]) => {
  const municipal = division.kind === 'municipality';
  const english = division.kind === 'province' ? `${division.en} Province` : division.en;
  switch (agency) {
    case 'MCA':
      return municipal
        ? { zh: `${division.zh}民政局`, en: `${division.en} Municipal Civil Affairs Bureau` }
        : { zh: `${division.zh}民政厅`, en: `Department of Civil Affairs of ${english}` };
    case 'SAMR':
      return {
        zh: `${division.zh}市场监督管理局`,
        en: municipal
          ? `${division.en} Municipal Administration for Market Regulation`
          : `Administration for Market Regulation of ${english}`,
      };
    case 'NDRC':
      return {
        zh: `${division.zh}发展和改革委员会`,
        en: municipal
          ? `${division.en} Municipal Commission of Development and Reform`
          : `Development and Reform Commission of ${english}`,
      };
  }
};

export interface HandlingOffice {
  agency: Agency;
  province: string;
  name: string;
}

/**
 * The office of `agency` for `province`, named in `language`. Divisions the campaign's regulators do
 * not cover (Hong Kong, Macao, Taiwan) and the national code are handled at the national level.
 */
export const handlingOffice = (
  agency: Agency,
  province: string,
  language: OfficeLanguage,
): HandlingOffice => {
  const division = province === NATIONAL_PROVINCE ? undefined : divisions[province];
  const names = division ? provincialOffice(agency, division) : nationalOffices[agency];
  return {
    agency,
    province: division ? province : NATIONAL_PROVINCE,
    name: language === 'zh-CN' ? names.zh : names.en,
  };
};
