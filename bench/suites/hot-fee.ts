/**
 * Benchmark 1 of the second wave: a hot fee. 1,000 enterprises complain at concurrency 32 about one
 * fee (one case opens, 999 join it), against 1,000 complaints about 1,000 different fees, over HTTP
 * against the local runtime (DynamoDB Local, the stream consumers, the local engine). A filing never
 * writes the case item, so the hot fee should not be slower; at the end the case's counts must be
 * exactly what was filed (the case journal moves them from the stream, once each).
 *
 * The spread phase opens 1,000 cases and so starts 1,000 workflows on the local engine while it runs;
 * the hot phase starts one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { pendingCaseEventPrefix } from '#shared/adapters/dynamodb/keys';
import { ComplaintInput } from '#shared/domain/complaint';
import { feeCaseKey } from '#shared/domain/fee-identity';
import { benchComplaint, enterpriseOf } from '../lib/complaints.ts';
import { LoadGenerator, type LoadResult } from '../lib/load-generator.ts';
import { type LocalCampaign, startLocalCampaign } from '../lib/local-campaign.ts';
import { percentile } from '../lib/stats.ts';
import { runSuite, type SuiteContext } from '../lib/suite.ts';

const complaints = 1_000;
const concurrency = 32;

const figuresOf = (result: LoadResult) => ({
  perSecond: (result.statuses['202'] ?? 0) / (result.elapsedMs / 1000),
  p50Ms: percentile(result.latenciesMs, 50),
  p99Ms: percentile(result.latenciesMs, 99),
  statuses: result.statuses,
});

/**
 * The hot fee's case once the case journal has linked every event filed to it: its counts are then
 * final. Waiting for that alone, not for every stream and workflow to drain (the spread phase's 1,000
 * new workflows took 80 s of the suite), keeps the suite short.
 */
const linkedHotCase = async (campaign: LocalCampaign, tag: string, maxMs: number) => {
  const get = async (Key: Record<string, string>) =>
    (
      await campaign.benchClient.send(
        new GetCommand({ TableName: campaign.tableName, Key, ConsistentRead: true }),
      )
    ).Item;
  const body = ComplaintInput.parse(benchComplaint(0, { tag, oneFee: true }));
  const pointer = await get({ pk: feeCaseKey(body), sk: 'FEEKEY' });
  if (!pointer) throw new Error('the hot fee has no case');
  const pk = `CASE#${pointer.caseId as string}`;
  const pendingLeft = async () =>
    (
      await campaign.benchClient.send(
        new QueryCommand({
          TableName: campaign.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pending)',
          ExpressionAttributeValues: { ':pk': pk, ':pending': pendingCaseEventPrefix },
          Select: 'COUNT',
          ConsistentRead: true,
        }),
      )
    ).Count ?? 0;
  const deadline = performance.now() + maxMs;
  while ((await pendingLeft()) > 0) {
    if (performance.now() > deadline)
      throw new Error(`the journal had not linked the hot case within ${maxMs} ms`);
    await sleep(250);
  }
  return get({ pk, sk: 'CASE' });
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
    const phase = async (
      tag: string,
      numbers: { first: number; count: number },
      oneFee: boolean,
      settle: boolean,
    ) => {
      const started = performance.now();
      const result = await load.run({
        url: campaign.url,
        // Complaint n is filed by enterprise n: the hot fee's complaints are all first filings.
        tokens: tokens.slice(numbers.first, numbers.first + numbers.count),
        concurrency,
        count: numbers.count,
        maxMs: 180_000,
        firstNumber: numbers.first,
        tag,
        oneFee,
      });
      const settled = performance.now();
      if (settle) {
        await campaign.drainStreams();
        await campaign.quiesce({ maxMs: 180_000 });
      }
      if (result.firstError) context.log(`${tag}: first error ${result.firstError}`);
      context.log(
        `${tag} ${numbers.first}+${numbers.count}: ${((result.statuses['202'] ?? 0) / (result.elapsedMs / 1000)).toFixed(1)}/s ${JSON.stringify(result.statuses)}; settled in ${((performance.now() - settled) / 1000).toFixed(1)} s (${((settled - started) / 1000).toFixed(1)} s under load)`,
      );
      return result;
    };
    /** The halves of one kind taken together, as one phase of `complaints` requests. */
    const together = (results: LoadResult[]): LoadResult => ({
      completed: results.reduce((sum, result) => sum + result.completed, 0),
      elapsedMs: results.reduce((sum, result) => sum + result.elapsedMs, 0),
      latenciesMs: results.flatMap((result) => result.latenciesMs),
      statuses: results.reduce<Record<string, number>>((sum, result) => {
        for (const [status, count] of Object.entries(result.statuses))
          sum[status] = (sum[status] ?? 0) + count;
        return sum;
      }, {}),
      opened: results.reduce((sum, result) => sum + result.opened, 0),
    });

    // Warms the runtime (JIT, connections, the calendar) on fees of their own.
    await phase(`warm-${run}`, { first: 0, count: 32 }, false, true);
    // Hot and spread alternate in halves, so that a change in the machine's load during the run
    // (other work on it) falls on both alike. Nothing settles between halves: the second hot half
    // runs while the first spread half's 500 new workflows are still starting, which can only make
    // the hot fee look slower than it is. The counts are read once the journal has linked them all.
    const hotTag = `hot-${run}`;
    const half = complaints / 2;
    const hotHalves: LoadResult[] = [];
    const spreadHalves: LoadResult[] = [];
    for (const first of [0, half]) {
      hotHalves.push(await phase(hotTag, { first, count: half }, true, false));
      spreadHalves.push(await phase(`spread-${run}`, { first, count: half }, false, false));
    }
    const linking = performance.now();
    const feeCase = await linkedHotCase(campaign, hotTag, 300_000);
    context.log(`hot case linked in ${((performance.now() - linking) / 1000).toFixed(1)} s`);
    const hot = { result: together(hotHalves), figures: figuresOf(together(hotHalves)) };
    const spread = { result: together(spreadHalves), figures: figuresOf(together(spreadHalves)) };

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
      section: 12,
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
      section: 12,
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
      section: 12,
      benchmark: 'hot fee: answers 429 (too many at once)',
      measured: hot.figures.statuses['429'] ?? 0,
      unit: 'answers',
      target: { on: 'measured', op: '<=', value: 0 },
      note: `all answers: ${JSON.stringify(hot.figures.statuses)}`,
    });
    context.row({
      id: 'hotFee.counts',
      section: 12,
      benchmark: "hot fee: the case's counts against what was filed, once the journal linked them",
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
