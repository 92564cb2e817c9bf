/** CSV as the campaign's files write it: RFC 4180 quoting, CRLF rows, and cells a spreadsheet will not run. */

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
