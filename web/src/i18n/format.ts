/**
 * Dates, numbers and amounts as the current language writes them. Amounts are always yuan with two
 * decimals, computed from integer fen; dates and times are China time.
 */
import { formatYuan } from '#shared/domain/money';
import { lang } from './language.ts';

const locale = () => (lang() === 'zh-CN' ? 'zh-CN' : 'en-GB');

/**
 * Making an Intl formatter costs far more than using one (a case page formats dozens of dates, and on a
 * slow phone the making alone blocked the page for a tenth of a second): one of each per language.
 */
const perLanguage = <Formatter>(make: (locale: string) => Formatter): (() => Formatter) => {
  const made = new Map<string, Formatter>();
  return () => {
    const key = locale();
    const kept = made.get(key);
    if (kept) return kept;
    const formatter = make(key);
    made.set(key, formatter);
    return formatter;
  };
};

const dateTimeFormat = perLanguage(
  (l) =>
    new Intl.DateTimeFormat(l, {
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
      timeZone: 'Asia/Shanghai',
    }),
);
const dateFormat = perLanguage(
  (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }),
);
const listFormat = perLanguage((l) => new Intl.ListFormat(l, { style: 'long', type: 'conjunction' }));
const numberFormat = perLanguage((l) => new Intl.NumberFormat(l));
const fractionFormats = {
  0: perLanguage((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })),
  1: perLanguage((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 1 })),
  2: perLanguage((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 2 })),
};
/** A number with at most `digits` decimals. */
const withFraction = (value: number, digits: keyof typeof fractionFormats) =>
  fractionFormats[digits]().format(value);

/** Fees are charged in China: dates and times are shown in China time, the date as `formatDate` writes it. */
export const formatDateTime = (iso: string | undefined): string =>
  iso ? dateTimeFormat().format(new Date(iso)) : '';

/** `a, b and c` in English, `a、b、c` in Chinese. */
export const joinList = (items: readonly string[]): string => listFormat().format(items);

/** A day: `2026年12月2日` in Chinese, `2 Dec 2026` in English. */
export const formatDate = (iso: string | undefined): string =>
  iso ? dateFormat().format(new Date(iso.length === 10 ? `${iso}T12:00:00+08:00` : iso)) : '';

export const formatNumber = (value: number): string => numberFormat().format(value);

/** Integer fen as `¥12,345.67`: exact (string arithmetic on formatYuan's output), two decimals. */
export const formatMoney = (fen: number): string => {
  const plain = formatYuan(fen);
  const negative = plain.startsWith('-');
  const [whole = '0', decimals = '00'] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${decimals}`;
};

/**
 * A headline sum as people say it, rounded from ten thousand yuan up: `37.68 万元`, `1.2 亿元` in
 * Chinese, `¥376,800`, `¥1.2 million` in English; smaller sums and every table keep `formatMoney`.
 */
export const formatLargeMoney = (fen: number): string => {
  const yuan = fen / 100;
  const size = Math.abs(yuan);
  if (size < 1e4) return formatMoney(fen);
  if (lang() === 'zh-CN')
    return size >= 1e8 ? `${withFraction(yuan / 1e8, 2)} 亿元` : `${withFraction(yuan / 1e4, 2)} 万元`;
  if (size >= 1e9) return `¥${withFraction(yuan / 1e9, 2)} billion`;
  return size >= 1e6 ? `¥${withFraction(yuan / 1e6, 2)} million` : `¥${withFraction(yuan, 0)}`;
};

/** A file's size as people read it: whole KB below 1 MB (at least 1 KB), else MB with one decimal (1024-based, as the 10 MB limit counts). */
export const formatFileSize = (bytes: number): string => {
  const kib = Math.max(1, Math.ceil(bytes / 1024));
  return kib < 1024 ? `${formatNumber(kib)} KB` : `${withFraction(bytes / 1024 / 1024, 1)} MB`;
};

/** Days with at most one decimal. */
export const formatDays = (days: number | null | undefined): string =>
  days === null || days === undefined ? '–' : withFraction(days, 1);
