/**
 * The dashboard's model of the metrics response: a sample recorded from `GET /api/metrics` on the local
 * runtime (six complaints across three provinces and five categories, five of them closed) becomes
 * headline figures and charts whose tables carry exactly the response's numbers, in both languages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignMetrics } from '#shared/metrics/messages';
import { setLang } from '../../web/src/i18n.ts';
import { type ChartSpec, chartsOf, describeChart, headlineOf } from '../../web/src/metrics-model.ts';
import sample from './fixtures/metrics-sample.json' with { type: 'json' };

const metrics = CampaignMetrics.parse(sample);
const chart = (id: string): ChartSpec => {
  const found = chartsOf(metrics).find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no chart ${id}`);
  return found;
};
const table = (spec: ChartSpec) =>
  Object.fromEntries(spec.rows.map((row, index) => [row.key, spec.values[index]]));

afterEach(() => setLang('en'));

describe('dashboard model of the recorded metrics', () => {
  it('is a response of the current metrics schema', () => {
    expect(CampaignMetrics.safeParse(sample).success).toBe(true);
    expect(metrics.breakdown).toBeDefined();
  });

  it('leads with fees abolished, refunds recorded and confirmed, annual burden removed and enterprises helped', () => {
    expect(headlineOf(metrics).map((figure) => [figure.key, figure.value])).toEqual([
      ['feesAbolished', '3'],
      ['refundedFen', '¥9,000.50'],
      ['refundsConfirmed', '2'],
      ['annualFenRemoved', '¥9,000.50'],
      ['enterprisesHelped', '4'],
      ['complaintsReceived', '6'],
      ['casesOpened', '6'],
    ]);
  });

  it('charts outcomes and verdicts with the response’s counts', () => {
    expect(table(chart('outcomes'))).toEqual({ ABOLISHED: [3], REGULATED: [1], DISMISSED: [1] });
    expect(table(chart('verdicts'))).toEqual({
      UNLAWFUL: [3, 3],
      REGULATED: [2, 1],
      DISMISSED: [0, 1],
      NEEDS_INFO: [0, 0],
      UNDETERMINED: [1, 0],
    });
    expect(table(chart('stages'))).toMatchObject({ CLOSED: [5], UNDER_REVIEW: [1], RECEIVED: [0] });
    expect(table(chart('tasks'))).toEqual({
      openTasks: [1],
      overdueTasks: [0],
      escalatedTasks: [0],
      casesNeedingAttention: [0],
    });
  });

  it('charts what enterprises confirmed after closure: refunds, disputes, reopened cases and satisfaction', () => {
    expect(table(chart('refund-confirmation'))).toEqual({
      refundsConfirmed: [2],
      refundsDisputed: [1],
      reopenedCases: [1],
    });
    expect(chart('satisfaction').rows.map((row) => row.label)).toEqual([
      'Very satisfied',
      'Satisfied',
      'Fairly satisfied',
      'Dissatisfied',
      'Very dissatisfied',
    ]);
    expect(table(chart('satisfaction'))).toEqual({ 5: [2], 4: [1], 3: [1], 2: [1], 1: [0] });
  });

  it('breaks outcomes and verdicts down by category and province, busiest first, with refunds', () => {
    const byCategory = chart('outcomes-by-category');
    expect(byCategory.kind).toBe('stacked');
    expect(byCategory.series.map((series) => series.key)).toEqual(['ABOLISHED', 'REGULATED', 'DISMISSED']);
    expect(byCategory.rows[0]?.key).toBe('MEMBERSHIP_DUES');
    expect(table(byCategory)).toEqual({
      MEMBERSHIP_DUES: [2, 0, 0],
      RATING_AWARD: [1, 0, 0],
      MARKET_SERVICE: [0, 1, 0],
      MEETING_TRAINING: [0, 0, 1],
      EXHIBITION: [0, 0, 0],
    });
    const refunds = byCategory.extra?.find((extra) => extra.label === 'Refunded to enterprises');
    expect(refunds?.values[0]).toBe('¥6,000.50');
    expect(table(chart('outcomes-by-province'))).toMatchObject({
      '11': [2, 0, 0],
      '44': [1, 1, 0],
      '31': [0, 0, 1],
    });
    expect(table(chart('verdicts-by-province'))).toMatchObject({ '11': [2, 0, 0] });
    expect(chart('verdicts-by-category').rows.map((row) => row.label)).toContain('Membership dues');
  });

  it('reads time to decision from the histogram buckets, with mean, median and 90th percentile', () => {
    const decision = chart('days-to-decision');
    expect(decision.rows.map((row) => row.label).slice(0, 2)).toEqual(['up to 1 day', 'up to 3 days']);
    expect(decision.rows.at(-1)?.label).toBe('more than 365 days');
    expect(decision.values[0]).toEqual([5]);
    expect(decision.note).toBe('5 cases; mean 0 days, median 1, 90% within 1');
  });

  it('describes each chart in one sentence for screen readers, and speaks Chinese when asked', () => {
    expect(describeChart(chart('outcomes'))).toBe(
      'Outcomes of closed cases: Abolished 3; Regulated 1; Dismissed 1',
    );
    setLang('zh-CN');
    expect(headlineOf(metrics).slice(1, 3)).toEqual([
      { key: 'refundedFen', label: '退费金额（核查记录）', value: '¥9,000.50' },
      { key: 'refundsConfirmed', label: '企业确认退费到账（家）', value: '2' },
    ]);
    expect(chart('satisfaction').rows.map((row) => row.label)).toEqual([
      '非常满意',
      '满意',
      '基本满意',
      '不满意',
      '非常不满意',
    ]);
    expect(describeChart(chart('outcomes'))).toBe('已办结案件的结果：收费已取消 3; 规范管理 1; 不予支持 1');
    expect(chart('outcomes-by-province').rows.map((row) => row.label)).toContain('北京市');
  });
});
