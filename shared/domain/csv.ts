/** CSV as the campaign's files write it: RFC 4180 quoting, CRLF rows, and cells a spreadsheet will not run. */

import { chinaDate } from '#shared/domain/working-days';

// Spreadsheets skip leading blanks and read full-width signs as their ASCII twins before deciding
// that a cell is a formula; a leading tab or CR starts one in some of them.
const FORMULA = /^[\t\r]|^[\s\p{Z}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

/**
 * Quotes a field when it must be (comma, semicolon for spreadsheets that split on it, quote, line
 * break) and defuses text a spreadsheet would run as a formula.
 */
export const csvField = (value: string | number | undefined): string => {
  let text = value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const csvLine = (values: readonly (string | number | undefined)[]) =>
  `${values.map(csvField).join(',')}\r\n`;

/** The first line of a file people open: a byte order mark, without which Excel reads UTF-8 as the local code page. */
export const csvHeaderForPeople = (columns: readonly string[]) => `\uFEFF${csvLine(columns)}`;

/** The day of an instant in China time, as the campaign's files write it (`2026-12-02`). */
export const csvDay = (instant: string | undefined) => (instant ? chinaDate(new Date(instant)) : undefined);
