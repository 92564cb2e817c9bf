/** Province-level divisions by their two-digit code, named in the current language. */
import { lang } from './language.ts';

/** Province names for choosers and tables. */
const provinceNames: Record<string, [string, string]> = {
  '00': ['National', '全国'],
  '11': ['Beijing', '北京'],
  '12': ['Tianjin', '天津'],
  '13': ['Hebei', '河北'],
  '14': ['Shanxi', '山西'],
  '15': ['Inner Mongolia', '内蒙古'],
  '21': ['Liaoning', '辽宁'],
  '22': ['Jilin', '吉林'],
  '23': ['Heilongjiang', '黑龙江'],
  '31': ['Shanghai', '上海'],
  '32': ['Jiangsu', '江苏'],
  '33': ['Zhejiang', '浙江'],
  '34': ['Anhui', '安徽'],
  '35': ['Fujian', '福建'],
  '36': ['Jiangxi', '江西'],
  '37': ['Shandong', '山东'],
  '41': ['Henan', '河南'],
  '42': ['Hubei', '湖北'],
  '43': ['Hunan', '湖南'],
  '44': ['Guangdong', '广东'],
  '45': ['Guangxi', '广西'],
  '46': ['Hainan', '海南'],
  '50': ['Chongqing', '重庆'],
  '51': ['Sichuan', '四川'],
  '52': ['Guizhou', '贵州'],
  '53': ['Yunnan', '云南'],
  '54': ['Tibet', '西藏'],
  '61': ['Shaanxi', '陕西'],
  '62': ['Gansu', '甘肃'],
  '63': ['Qinghai', '青海'],
  '64': ['Ningxia', '宁夏'],
  '65': ['Xinjiang', '新疆'],
  '71': ['Taiwan', '台湾'],
  '81': ['Hong Kong', '香港'],
  '82': ['Macao', '澳门'],
};

export const provinceName = (code: string | undefined): string => {
  if (code === undefined) return '';
  const names = provinceNames[code];
  return names ? `${lang() === 'zh-CN' ? names[1] : names[0]} (${code})` : code;
};
