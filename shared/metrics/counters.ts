/**
 * Campaign metrics as counters. Every fee case and task contributes to the counters of the scopes it
 * belongs to; a change adds the difference between what the new and the old image contribute. Summed
 * over all changes that is exactly the contribution of the current state, whatever the order.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';

export type Counters = Record<string, number>;
/** Scope (`ALL`, `PROVINCE#11`, `CATEGORY#X`, `AGENCY#MCA`, `AGENCY_PROVINCE#MCA#11`) -> counters. */
export type ScopedCounters = Record<string, Counters>;

/** Upper bounds, in days, of the time-to-decision and time-to-closure histogram buckets. */
export const dayBuckets = [1, 3, 7, 15, 30, 60, 90, 180, 365, Number.POSITIVE_INFINITY] as const;
export const bucketName = (upTo: number) => (Number.isFinite(upTo) ? String(upTo) : 'inf');

const daySeconds = 86_400;

const duration = (prefix: 'decision' | 'closure', from: string, to: string): Counters => {
  const seconds = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  const bucket = dayBuckets.find((upTo) => seconds <= upTo * daySeconds) ?? Number.POSITIVE_INFINITY;
  return {
    [`${prefix}.count`]: 1,
    [`${prefix}.sumSeconds`]: seconds,
    [`${prefix}.le.${bucketName(bucket)}`]: 1,
  };
};

export const scopesOf = (dimensions: { province: string; category?: string; agency?: string }): string[] => [
  'ALL',
  `PROVINCE#${dimensions.province}`,
  ...(dimensions.category ? [`CATEGORY#${dimensions.category}`] : []),
  ...(dimensions.agency
    ? [`AGENCY#${dimensions.agency}`, `AGENCY_PROVINCE#${dimensions.agency}#${dimensions.province}`]
    : []),
];

/**
 * Campaign-wide counters the stream consumer also publishes as CloudWatch metrics (EMF, one line per
 * batch), so the dashboard charts the same exactly-once figures the metrics API serves.
 */
export const cloudWatchCounters = {
  ComplaintsReceived: 'complaintsReceived',
  CasesOpened: 'casesOpened',
  FeesAbolished: 'feesAbolished',
  EnterprisesHelped: 'enterprisesHelped',
  RefundedFen: 'refundedFen',
  AnnualFenRemoved: 'annualFenRemoved',
} as const;

/** What one case adds to the counters of each of its scopes. */
export const caseContribution = (feeCase: FeeCase): ScopedCounters => {
  const own: Counters = {
    casesOpened: 1,
    complaintsReceived: feeCase.complaintCount,
    [`stage.${feeCase.stage}`]: 1,
  };
  const suggested = feeCase.classification?.suggested.verdict;
  if (suggested) own[`verdict.suggested.${suggested}`] = 1;
  // The regulator's final verdict (a request for information is not one).
  const final = feeCase.verdict;
  if (final) own[`verdict.final.${final}`] = 1;
  if (feeCase.outcome) {
    own[`outcome.${feeCase.outcome}`] = 1;
    // A closed case is never counted as abolished unless its outcome is ABOLISHED.
    if (feeCase.outcome === 'ABOLISHED') own.feesAbolished = 1;
    own.refundedFen = feeCase.refundedFen;
    own.annualFenRemoved = feeCase.reducedAnnualFen;
    own.enterprisesHelped = feeCase.enterprisesHelped ?? 0;
  }
  // What complainants confirmed after closure, beside what was recorded: kept as the case's tally.
  const feedback = feeCase.feedback;
  if (feedback) {
    own.refundsConfirmed = feedback.refundsConfirmed;
    own.refundsDisputed = feedback.refundsDisputed;
    feedback.satisfaction.forEach((count, level) => {
      own[`satisfaction.${level + 1}`] = count;
    });
  }
  if (feeCase.reopened) own.reopenedCases = 1;
  if (feeCase.flags.includes('attention')) own.casesNeedingAttention = 1;
  if (feeCase.decidedAt) Object.assign(own, duration('decision', feeCase.openedAt, feeCase.decidedAt));
  if (feeCase.closedAt) Object.assign(own, duration('closure', feeCase.openedAt, feeCase.closedAt));

  const scoped: ScopedCounters = {};
  for (const scope of scopesOf({
    province: feeCase.province,
    category: feeCase.fee.category,
    agency: feeCase.agency,
  })) {
    scoped[scope] = { ...own };
  }
  // The campaign-wide scope also carries the breakdowns the dashboard charts, so one read serves it.
  const all = scoped.ALL as Counters;
  for (const [dimension, value] of [
    ['byCategory', feeCase.fee.category],
    ['byProvince', feeCase.province],
  ] as const) {
    const prefix = `${dimension}.${value}`;
    all[`${prefix}.complaintsReceived`] = feeCase.complaintCount;
    if (final) all[`${prefix}.verdict.${final}`] = 1;
    if (feeCase.outcome) {
      all[`${prefix}.outcome.${feeCase.outcome}`] = 1;
      all[`${prefix}.refundedFen`] = feeCase.refundedFen;
    }
  }
  return scoped;
};

/** What one task adds: open, overdue and escalated tasks, where the task currently waits. */
export const taskContribution = (task: FeeTask): ScopedCounters => {
  if (task.status !== 'OPEN') return {};
  const own: Counters = { openTasks: 1, [`openTasks.${task.kind}`]: 1 };
  if (task.overdue) own.overdueTasks = 1;
  if (task.escalated) own.escalatedTasks = 1;
  return Object.fromEntries(
    scopesOf({ province: task.province, agency: task.agency }).map((scope) => [scope, { ...own }]),
  );
};

/** Adds `delta` into `total`, scope by scope. */
export const addCounters = (total: ScopedCounters, delta: ScopedCounters): ScopedCounters => {
  for (const [scope, counters] of Object.entries(delta)) {
    const target = total[scope] ?? {};
    for (const [name, value] of Object.entries(counters)) target[name] = (target[name] ?? 0) + value;
    total[scope] = target;
  }
  return total;
};

/** `after - before`, scope by scope, without the counters that did not move. */
export const counterDelta = (before: ScopedCounters, after: ScopedCounters): ScopedCounters => {
  const delta: ScopedCounters = {};
  for (const scope of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[scope] ?? {};
    const to = after[scope] ?? {};
    const moved: Counters = {};
    for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
      const change = (to[name] ?? 0) - (from[name] ?? 0);
      if (change !== 0) moved[name] = change;
    }
    if (Object.keys(moved).length > 0) delta[scope] = moved;
  }
  return delta;
};
