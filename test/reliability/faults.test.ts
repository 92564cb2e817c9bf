/**
 * Faults against the whole local runtime (real handlers, real workflow, DynamoDB Local): the writes of
 * intake, task completion and outcome recording fail the way DynamoDB fails (throttled, throttled in a
 * transaction, timed out before or after the write landed, cancelled by a conflict), the stream's
 * counter writes fail now and then, and workflow steps fail for a while or for good.
 *
 * Clients that retry with the same Idempotency-Key converge on exactly one complaint, completions on
 * exactly one decision, outcome recording on exactly one outcome on the case and on each complaint;
 * the table is never half-written; a step that fails for a while is retried and a step that keeps
 * failing flags its case for attention, from where a resume picks it up once the fault has cleared.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody } from '#infra/local/campaign-fixtures';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import type { FeeCase } from '#shared/domain/fee-case';
import {
  type FaultInjector,
  faultKinds,
  firstWritesOfEach,
  injectWriteFaults,
} from '#test/reliability/support/faults';
import {
  checkTableInvariants,
  complaintsWithoutOutcome,
  scanTable,
} from '#test/reliability/support/table-invariants';
import { decisions, newScenario, openTaskOf, type Scenario } from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { truthFromTable, withoutZeros } from '#test/support/metrics-truth';
import { startTestRuntime, type TestResponse, type TestRuntime } from '#test/support/runtime';

const definition = JSON.parse(readFileSync('workflows/fee-case.asl.json', 'utf8')) as {
  States: Record<string, { Type: string; Retry?: { MaxAttempts: number }[] }>;
};
const taskStates = Object.entries(definition.States)
  .filter(([, state]) => state.Type === 'Task')
  .map(([name]) => name);
/** How often a failing step runs before its Catch takes over: once, then every retry. */
const runsOf = (state: string) => 1 + (definition.States[state]?.Retry?.[0]?.MaxAttempts ?? 0);

let harness: TestRuntime;
let metricFaults: FaultInjector;
const active: FaultInjector[] = [];
const figures = { intake: 0, completion: 0, outcome: 0, steps: 0, requests: 0, retried: 0 };

/** Starts injecting; the injection ends with the test. */
const inject = (injector: FaultInjector) => {
  active.push(injector);
  return injector;
};

beforeAll(async () => {
  harness = await startTestRuntime({
    // Retries right away, so a step that keeps failing reaches its Catch in milliseconds.
    retryIntervalOverrides: Object.fromEntries(taskStates.map((state) => [state, 0])),
  });
  // Every fourth counter write of the stream consumer fails, cycling through the kinds of fault.
  metricFaults = injectWriteFaults(DynamoMetricsStore.prototype, 'applyOnce', ({ index }) =>
    index % 4 === 3 ? faultKinds[Math.floor(index / 4) % faultKinds.length] : undefined,
  );
}, 60_000);
afterEach(() => {
  for (const injector of active.splice(0)) injector.restore();
});
afterAll(async () => {
  metricFaults?.restore();
  await harness?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that retries a 503 as told (same request, same Idempotency-Key) until it gets an answer. */
const untilAnswered = async (send: () => Promise<TestResponse>, statuses: number[]) => {
  for (let attempt = 0; attempt < 12; attempt++) {
    const response = await send();
    figures.requests += 1;
    statuses.push(response.status);
    if (response.status !== 503) return response;
    figures.retried += 1;
    expect(response.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    await sleep(10);
  }
  throw new Error(`still 503 after 12 attempts: ${statuses.join(', ')}`);
};

const fileWithKey = (scenario: Scenario, associationCode: string, key: string, amountFen: number) =>
  harness.request('POST', '/api/complaints', {
    token: scenario.enterprise,
    headers: { 'Idempotency-Key': key },
    body: complaintBody({ associationCode, amountFen }),
  });

const completeAs = (token: string, taskId: string, body: unknown) =>
  harness.request('POST', `/api/tasks/${encodeURIComponent(taskId)}/complete`, { token, body });

const caseRecord = async (caseId: string) =>
  (await scanTable(harness)).find((item) => item.entity === 'FeeCase' && item.caseId === caseId) as
    | (FeeCase & Record<string, unknown>)
    | undefined;

const eventsOf = async (caseId: string, type: string) =>
  (await scanTable(harness)).filter(
    (item) => item.entity === 'CaseEvent' && item.caseId === caseId && item.type === type,
  );

const expectWhole = async (caseIds: string[]) => {
  const report = await checkTableInvariants(harness, { caseIds: new Set(caseIds) });
  expect(report.violations).toEqual([]);
  return report;
};

describe('intake: a fault at the TransactWrite of each complaint', () => {
  it.each(faultKinds)(
    '%s twice per complaint: the clients retry with their keys and each complaint is filed exactly once',
    async (kind) => {
      const opener = await newScenario(harness);
      const joiner = await newScenario(harness);
      const faults = inject(
        injectWriteFaults(
          DynamoIntakeStore.prototype,
          'record',
          firstWritesOfEach(2, kind, ({ args }) => `${kind}:${args[0].idempotency.key}`),
        ),
      );
      const statuses: number[] = [];

      const opened = await untilAnswered(
        () => fileWithKey(opener, opener.associationCode, `open-${kind}`, 300_000),
        statuses,
      );
      const joined = await untilAnswered(
        () => fileWithKey(joiner, opener.associationCode, `join-${kind}`, 200_000),
        statuses,
      );
      const replayed = await fileWithKey(joiner, opener.associationCode, `join-${kind}`, 200_000);
      figures.intake += faults.total;
      const caseId = opened.body.caseId as string;
      await openTaskOf(harness, opener.regulator, caseId, 'REVIEW');
      // The case journal moves the counts from the stream: let it link the join first.
      await harness.runtime.drainStreams();
      const feeCase = await caseRecord(caseId);

      expect(faults.total).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(kind === 'conflict' ? [202] : [503, 202]));
      expect(opened.body.joinedExistingCase).toBe(false);
      expect(joined.body).toMatchObject({ caseId, joinedExistingCase: true });
      expect(replayed.body).toEqual(joined.body);
      expect(feeCase).toMatchObject({ complaintCount: 2, enterpriseCount: 2, claimedFen: 500_000 });
      const report = await expectWhole([caseId]);
      expect(report.census).toMatchObject({ complaints: 2, cases: 1, receipts: 2 });
    },
  );
});

/** Files a complaint and walks its case through review, rectification and verification. */
const abolishThroughFaults = async (statuses: number[]) => {
  const scenario = await newScenario(harness);
  const filed = await fileWithKey(scenario, scenario.associationCode, 'walk', 400_000);
  const caseId = filed.body.caseId as string;
  const steps = [
    { token: scenario.regulator, kind: 'REVIEW', body: decisions.abolish },
    { token: scenario.association, kind: 'RECTIFICATION', body: decisions.refunded(400_000) },
    { token: scenario.regulator, kind: 'VERIFICATION', body: decisions.accept },
  ];
  for (const step of steps) {
    const task = await openTaskOf(harness, step.token, caseId, step.kind);
    const answer = await untilAnswered(() => completeAs(step.token, task.taskId, step.body), statuses);
    expect(answer.status).toBe(200);
  }
  return caseId;
};

describe('task completion: a fault at the commit of each completion', () => {
  const decisionEvents = new Set(['REVIEW_DECIDED', 'RECTIFICATION_REPORTED', 'RECTIFICATION_ACCEPTED']);

  it.each(faultKinds)(
    '%s twice per completion: review, report and verification are each recorded once and the case closes',
    async (kind) => {
      const faults = inject(
        injectWriteFaults(
          DynamoCaseStore.prototype,
          'commit',
          firstWritesOfEach(2, kind, ({ args }) =>
            decisionEvents.has(args[0].event.type)
              ? `${kind}:${args[0].before.caseId}:${args[0].event.type}`
              : undefined,
          ),
        ),
      );
      const statuses: number[] = [];

      const caseId = await abolishThroughFaults(statuses);
      const closed = await eventually(
        () => caseRecord(caseId),
        (found) => found?.stage === 'CLOSED',
      );
      figures.completion += faults.total;

      expect(faults.total).toBeGreaterThanOrEqual(3);
      // A lost answer after the write is recognised as the success it was: no retry is needed.
      expect(new Set(statuses)).toEqual(
        new Set(kind === 'conflict' || kind === 'timeout-after-write' ? [200] : [503, 200]),
      );
      expect(closed).toMatchObject({ outcome: 'ABOLISHED', refundedFen: 400_000 });
      expect(closed?.flags).not.toContain('attention');
      for (const type of decisionEvents) expect(await eventsOf(caseId, type)).toHaveLength(1);
      const report = await expectWhole([caseId]);
      expect(report.census).toMatchObject({ tasks: 3, completedTasks: 3 });
    },
  );
});

describe('outcome recording: a fault at the closing commit and at each complaint', () => {
  it.each(faultKinds)(
    '%s twice at the closing commit and at each complaint: one outcome on the case and on both complaints',
    async (kind) => {
      const first = await newScenario(harness);
      const second = await newScenario(harness);
      const { body } = await fileWithKey(first, first.associationCode, 'outcome-1', 100_000);
      await fileWithKey(second, first.associationCode, 'outcome-2', 100_000);
      const caseId = body.caseId as string;
      const review = await openTaskOf(harness, first.regulator, caseId, 'REVIEW');
      const closing = inject(
        injectWriteFaults(
          DynamoCaseStore.prototype,
          'commit',
          firstWritesOfEach(2, kind, ({ args }) =>
            args[0].event.type === 'CASE_CLOSED' ? `${kind}:${caseId}:closing` : undefined,
          ),
        ),
      );
      const perComplaint = inject(
        injectWriteFaults(
          DynamoCaseStore.prototype,
          'recordComplaintOutcome',
          firstWritesOfEach(2, kind, ({ args }) => `${kind}:${args[0]}`),
        ),
      );

      const decided = await completeAs(first.regulator, review.taskId, {
        verdict: 'DISMISSED',
        ruleIds: [],
        reason: 'Optional service',
      });
      const closed = await eventually(
        () => caseRecord(caseId),
        (found) => found?.stage === 'CLOSED' || Boolean(found?.flags.includes('attention')),
      );
      const withOutcome = (await scanTable(harness)).filter(
        (item) => item.entity === 'Complaint' && item.caseId === caseId,
      );
      figures.outcome += closing.total + perComplaint.total;

      expect(decided.status).toBe(200);
      expect(closing.total).toBeGreaterThan(0);
      expect(perComplaint.total).toBeGreaterThanOrEqual(2);
      expect(closed).toMatchObject({ stage: 'CLOSED', outcome: 'DISMISSED', complaintCount: 2 });
      expect(withOutcome.map((complaint) => complaint.outcome)).toEqual(['DISMISSED', 'DISMISSED']);
      expect(closed?.flags).not.toContain('attention');
      expect(await eventsOf(caseId, 'CASE_CLOSED')).toHaveLength(1);
      await expectWhole([caseId]);
    },
  );
});

describe('workflow steps: retried while they fail, flagged for attention when they keep failing', () => {
  /** Cases flagged below, with the stage they were left in: a resume must pick each up. */
  const flagged: { caseId: string; scenario: Scenario; next: string }[] = [];

  const decide = async (scenario: Scenario, caseId: string, verdict: 'UNLAWFUL' | 'DISMISSED') => {
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const body = verdict === 'UNLAWFUL' ? decisions.abolish : { verdict, ruleIds: [], reason: 'Optional' };
    expect((await completeAs(scenario.regulator, review.taskId, body)).status).toBe(200);
  };
  const steps = [
    { step: 'openTask', state: 'AwaitReview', event: 'TASK_OPENED', stage: 'CLASSIFIED', next: 'REVIEW' },
    {
      step: 'issueOrder',
      state: 'IssueOrder',
      event: 'ORDER_ISSUED',
      stage: 'UNDER_REVIEW',
      next: 'RECTIFICATION',
    },
    {
      step: 'recordOutcome',
      state: 'RecordOutcome',
      event: 'CASE_CLOSED',
      stage: 'UNDER_REVIEW',
      next: 'CLOSED',
    },
  ] as const;

  /** Fails the step's own commit for the cases of one association; `times` = Infinity keeps failing. */
  const failStep = (event: string, associationCode: string, times: number) => {
    let failed = 0;
    return inject(
      injectWriteFaults(DynamoCaseStore.prototype, 'commit', ({ args }) => {
        const [change] = args;
        if (change.event.type !== event || change.before.association.creditCode !== associationCode)
          return undefined;
        failed += 1;
        return failed <= times ? 'throttled' : undefined;
      }),
    );
  };

  it.each(steps)(
    '$step: a failure for a while is retried and the case carries on',
    async ({ step, event, next }) => {
      const scenario = await newScenario(harness);
      const faults = failStep(event, scenario.associationCode, 3);
      const { body } = await fileWithKey(scenario, scenario.associationCode, 'transient', 250_000);
      const caseId = body.caseId as string;
      if (step !== 'openTask')
        await decide(scenario, caseId, step === 'issueOrder' ? 'UNLAWFUL' : 'DISMISSED');

      const settled = await eventually(
        () => caseRecord(caseId),
        (found) =>
          Boolean(found?.flags.includes('attention')) ||
          (next === 'CLOSED' ? found?.stage === 'CLOSED' : found?.currentTask?.kind === next),
      );
      figures.steps += faults.total;

      expect(faults.total).toBe(3);
      expect(settled?.flags).not.toContain('attention');
      expect(await eventsOf(caseId, event)).toHaveLength(1);
      await expectWhole([caseId]);
    },
  );

  it.each(steps)(
    '$step: a failure that does not clear is retried by $state, then the case is flagged for attention, not lost',
    async ({ step, state, event, stage, next }) => {
      const scenario = await newScenario(harness);
      const faults = failStep(event, scenario.associationCode, Number.POSITIVE_INFINITY);
      const { body } = await fileWithKey(scenario, scenario.associationCode, 'persistent', 250_000);
      const caseId = body.caseId as string;
      if (step !== 'openTask')
        await decide(scenario, caseId, step === 'issueOrder' ? 'UNLAWFUL' : 'DISMISSED');

      const attention = await eventually(
        () => caseRecord(caseId),
        (found) => Boolean(found?.flags.includes('attention')),
      );
      figures.steps += faults.total;
      flagged.push({ caseId, scenario, next });

      expect(faults.total).toBe(runsOf(state));
      expect(attention).toMatchObject({ stage });
      expect(await eventsOf(caseId, event)).toHaveLength(0);
      expect(await eventsOf(caseId, 'ATTENTION_NEEDED')).toHaveLength(1);
      if (step !== 'openTask') expect(attention?.classification?.final?.verdict).toBeDefined();
      await expectWhole([caseId]);
    },
  );

  it('picks every flagged case up where it stands once the fault has cleared and the runtime resumes', async () => {
    expect(flagged).toHaveLength(3);

    await harness.restart();
    for (const { caseId, scenario, next } of flagged) {
      if (next === 'CLOSED') {
        await eventually(
          () => caseRecord(caseId),
          (found) => found?.stage === 'CLOSED',
        );
      } else {
        const token = next === 'RECTIFICATION' ? scenario.association : scenario.regulator;
        await openTaskOf(harness, token, caseId, next);
      }
    }

    await expectWhole(flagged.map(({ caseId }) => caseId));
    expect(await complaintsWithoutOutcome(harness)).toEqual([]);
  });
});

describe('the whole table after every fault above', () => {
  it('is whole, and the counters the stream built through failing writes equal the truth', async () => {
    await harness.runtime.drainStreams();
    const report = await checkTableInvariants(harness);
    const truth = await truthFromTable(harness);
    const store = new DynamoMetricsStore(harness.documentClient, harness.tableName);
    const drift: string[] = [];
    for (const [scope, counters] of Object.entries(truth)) {
      const read = withoutZeros(await store.read(scope));
      if (JSON.stringify(Object.entries(read).sort()) !== JSON.stringify(Object.entries(counters).sort()))
        drift.push(scope);
    }
    console.log(
      `[faults] faults injected: intake ${figures.intake}, task completion ${figures.completion}, ` +
        `outcome recording ${figures.outcome}, workflow steps ${figures.steps}, ` +
        `stream counters ${metricFaults.total} (${JSON.stringify(metricFaults.injected)}); ` +
        `client requests ${figures.requests} (${figures.retried} retried after 503); ` +
        `table: ${JSON.stringify(report.census)}; violations ${report.violations.length}; lost 0`,
    );

    expect(report.violations).toEqual([]);
    expect(metricFaults.total).toBeGreaterThan(0);
    expect(drift).toEqual([]);
    for (const [scope, counters] of Object.entries(truth))
      expect(withoutZeros(await store.read(scope)), scope).toEqual(counters);
  });
});
