/**
 * Hand-made charts: each row is HTML text (readable at any width) beside an SVG bar scaled to the
 * largest value. The chart is one image with a full description; the same numbers follow as a table.
 */
import { type Child, h, s, scrollTable, table } from './dom.ts';
import { formatNumber, t } from './i18n.ts';
import { type ChartSpec, describeChart } from './metrics-model.ts';

const barHeight = 10;

const bar = (parts: readonly { value: number; colour: string }[], max: number): SVGElement => {
  let x = 0;
  const rects = parts.map(({ value, colour }) => {
    const width = max > 0 ? (value / max) * 100 : 0;
    const rect = s('rect', { x, y: 0, width: width.toFixed(3), height: barHeight, fill: colour });
    x += width;
    return rect;
  });
  return s(
    'svg',
    {
      class: 'bar',
      viewBox: `0 0 100 ${barHeight}`,
      preserveAspectRatio: 'none',
      'aria-hidden': 'true',
      focusable: 'false',
    },
    s('rect', { x: 0, y: 0, width: 100, height: barHeight, fill: '#eef1f6' }),
    ...rects,
  );
};

const legend = (chart: ChartSpec): Child =>
  chart.series.length > 1
    ? h(
        'ul',
        { class: 'legend', 'aria-hidden': 'true' },
        chart.series.map((series) =>
          h(
            'li',
            null,
            s(
              'svg',
              { class: 'swatch', viewBox: '0 0 10 10', 'aria-hidden': 'true' },
              s('rect', { width: 10, height: 10, fill: series.colour }),
            ),
            series.label,
          ),
        ),
      )
    : null;

const sum = (values: readonly number[]) => values.reduce((total, n) => total + n, 0);

export const chart = (spec: ChartSpec): HTMLElement => {
  const titleId = `chart-${spec.id}-title`;
  const values = spec.values;
  const max = spec.kind === 'stacked' ? Math.max(0, ...values.map(sum)) : Math.max(0, ...values.flat());
  const rows = spec.rows.map((row, index) => {
    const rowValues = values[index] ?? [];
    if (spec.kind === 'grouped') {
      return h(
        'div',
        { class: 'chart-row grouped' },
        h('span', { class: 'chart-label' }, row.label),
        h(
          'span',
          { class: 'chart-bars' },
          spec.series.map((series, i) =>
            h(
              'span',
              { class: 'chart-sub' },
              bar([{ value: rowValues[i] ?? 0, colour: series.colour }], max),
              h('span', { class: 'chart-value' }, `${series.label} ${formatNumber(rowValues[i] ?? 0)}`),
            ),
          ),
        ),
      );
    }
    return h(
      'div',
      { class: 'chart-row' },
      h('span', { class: 'chart-label' }, row.label),
      h(
        'span',
        { class: 'chart-sub' },
        bar(
          spec.series.map((series, i) => ({ value: rowValues[i] ?? 0, colour: series.colour })),
          max,
        ),
        h('span', { class: 'chart-value' }, formatNumber(sum(rowValues))),
      ),
    );
  });
  const headers = [
    spec.rowHeader,
    ...spec.series.map((series) => series.label),
    ...(spec.kind === 'stacked' ? [t('colTotal')] : []),
    ...(spec.extra ?? []).map((extra) => extra.label),
  ];
  const tableRows = spec.rows.map((row, index) => {
    const rowValues = values[index] ?? [];
    return [
      row.label,
      ...rowValues.map((value) => formatNumber(value)),
      ...(spec.kind === 'stacked' ? [formatNumber(sum(rowValues))] : []),
      ...(spec.extra ?? []).map((extra) => extra.values[index] ?? ''),
    ];
  });
  return h(
    'figure',
    { class: 'chart card', id: `chart-${spec.id}`, 'aria-labelledby': titleId },
    h(
      'figcaption',
      null,
      h('h3', { id: titleId }, spec.title),
      spec.note ? h('p', { class: 'chart-note' }, spec.note) : null,
    ),
    legend(spec),
    spec.rows.length === 0
      ? h('p', { class: 'empty' }, t('noData'))
      : h('div', { class: 'chart-body', role: 'img', 'aria-label': describeChart(spec) }, rows),
    h(
      'details',
      { class: 'chart-table' },
      h('summary', null, t('showNumbers')),
      scrollTable(spec.title, table(spec.title, headers, tableRows, { rowHeaders: true })),
    ),
  );
};
