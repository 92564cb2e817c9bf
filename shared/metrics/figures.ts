/** Turning the counters of one scope into the figures the API reports. */
import { bucketName, type Counters, dayBuckets } from '#shared/metrics/counters';
import type { CampaignFigures, CampaignMetrics } from '#shared/metrics/messages';

const daySeconds = 86_400;

/** Counters under `prefix.`, keyed by the rest of their name (one level). */
const countsUnder = (counters: Counters, prefix: string): Record<string, number> => {
  const found: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters)) {
    if (!name.startsWith(`${prefix}.`) || value === 0) continue;
    const key = name.slice(prefix.length + 1);
    if (!key.includes('.')) found[key] = value;
  }
  return found;
};

/** The value at quantile `q`, read from cumulative buckets: the upper bound of the bucket it falls in. */
const quantileDays = (buckets: { upToDays: number | null; count: number }[], total: number, q: number) => {
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const bucket of buckets) {
    seen += bucket.count;
    if (seen >= rank) return bucket.upToDays;
  }
  return null;
};

const durations = (counters: Counters, prefix: 'decision' | 'closure') => {
  const count = counters[`${prefix}.count`] ?? 0;
  const sumDays = (counters[`${prefix}.sumSeconds`] ?? 0) / daySeconds;
  const buckets = dayBuckets.map((upTo) => ({
    upToDays: Number.isFinite(upTo) ? upTo : null,
    count: counters[`${prefix}.le.${bucketName(upTo)}`] ?? 0,
  }));
  return {
    count,
    sumDays: Math.round(sumDays * 100) / 100,
    meanDays: count > 0 ? Math.round((sumDays / count) * 100) / 100 : null,
    medianDays: quantileDays(buckets, count, 0.5),
    p90Days: quantileDays(buckets, count, 0.9),
    buckets,
  };
};

export const figuresOf = (counters: Counters): CampaignFigures => ({
  complaintsReceived: counters.complaintsReceived ?? 0,
  casesOpened: counters.casesOpened ?? 0,
  casesByStage: countsUnder(counters, 'stage'),
  verdicts: {
    suggested: countsUnder(counters, 'verdict.suggested'),
    final: countsUnder(counters, 'verdict.final'),
  },
  outcomes: countsUnder(counters, 'outcome'),
  feesAbolished: counters.feesAbolished ?? 0,
  refundedFen: counters.refundedFen ?? 0,
  annualFenRemoved: counters.annualFenRemoved ?? 0,
  enterprisesHelped: counters.enterprisesHelped ?? 0,
  openTasks: counters.openTasks ?? 0,
  overdueTasks: counters.overdueTasks ?? 0,
  escalatedTasks: counters.escalatedTasks ?? 0,
  casesNeedingAttention: counters.casesNeedingAttention ?? 0,
  refundsConfirmed: counters.refundsConfirmed ?? 0,
  refundsDisputed: counters.refundsDisputed ?? 0,
  satisfaction: {
    1: counters['satisfaction.1'] ?? 0,
    2: counters['satisfaction.2'] ?? 0,
    3: counters['satisfaction.3'] ?? 0,
    4: counters['satisfaction.4'] ?? 0,
    5: counters['satisfaction.5'] ?? 0,
  },
  reopenedCases: counters.reopenedCases ?? 0,
  daysToDecision: durations(counters, 'decision'),
  daysToClosure: durations(counters, 'closure'),
});

const breakdownOf = (counters: Counters, dimension: 'byCategory' | 'byProvince') => {
  const keys = new Set(
    Object.keys(counters)
      .filter((name) => name.startsWith(`${dimension}.`))
      .map((name) => name.split('.')[1] as string),
  );
  return Object.fromEntries(
    [...keys].sort().map((key) => {
      const prefix = `${dimension}.${key}`;
      return [
        key,
        {
          complaintsReceived: counters[`${prefix}.complaintsReceived`] ?? 0,
          refundedFen: counters[`${prefix}.refundedFen`] ?? 0,
          outcomes: countsUnder(counters, `${prefix}.outcome`),
          verdicts: countsUnder(counters, `${prefix}.verdict`),
        },
      ];
    }),
  );
};

export const metricsOf = (scope: string, counters: Counters): CampaignMetrics => ({
  scope,
  figures: figuresOf(counters),
  ...(scope === 'ALL'
    ? {
        breakdown: {
          byCategory: breakdownOf(counters, 'byCategory'),
          byProvince: breakdownOf(counters, 'byProvince'),
        },
      }
    : {}),
});
