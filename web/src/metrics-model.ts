/**
 * Campaign metrics (docs/data-model.md) turned into what the dashboard draws: headline figures and
 * chart specifications whose numbers also fill each chart's table. Pure (no DOM), so it is tested
 * in Node against a recorded sample.
 */
import { feeCategories } from '#shared/domain/complaint';
import { outcomes, stages } from '#shared/domain/fee-case';
import { formatDays, formatLargeMoney, formatMoney, formatNumber, provinceName, t, tx } from './i18n.ts';
import type { CampaignMetrics } from './types.ts';

export interface Headline {
  key: string;
  label: string;
  value: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** bars: one value per row; stacked: parts of one total per row; grouped: one bar per series per row. */
  kind: 'bars' | 'stacked' | 'grouped';
  rows: { key: string; label: string }[];
  series: { key: string; label: string; colour: string }[];
  /** values[row][series] */
  values: number[][];
  /** Extra table columns (already formatted), e.g. refunds per category. */
  extra?: { label: string; values: string[] }[];
  /** One sentence under the title, e.g. mean and median days. */
  note?: string;
  rowHeader: string;
}

/** Colours with at least 4.5:1 contrast on white, told apart by the legend and the table too. */
export const palette = {
  ABOLISHED: '#1b6e3a',
  REGULATED: '#1d56b3',
  DISMISSED: '#5c5c5c',
  UNLAWFUL: '#a1261b',
  NEEDS_INFO: '#8a5000',
  UNDETERMINED: '#6a3d9a',
  suggested: '#5c5c5c',
  final: '#1d56b3',
  single: '#1d56b3',
  overdue: '#a1261b',
  escalated: '#8a5000',
} as const;

/** Most satisfied first, as the question offers them. */
const satisfactionLevels = [5, 4, 3, 2, 1] as const;

const verdictKeys = ['UNLAWFUL', 'REGULATED', 'DISMISSED', 'NEEDS_INFO', 'UNDETERMINED'] as const;

const colourOf = (key: string): string => (palette as Record<string, string>)[key] ?? palette.single;

type Breakdown = NonNullable<CampaignMetrics['breakdown']>['byCategory'];

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

const breakdownChart = (
  id: string,
  title: string,
  breakdown: Breakdown,
  part: 'outcomes' | 'verdicts',
  order: readonly string[],
  labelOf: (key: string) => string,
  rowHeader: string,
): ChartSpec => {
  const partKeys: readonly string[] = part === 'outcomes' ? outcomes : verdictKeys;
  const present = Object.keys(breakdown);
  const keys = [
    ...order.filter((key) => present.includes(key)),
    ...present.filter((key) => !order.includes(key)).sort(),
  ];
  // The rows people look for first: most cases on top.
  keys.sort((a, b) => total(breakdown[b]?.[part] ?? {}) - total(breakdown[a]?.[part] ?? {}));
  const usedSeries = partKeys.filter((key) => keys.some((row) => (breakdown[row]?.[part]?.[key] ?? 0) > 0));
  const series = (usedSeries.length > 0 ? usedSeries : partKeys.slice(0, 1)).map((key) => ({
    key,
    label: tx(part === 'outcomes' ? 'outcome' : 'verdict', key),
    colour: colourOf(key),
  }));
  return {
    id,
    title,
    kind: 'stacked',
    rows: keys.map((key) => ({ key, label: labelOf(key) })),
    series,
    values: keys.map((row) => series.map((s) => breakdown[row]?.[part]?.[s.key] ?? 0)),
    extra: [
      {
        label: t('complaintsReceived'),
        values: keys.map((row) => formatNumber(breakdown[row]?.complaintsReceived ?? 0)),
      },
      { label: t('yuanRefunded'), values: keys.map((row) => formatMoney(breakdown[row]?.refundedFen ?? 0)) },
    ],
    rowHeader,
  };
};

const durationChart = (
  id: string,
  title: string,
  durations: CampaignMetrics['figures']['daysToDecision'],
): ChartSpec => {
  let previous = 0;
  const rows = durations.buckets.map((bucket) => {
    const label =
      bucket.upToDays === null
        ? t('moreThanDays', { n: previous })
        : bucket.upToDays === 1
          ? t('upToDay')
          : t('upToDays', { n: bucket.upToDays });
    const key = bucket.upToDays === null ? 'more' : String(bucket.upToDays);
    if (bucket.upToDays !== null) previous = bucket.upToDays;
    return { key, label };
  });
  return {
    id,
    title,
    kind: 'bars',
    rows,
    series: [{ key: 'count', label: t('colCount'), colour: palette.single }],
    values: durations.buckets.map((bucket) => [bucket.count]),
    note:
      durations.count > 0
        ? t('durationsSummary', {
            count: formatNumber(durations.count),
            mean: formatDays(durations.meanDays),
            median: formatDays(durations.medianDays),
            p90: formatDays(durations.p90Days),
          })
        : t('durationsNone'),
    rowHeader: t('colBucket'),
  };
};

export const headlineOf = (metrics: CampaignMetrics): Headline[] => {
  const f = metrics.figures;
  return [
    { key: 'feesAbolished', label: t('feesAbolished'), value: formatNumber(f.feesAbolished) },
    // What regulators recorded, beside what the enterprises themselves confirmed.
    { key: 'refundedFen', label: t('refundsRecorded'), value: formatLargeMoney(f.refundedFen) },
    { key: 'refundsConfirmed', label: t('refundsConfirmed'), value: formatNumber(f.refundsConfirmed) },
    { key: 'annualFenRemoved', label: t('annualBurdenRemoved'), value: formatLargeMoney(f.annualFenRemoved) },
    { key: 'enterprisesHelped', label: t('enterprisesHelped'), value: formatNumber(f.enterprisesHelped) },
    { key: 'complaintsReceived', label: t('complaintsReceived'), value: formatNumber(f.complaintsReceived) },
    { key: 'casesOpened', label: t('casesOpened'), value: formatNumber(f.casesOpened) },
  ];
};

export const chartsOf = (metrics: CampaignMetrics): ChartSpec[] => {
  const f = metrics.figures;
  const charts: ChartSpec[] = [
    {
      id: 'outcomes',
      title: t('chartOutcomes'),
      kind: 'bars',
      rows: outcomes.map((key) => ({ key, label: tx('outcome', key) })),
      series: [{ key: 'count', label: t('colCount'), colour: palette.single }],
      values: outcomes.map((key) => [f.outcomes[key] ?? 0]),
      rowHeader: t('colOutcome'),
    },
    {
      id: 'verdicts',
      title: t('chartVerdicts'),
      kind: 'grouped',
      rows: verdictKeys
        .filter((key) => key !== 'UNDETERMINED' || (f.verdicts.suggested[key] ?? 0) > 0)
        .map((key) => ({ key, label: tx('verdict', key) })),
      series: [
        { key: 'suggested', label: t('suggested'), colour: palette.suggested },
        { key: 'final', label: t('final'), colour: palette.final },
      ],
      values: [],
      rowHeader: t('colVerdict'),
    },
  ];
  const verdicts = charts[1] as ChartSpec;
  verdicts.values = verdicts.rows.map((row) => [
    f.verdicts.suggested[row.key] ?? 0,
    f.verdicts.final[row.key] ?? 0,
  ]);

  if (metrics.breakdown) {
    const { byCategory, byProvince } = metrics.breakdown;
    const categoryLabel = (key: string) => tx('category', key);
    charts.push(
      breakdownChart(
        'outcomes-by-category',
        t('chartOutcomesByCategory'),
        byCategory,
        'outcomes',
        feeCategories,
        categoryLabel,
        t('caseCategory'),
      ),
      breakdownChart(
        'outcomes-by-province',
        t('chartOutcomesByProvince'),
        byProvince,
        'outcomes',
        [],
        provinceName,
        t('colProvince'),
      ),
      breakdownChart(
        'verdicts-by-category',
        t('chartVerdictsByCategory'),
        byCategory,
        'verdicts',
        feeCategories,
        categoryLabel,
        t('caseCategory'),
      ),
      breakdownChart(
        'verdicts-by-province',
        t('chartVerdictsByProvince'),
        byProvince,
        'verdicts',
        [],
        provinceName,
        t('colProvince'),
      ),
    );
  }

  charts.push(
    {
      id: 'refund-confirmation',
      title: t('chartRefundConfirmation'),
      kind: 'bars',
      rows: [
        { key: 'refundsConfirmed', label: t('refundsConfirmed') },
        { key: 'refundsDisputed', label: t('refundsDisputed') },
        { key: 'reopenedCases', label: t('reopenedCases') },
      ],
      series: [{ key: 'count', label: t('colCount'), colour: palette.single }],
      values: [[f.refundsConfirmed], [f.refundsDisputed], [f.reopenedCases]],
      rowHeader: t('chartRefundConfirmation'),
    },
    {
      id: 'satisfaction',
      title: t('chartSatisfaction'),
      kind: 'bars',
      rows: satisfactionLevels.map((level) => ({
        key: String(level),
        label: tx('satisfaction', String(level)),
      })),
      series: [{ key: 'count', label: t('colCount'), colour: palette.single }],
      values: satisfactionLevels.map((level) => [f.satisfaction[level]]),
      rowHeader: t('feedbackSatisfactionLabel'),
    },
    durationChart('days-to-decision', t('chartDecision'), f.daysToDecision),
    durationChart('days-to-closure', t('chartClosure'), f.daysToClosure),
    {
      id: 'tasks',
      title: t('chartTasks'),
      kind: 'bars',
      rows: [
        { key: 'openTasks', label: t('openTasks') },
        { key: 'overdueTasks', label: t('overdueTasks') },
        { key: 'escalatedTasks', label: t('escalatedTasks') },
        { key: 'casesNeedingAttention', label: t('casesNeedingAttention') },
      ],
      series: [{ key: 'count', label: t('colCount'), colour: palette.single }],
      values: [[f.openTasks], [f.overdueTasks], [f.escalatedTasks], [f.casesNeedingAttention ?? 0]],
      rowHeader: t('chartTasks'),
    },
    {
      id: 'stages',
      title: t('chartStages'),
      kind: 'bars',
      rows: stages.map((key) => ({ key, label: tx('stage', key) })),
      series: [{ key: 'count', label: t('colCount'), colour: palette.single }],
      values: stages.map((key) => [f.casesByStage[key] ?? 0]),
      rowHeader: t('colStage'),
    },
  );
  return charts;
};

/** A sentence naming every number of the chart, for screen readers (the table has them too). */
export const describeChart = (chart: ChartSpec): string => {
  const parts = chart.rows.map((row, index) => {
    const values = chart.values[index] ?? [];
    if (chart.series.length === 1) return `${row.label} ${formatNumber(values[0] ?? 0)}`;
    return `${row.label}: ${chart.series.map((s, i) => `${s.label} ${formatNumber(values[i] ?? 0)}`).join(', ')}`;
  });
  return t('chartLabel', { title: chart.title, summary: parts.length > 0 ? parts.join('; ') : t('noData') });
};
