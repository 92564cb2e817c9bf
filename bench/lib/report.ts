/** What every suite reports: rows judged against their targets, plus free-form details. */

export type Status = 'PASS' | 'MISSED' | 'INFO' | 'SKIPPED' | 'ERROR';

export interface Target {
  /** Which number the target applies to. */
  on: 'measured' | 'ratio';
  op: '<=' | '>=';
  value: number;
}

export interface Row {
  id: string;
  /** The issue's benchmark number (1-6). */
  section: number;
  benchmark: string;
  measured?: number;
  unit?: string;
  floor?: number;
  /** What the floor is, in a few words. */
  floorLabel?: string;
  /** measured / floor (or, for growth benchmarks, the later value / the earlier one). */
  ratio?: number;
  target?: Target;
  status: Status;
  note?: string;
}

export interface SuiteResult {
  suite: string;
  seconds: number;
  rows: Row[];
  details: Record<string, unknown>;
  error?: string;
}

/** Judges a row against its target; rows without one are INFO. */
export const judged = (row: Omit<Row, 'status'> & { status?: Status }): Row => {
  if (row.status) return row as Row;
  if (!row.target) return { ...row, status: 'INFO' };
  const value = row.target.on === 'ratio' ? row.ratio : row.measured;
  if (value === undefined || Number.isNaN(value)) return { ...row, status: 'ERROR' };
  const pass = row.target.op === '<=' ? value <= row.target.value : value >= row.target.value;
  return { ...row, status: pass ? 'PASS' : 'MISSED' };
};

export const targetText = (row: Row, unitFormat: (value: number) => string = String): string => {
  if (!row.target) return '-';
  const op = row.target.op === '<=' ? '<=' : '>=';
  return row.target.on === 'ratio'
    ? `${op} ${row.target.value}x`
    : `${op} ${unitFormat(row.target.value)}${row.unit ? ` ${row.unit}` : ''}`;
};

export const formatNumber = (value: number | undefined): string => {
  if (value === undefined || Number.isNaN(value)) return '-';
  const magnitude = Math.abs(value);
  if (magnitude >= 100_000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 0.1) return value.toFixed(2);
  if (magnitude === 0) return '0';
  return value.toPrecision(2);
};

const withUnit = (value: number | undefined, unit: string | undefined) =>
  value === undefined ? '-' : `${formatNumber(value)}${unit ? ` ${unit}` : ''}`;

export const tableColumns = ['#', 'benchmark', 'measured', 'floor', 'ratio', 'target', 'result'] as const;

export const rowCells = (row: Row): string[] => [
  String(row.section),
  row.benchmark,
  withUnit(row.measured, row.unit),
  row.floor === undefined ? (row.floorLabel ?? '-') : `${withUnit(row.floor, row.unit)}`,
  row.ratio === undefined ? '-' : `${row.ratio.toFixed(2)}x`,
  targetText(row, formatNumber),
  row.status === 'MISSED' ? 'MISSED' : row.status,
];

/** A fixed-width text table. */
export const textTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
};

/** The same table in Markdown, for the README. */
export const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`),
  ].join('\n');
};
