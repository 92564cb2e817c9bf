/**
 * Benchmark 1 of the second wave: a hot fee. 1,000 enterprises complain at concurrency 32 about one
 * fee (one case opens, 999 join it), against 1,000 complaints about 1,000 different fees, over HTTP
 * against the local runtime (DynamoDB Local, the stream consumers, the local engine). A filing never
 * writes the case item, so the hot fee should not be slower; at the end the case's counts must be
 * exactly what was filed (the case journal moves them from the stream, once each).
 *
 * The spread phase opens 1,000 cases and so starts 1,000 workflows on the local engine while it runs;
 * the hot phase starts one. Each phase is followed by draining the streams and letting the engine go
 * quiet, so neither phase pays for the other's backlog.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ComplaintInput } from '#shared/domain/complaint';
import { feeCaseKey } from '#shared/domain/fee-identity';
import { benchComplaint, enterpriseOf } from '../lib/complaints.ts';
import { LoadGenerator, type LoadResult } from '../lib/load-generator.ts';
import { type LocalCampaign, startLocalCampaign } from '../lib/local-campaign.ts';
import { percentile } from '../lib/stats.ts';
import { runSuite, type SuiteContext } from '../lib/suite.ts';

const complaints = 1_000;
const concurrency = 32;

interface PhaseFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  settleSeconds: number;
}

const figuresOf = (result: LoadResult, settleSeconds: number): PhaseFigures => ({
  perSecond: (result.statuses['202'] ?? 0) / (result.elapsedMs / 1000),
  p50Ms: percentile(result.latenciesMs, 50),
  p99Ms: percentile(result.latenciesMs, 99),
  statuses: result.statuses,
  settleSeconds: Math.round(settleSeconds * 10) / 10,
});

/** The hot fee's case as stored once the streams are drained. */
const hotCase = async (campaign: LocalCampaign, tag: string) => {
  const get = async (Key: Record<string, string>) =>
    (
      await campaign.benchClient.send(
        new GetCommand({ TableName: campaign.tableName, Key, ConsistentRead: true }),
      )
    ).Item;
  const body = ComplaintInput.parse(benchComplaint(0, { tag, oneFee: true }));
  const pointer = await get({ pk: feeCaseKey(body), sk: 'FEEKEY' });
  if (!pointer) throw new Error('the hot fee has no case');
  return get({ pk: `CASE#${pointer.caseId as string}`, sk: 'CASE' });
};

runSuite('hot-fee', async (context: SuiteContext) => {
  const campaign = await startLocalCampaign(context.log);
  const load = new LoadGenerator();
  try {
    // One enterprise per complaint: each joins the hot case as an enterprise of its own.
    const tokens = await Promise.all(
      Array.from({ length: complaints }, (_, i) =>
        campaign.token({ role: 'enterprise', creditCode: enterpriseOf(i, complaints) }),
      ),
    );
    const run = Date.now().toString(36);
    const phase = async (tag: string, count: number, oneFee: boolean) => {
      const result = await load.run({
        url: campaign.url,
        tokens,
        concurrency,
        count,
        maxMs: 180_000,
        firstNumber: 0,
        tag,
        oneFee,
      });
      const settled = performance.now();
      await campaign.drainStreams();
      await campaign.quiesce({ maxMs: 180_000 });
      const figures = figuresOf(result, (performance.now() - settled) / 1000);
      if (result.firstError) context.log(`${tag}: first error ${result.firstError}`);
      context.log(
        `${tag}: ${figures.perSecond.toFixed(1)}/s p50 ${figures.p50Ms.toFixed(0)} ms p99 ${figures.p99Ms.toFixed(0)} ms ${JSON.stringify(figures.statuses)}; settled in ${figures.settleSeconds} s`,
      );
      return { result, figures };
    };

    // Warms the runtime (JIT, connections, the calendar) on fees of their own.
    await phase(`warm-${run}`, 64, false);
    const hotTag = `hot-${run}`;
    const hot = await phase(hotTag, complaints, true);
    const spread = await phase(`spread-${run}`, complaints, false);

    const feeCase = await hotCase(campaign, hotTag);
    const accepted = hot.result.statuses['202'] ?? 0;
    const filed = Array.from({ length: complaints }, (_, i) =>
      benchComplaint(i, { tag: hotTag, oneFee: true }),
    );
    const expected = {
      complaintCount: complaints,
      enterpriseCount: complaints,
      claimedFen: filed.reduce((sum, body) => sum + body.fee.amountFen, 0),
    };
    const stored = {
      complaintCount: feeCase?.complaintCount as number,
      enterpriseCount: feeCase?.enterpriseCount as number,
      claimedFen: feeCase?.claimedFen as number,
    };
    // Every complaint was accepted and each counts once: anything else is a miss.
    const countErrors =
      complaints -
      accepted +
      Math.abs(stored.complaintCount - expected.complaintCount) +
      Math.abs(stored.enterpriseCount - expected.enterpriseCount) +
      (stored.claimedFen === expected.claimedFen ? 0 : 1);

    context.row({
      id: 'hotFee.throughput',
      section: 1,
      benchmark: `hot fee: ${complaints} complaints about one fee at c${concurrency}, throughput`,
      measured: hot.figures.perSecond,
      unit: 'complaints/s',
      floor: spread.figures.perSecond,
      floorLabel: `${complaints} complaints about ${complaints} fees, same run`,
      ratio: hot.figures.perSecond / spread.figures.perSecond,
      target: { on: 'ratio', op: '>=', value: 0.9 },
    });
    context.row({
      id: 'hotFee.p99',
      section: 1,
      benchmark: `hot fee: ${complaints} complaints about one fee at c${concurrency}, p99 latency`,
      measured: hot.figures.p99Ms,
      unit: 'ms',
      floor: spread.figures.p99Ms,
      floorLabel: `${complaints} complaints about ${complaints} fees, same run`,
      ratio: hot.figures.p99Ms / spread.figures.p99Ms,
      target: { on: 'ratio', op: '<=', value: 2 },
    });
    context.row({
      id: 'hotFee.refusals',
      section: 1,
      benchmark: 'hot fee: answers 429 (too many at once)',
      measured: hot.figures.statuses['429'] ?? 0,
      unit: 'answers',
      target: { on: 'measured', op: '<=', value: 0 },
      note: `all answers: ${JSON.stringify(hot.figures.statuses)}`,
    });
    context.row({
      id: 'hotFee.counts',
      section: 1,
      benchmark: "hot fee: the case's counts against what was filed, after the stream",
      measured: countErrors,
      unit: 'differences',
      target: { on: 'measured', op: '<=', value: 0 },
      note: `stored ${stored.complaintCount} complaints, ${stored.enterpriseCount} enterprises, ${stored.claimedFen} fen; filed ${expected.complaintCount}, ${expected.enterpriseCount}, ${expected.claimedFen}`,
    });
    context.detail('hotFee', { hot: hot.figures, spread: spread.figures, stored, expected });
  } finally {
    load.stop();
    await campaign.stop();
  }
});
