/**
 * Dates, numbers and amounts as the current language writes them. Amounts are always yuan with two
 * decimals, computed from integer fen; dates and times are China time.
 */
import { formatYuan } from '#shared/domain/money';
import { lang } from './language.ts';

const locale = () => (lang() === 'zh-CN' ? 'zh-CN' : 'en-GB');

/** Fees are charged in China: dates and times are shown in China time, the date as `formatDate` writes it. */
export const formatDateTime = (iso: string | undefined): string =>
  iso
    ? new Intl.DateTimeFormat(locale(), {
        dateStyle: 'medium',
        timeStyle: 'short',
        hourCycle: 'h23',
        timeZone: 'Asia/Shanghai',
      }).format(new Date(iso))
    : '';

/** `a, b and c` in English, `a、b、c` in Chinese. */
export const joinList = (items: readonly string[]): string =>
  new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(items);

/** A day: `2026年12月2日` in Chinese, `2 Dec 2026` in English. */
export const formatDate = (iso: string | undefined): string =>
  iso
    ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(
        new Date(iso.length === 10 ? `${iso}T12:00:00+08:00` : iso),
      )
    : '';

export const formatNumber = (value: number): string => new Intl.NumberFormat(locale()).format(value);

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
  const figure = (value: number, digits: number) =>
    new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
  if (size < 1e4) return formatMoney(fen);
  if (lang() === 'zh-CN')
    return size >= 1e8 ? `${figure(yuan / 1e8, 2)} 亿元` : `${figure(yuan / 1e4, 2)} 万元`;
  if (size >= 1e9) return `¥${figure(yuan / 1e9, 2)} billion`;
  return size >= 1e6 ? `¥${figure(yuan / 1e6, 2)} million` : `¥${figure(yuan, 0)}`;
};

/** A file's size as people read it: whole KB below 1 MB (at least 1 KB), else MB with one decimal (1024-based, as the 10 MB limit counts). */
export const formatFileSize = (bytes: number): string => {
  const kib = Math.max(1, Math.ceil(bytes / 1024));
  return kib < 1024
    ? `${formatNumber(kib)} KB`
    : `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
};

/** Days with at most one decimal. */
export const formatDays = (days: number | null | undefined): string =>
  days === null || days === undefined
    ? '–'
    : new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(days);
