/**
 * Benchmark 5: what one case costs on AWS, per workflow path, counted on the local runtime.
 *
 * Each path runs alone, end to end, through HTTP (the complaint, then every task completion a person
 * would make), on the real ASL on the local engine, against DynamoDB Local. Counted per case:
 * - state transitions and workflow Lambda invocations: the local engine's counters (StateEntered);
 * - Lambda invocations and durations of every function (API, workflow steps, the stream consumer):
 *   a timing middleware on each handler; durations are this machine's against DynamoDB Local;
 * - DynamoDB read and write request units: ConsumedCapacity reported by DynamoDB Local for every
 *   request the product's document client makes (see bench/lib/counting.ts).
 * The bench finds tasks by reading the table with a client of its own (not counted): inbox and case
 * views are reads people make as often as they like, not a cost of the case itself.
 * Converted at us-east-1 list prices (see `prices`).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { associationCode, enterpriseCode } from '#infra/local/campaign-fixtures';
import { functions, SECOND_REVIEW_THRESHOLD_FEN } from '#infra/system';
import { type CapacityTotals, installCapacityCounter, installInvocationTimer } from '../lib/counting.ts';
import { repoRoot } from '../lib/house-bundle.ts';
import { type LocalCampaign, startLocalCampaign } from '../lib/local-campaign.ts';
import { mean, sleep } from '../lib/stats.ts';
import { runSuite, type SuiteContext } from '../lib/suite.ts';

/** us-east-1 list prices used (USD). */
export const prices = {
  stepFunctionsStandardPerTransition: 25 / 1e6,
  lambdaPerRequest: 0.2 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoOnDemandPerWriteUnit: 0.625 / 1e6,
  dynamoOnDemandPerReadUnit: 0.125 / 1e6,
};
const maxAbolishedTransitions = 20;
const repeats = Number(process.env.BENCH_COST_REPEATS ?? 2);
const province = '11';

/** A second regulator of the same office: four eyes refuse the first reviewer. */
type Actor = 'regulator' | 'secondRegulator' | 'association' | 'enterprise';
interface Step {
  kind: 'REVIEW' | 'SECOND_REVIEW' | 'RECTIFICATION' | 'VERIFICATION' | 'INFO';
  by: Actor;
  body: Record<string, unknown>;
}
interface CasePath {
  id: string;
  title: string;
  outcome: string;
  complaint: { category: string; facts: Record<string, unknown> };
  /** What the complaint claims; the other paths stay under the second-review threshold. */
  amountFen?: number;
  steps: Step[];
}

const refunded = (refundedFen: number) => ({
  abolished: true,
  refundedFen,
  evidence: [{ kind: 'REFUND_RECEIPT', reference: 'bank transfer 2026-12-01 #4411' }],
});
const abolish = {
  verdict: 'UNLAWFUL',
  ruleIds: ['R01'],
  reason: 'Forced membership',
  orderText: 'Stop charging this fee and refund what each enterprise paid for it.',
  actions: ['ABOLISH', 'REFUND'],
};
const accept = { accepted: true, note: 'Checked' };
const forced = { category: 'MEMBERSHIP_DUES', facts: { forcedMembership: true } };
const lawful = {
  category: 'MEMBERSHIP_DUES',
  facts: { compulsory: false, serviceProvided: 'YES', standardPublished: false, duesAdoptedByAssembly: true },
};

export const paths: CasePath[] = [
  {
    id: 'abolished',
    title: 'ABOLISHED',
    outcome: 'ABOLISHED',
    complaint: forced,
    steps: [
      { kind: 'REVIEW', by: 'regulator', body: abolish },
      { kind: 'RECTIFICATION', by: 'association', body: refunded(500_000) },
      { kind: 'VERIFICATION', by: 'regulator', body: accept },
    ],
  },
  {
    id: 'abolished-second-review',
    title: 'ABOLISHED, confirmed by a second regulator',
    outcome: 'ABOLISHED',
    complaint: forced,
    amountFen: SECOND_REVIEW_THRESHOLD_FEN,
    steps: [
      { kind: 'REVIEW', by: 'regulator', body: abolish },
      { kind: 'SECOND_REVIEW', by: 'secondRegulator', body: { confirmed: true } },
      { kind: 'RECTIFICATION', by: 'association', body: refunded(500_000) },
      { kind: 'VERIFICATION', by: 'regulator', body: accept },
    ],
  },
  {
    id: 'regulated-actions',
    title: 'REGULATED with actions',
    outcome: 'REGULATED',
    complaint: lawful,
    steps: [
      {
        kind: 'REVIEW',
        by: 'regulator',
        body: {
          verdict: 'REGULATED',
          ruleIds: ['R16'],
          reason: 'Publish the standard',
          orderText: 'Publish the standard of this fee where your members can read it.',
          actions: ['PUBLISH_STANDARD'],
          rectificationDays: 20,
        },
      },
      {
        kind: 'RECTIFICATION',
        by: 'association',
        body: {
          abolished: false,
          refundedFen: 0,
          evidence: [{ kind: 'PUBLISHED_STANDARD', reference: 'https://assoc.example/fees' }],
        },
      },
      { kind: 'VERIFICATION', by: 'regulator', body: accept },
    ],
  },
  {
    id: 'regulated-no-actions',
    title: 'REGULATED without actions',
    outcome: 'REGULATED',
    complaint: lawful,
    steps: [
      { kind: 'REVIEW', by: 'regulator', body: { verdict: 'REGULATED', ruleIds: ['R16'], reason: 'Lawful' } },
    ],
  },
  {
    id: 'dismissed',
    title: 'DISMISSED',
    outcome: 'DISMISSED',
    complaint: forced,
    steps: [
      { kind: 'REVIEW', by: 'regulator', body: { verdict: 'DISMISSED', ruleIds: [], reason: 'Voluntary' } },
    ],
  },
  {
    id: 'needs-info-dismissed',
    title: 'NEEDS_INFO then DISMISSED',
    outcome: 'DISMISSED',
    complaint: { category: 'MEETING_TRAINING', facts: {} },
    steps: [
      {
        kind: 'REVIEW',
        by: 'regulator',
        body: { verdict: 'NEEDS_INFO', ruleIds: [], reason: 'Was it compulsory?' },
      },
      { kind: 'INFO', by: 'enterprise', body: { facts: { compulsory: false }, note: 'It was optional' } },
      { kind: 'REVIEW', by: 'regulator', body: { verdict: 'DISMISSED', ruleIds: [], reason: 'Optional' } },
    ],
  },
  {
    id: 'rectification-rejected-accepted',
    title: 'rectification rejected, then accepted',
    outcome: 'ABOLISHED',
    complaint: forced,
    steps: [
      { kind: 'REVIEW', by: 'regulator', body: abolish },
      { kind: 'RECTIFICATION', by: 'association', body: refunded(100_000) },
      { kind: 'VERIFICATION', by: 'regulator', body: { accepted: false, note: 'Only part refunded' } },
      { kind: 'RECTIFICATION', by: 'association', body: refunded(500_000) },
      { kind: 'VERIFICATION', by: 'regulator', body: accept },
    ],
  },
];

interface CaseCount {
  transitions: number;
  workflowLambdaInvocations: number;
  invocations: Record<string, number>;
  durationsMs: Record<string, number[]>;
  capacity: CapacityTotals;
  outcome: string;
}

const memoryOf = (name: string) => functions.find((fn) => fn.name === name)?.memoryMiB ?? 512;

const usd = (count: CaseCount) => {
  const sfn = count.transitions * prices.stepFunctionsStandardPerTransition;
  let requests = 0;
  let gbSeconds = 0;
  for (const [name, durations] of Object.entries(count.durationsMs)) {
    requests += durations.length;
    // Lambda bills each invocation's duration rounded up to the millisecond, at the configured memory.
    for (const ms of durations) gbSeconds += (Math.ceil(ms) / 1000) * (memoryOf(name) / 1024);
  }
  const lambda = requests * prices.lambdaPerRequest + gbSeconds * prices.lambdaArmPerGbSecond;
  const dynamo =
    count.capacity.readUnits * prices.dynamoOnDemandPerReadUnit +
    count.capacity.writeUnits * prices.dynamoOnDemandPerWriteUnit;
  return { sfn, lambda, dynamo, total: sfn + lambda + dynamo, gbSeconds, requests };
};

runSuite('cost-model', async (context) => {
  const campaign = await startLocalCampaign(context.log);
  try {
    await costModel(context, campaign);
  } finally {
    await campaign.stop();
  }
});

const costModel = async (context: SuiteContext, campaign: LocalCampaign) => {
  const { runtime } = campaign;
  // The same module instances the runtime loaded (same file URLs): count on them.
  const { documentClient } = await import('#shared/adapters/dynamodb/document-client');
  const capacity = installCapacityCounter(documentClient);
  const handlers: Record<string, unknown> = {};
  for (const fn of functions) {
    handlers[fn.name] = (
      (await import(pathToFileURL(join(repoRoot, fn.entry)).href)) as { handler: unknown }
    ).handler;
  }
  const timer = installInvocationTimer(handlers);
  if (timer.untimed.length > 0) context.log(`not timed (not middy handlers): ${timer.untimed.join(', ')}`);
  const stateMachineArn = runtime.stateMachineArns['fee-case'];
  if (!stateMachineArn) throw new Error('no fee-case state machine in the local runtime');

  const readItem = async (pk: string, sk: string) =>
    (
      await campaign.benchClient.send(
        new GetCommand({ TableName: campaign.tableName, Key: { pk, sk }, ConsistentRead: true }),
      )
    ).Item;

  /** Polls the case item until it waits on a new open task of `kind`; returns the task id. */
  const openTask = async (caseId: string, kind: string, done: ReadonlySet<string>) => {
    const deadline = performance.now() + 20_000;
    for (;;) {
      const feeCase = await readItem(`CASE#${caseId}`, 'CASE');
      const current = feeCase?.currentTask as { taskId: string; kind: string } | undefined;
      if (current && current.kind === kind && !done.has(current.taskId)) {
        const task = await readItem(`TASK#${current.taskId}`, 'TASK');
        if (task?.status === 'OPEN' && task.taskToken) return { taskId: current.taskId, feeCase };
      }
      if (feeCase?.flags && (feeCase.flags as string[]).includes('attention')) {
        throw new Error(`case ${caseId} was flagged for attention waiting for ${kind}`);
      }
      if (performance.now() > deadline) throw new Error(`no open ${kind} task for case ${caseId}`);
      await sleep(25);
    }
  };

  let serial = 0;
  const runPath = async (path: CasePath): Promise<CaseCount> => {
    serial += 1;
    const n = 9_000_000 + serial;
    const codes = { enterprise: enterpriseCode(province, n), association: associationCode(province, n) };
    const enterpriseToken = await campaign.token({ role: 'enterprise', creditCode: codes.enterprise });
    const associationToken = await campaign.token({ role: 'association', creditCode: codes.association });

    await campaign.drainStreams();
    await campaign.quiesce({ quietMs: 300 });
    const engineBefore = runtime.stepFunctions.counters(stateMachineArn);
    capacity.reset();
    timer.reset();

    const filed = await campaign.request<{ caseId: string }>('POST', '/api/complaints', {
      token: enterpriseToken,
      body: {
        association: { name: `Cost Path Association ${n}`, creditCode: codes.association },
        fee: {
          name: `Cost path fee ${path.id} ${n}`,
          category: path.complaint.category,
          amountFen: path.amountFen ?? 500_000,
          chargedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
          period: 'ANNUAL',
        },
        facts: path.complaint.facts,
        description: 'We had to pay to keep our membership.',
        contact: { name: 'Li Si', phone: '13900000000' },
      },
    });
    if (filed.status !== 202) throw new Error(`${path.id}: complaint answered ${filed.status} ${filed.text}`);
    const { caseId } = filed.body;
    const done = new Set<string>();
    const regulatorTokens: Partial<Record<Actor, string>> = {};
    for (const step of path.steps) {
      const { taskId, feeCase } = await openTask(caseId, step.kind, done);
      let token = step.by === 'association' ? associationToken : enterpriseToken;
      if (step.by === 'regulator' || step.by === 'secondRegulator') {
        regulatorTokens[step.by] ??= await campaign.token({
          role: 'regulator',
          agency: String(feeCase?.agency ?? 'SAMR'),
          province: String(feeCase?.province ?? province),
          name: step.by,
        });
        token = regulatorTokens[step.by] ?? token;
      }
      const completed = await campaign.request('POST', `/api/tasks/${encodeURIComponent(taskId)}/complete`, {
        token,
        body: step.body,
      });
      if (completed.status !== 200) {
        throw new Error(`${path.id}: completing ${step.kind} answered ${completed.status} ${completed.text}`);
      }
      done.add(taskId);
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
    const status = await runtime.stepFunctions.whenSettled(executionArn);
    if (status !== 'SUCCEEDED') throw new Error(`${path.id}: execution ended ${status}`);
    // The stream consumer's share: every change of this case counted before the window closes.
    await campaign.drainStreams();
    await sleep(50);
    await campaign.drainStreams();
    const engineAfter = runtime.stepFunctions.counters(stateMachineArn);
    const feeCase = await readItem(`CASE#${caseId}`, 'CASE');
    const { durationsMs } = timer.snapshot();
    return {
      transitions: engineAfter.stateTransitions - engineBefore.stateTransitions,
      workflowLambdaInvocations: engineAfter.lambdaInvocations - engineBefore.lambdaInvocations,
      invocations: Object.fromEntries(Object.entries(durationsMs).map(([name, list]) => [name, list.length])),
      durationsMs,
      capacity: capacity.snapshot(),
      outcome: String(feeCase?.outcome),
    };
  };

  const results: Record<string, CaseCount[]> = {};
  for (let round = 0; round < repeats; round++) {
    for (const path of paths) {
      const count = await runPath(path);
      if (count.outcome !== path.outcome) {
        throw new Error(`${path.id}: the case closed ${count.outcome}, expected ${path.outcome}`);
      }
      results[path.id] = [...(results[path.id] ?? []), count];
    }
  }

  const table: Record<string, unknown>[] = [];
  for (const path of paths) {
    const counts = results[path.id] ?? [];
    const costs = counts.map(usd);
    const transitions = counts.map((c) => c.transitions);
    const perCase = {
      path: path.title,
      transitions: mean(transitions),
      transitionsVaried: new Set(transitions).size > 1,
      workflowLambdaInvocations: mean(counts.map((c) => c.workflowLambdaInvocations)),
      lambdaInvocations: mean(costs.map((c) => c.requests)),
      invocationsByFunction: counts[0]?.invocations,
      lambdaGbSeconds: mean(costs.map((c) => c.gbSeconds)),
      readUnits: mean(counts.map((c) => c.capacity.readUnits)),
      writeUnits: mean(counts.map((c) => c.capacity.writeUnits)),
      dynamoRequests: mean(counts.map((c) => c.capacity.requests)),
      failedDynamoRequests: counts.reduce((sum, c) => sum + c.capacity.failedRequests, 0),
      dynamoByCommand: counts[0]?.capacity.byCommand,
      usdPer1000: {
        stepFunctions: mean(costs.map((c) => c.sfn)) * 1000,
        lambda: mean(costs.map((c) => c.lambda)) * 1000,
        dynamodb: mean(costs.map((c) => c.dynamo)) * 1000,
        total: mean(costs.map((c) => c.total)) * 1000,
      },
    };
    table.push(perCase);
    context.row({
      id: `cost.${path.id}`,
      section: 5,
      benchmark: `cost per 1,000 cases: ${path.title}`,
      measured: perCase.usdPer1000.total,
      unit: 'USD',
      note: `${perCase.transitions} transitions, ${perCase.lambdaInvocations} Lambda invocations (${perCase.workflowLambdaInvocations} by the workflow), ${perCase.readUnits} RRU, ${perCase.writeUnits} WRU per case`,
    });
    if (path.id === 'abolished') {
      context.row({
        id: 'cost.abolished.transitions',
        section: 5,
        benchmark: 'state transitions, ABOLISHED path',
        measured: perCase.transitions,
        unit: '',
        target: { on: 'measured', op: '<=', value: maxAbolishedTransitions },
        note: 'StateEntered events of the local engine for one case, start to Close',
      });
    }
  }
  context.detail('costModel', { prices, repeats, paths: table, untimedFunctions: timer.untimed });
};
