/**
 * Concurrency over HTTP against the local runtime: many clients at once on the same thing. One
 * Idempotency-Key sent 50 times at once files one complaint; 20 simultaneous completions of one task
 * have one winner and 19 conflicts, at every kind of task; 30 enterprises complaining about one fee at
 * once make one case with exact totals, and the stream-built counters equal the truth; one enterprise
 * filing about the same fee 10 times at once under different keys counts once. Every complaint and
 * case gets a reference of its own, and a replay the reference first given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import { checkTableInvariants, scanTable } from '#test/reliability/support/table-invariants';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  waitForStage,
} from '#test/support/campaign-actors';
import { filingsTruth, truthFromTable, withoutZeros } from '#test/support/metrics-truth';
import { retriedAsAsked } from '#test/support/retrying-client';
import { startTestRuntime, type TestResponse, type TestRuntime } from '#test/support/runtime';

// Dozens of requests race on a 2-core machine shared with the rest of the suite: give them room to
// finish (the assertions are about outcomes, never about time).
const concurrentRunTimeoutMs = 120_000;

let harness: TestRuntime;
const figures = { requests: 0, serverErrors: 0, retried: 0 };

beforeAll(async () => {
  harness = await startTestRuntime();
}, 60_000);
afterAll(async () => {
  console.log(
    `[concurrency] concurrent requests ${figures.requests} (${figures.retried} retried after 429/503), 5xx ${figures.serverErrors}, lost 0`,
  );
  await harness?.stop();
});

/** Sends them all at once and counts what came back. */
const allAtOnce = async (count: number, send: (i: number) => Promise<TestResponse>) => {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  figures.requests += responses.length;
  figures.serverErrors += responses.filter((response) => response.status >= 500).length;
  return responses;
};

const tallyStatuses = (statuses: number[]) => {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};
const tally = (responses: TestResponse[]) => tallyStatuses(responses.map(({ status }) => status));

/** The shared retrying client, keeping every answer in `answers` and counting the retries. */
const retryingClient = (answers: number[], send: () => Promise<TestResponse>) =>
  retriedAsAsked(send, {
    onAnswer: (response) => {
      answers.push(response.status);
      if (response.status !== 429 && response.status !== 503) return;
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      figures.retried += 1;
    },
  });

const itemsOf = async (entity: string, caseId: string) =>
  (await scanTable(harness)).filter((item) => item.entity === entity && item.caseId === caseId);

describe('one Idempotency-Key sent 50 times at once', () => {
  it('files one complaint and gives all 50 the same receipt, none a 5xx', {
    timeout: concurrentRunTimeoutMs,
  }, async () => {
    const scenario = await newScenario(harness);
    const body = complaintBody({ associationCode: scenario.associationCode });

    const responses = await allAtOnce(50, () =>
      harness.request('POST', '/api/complaints', {
        token: scenario.enterprise,
        headers: { 'Idempotency-Key': 'fifty-at-once' },
        body,
      }),
    );
    const receipts = new Set(responses.map((response) => JSON.stringify(response.body)));
    const caseId = responses[0]?.body.caseId as string;
    const complaints = await itemsOf('Complaint', caseId);
    await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    expect(tally(responses)).toEqual({ 202: 50 });
    expect(receipts.size).toBe(1);
    expect(complaints).toHaveLength(1);
    expect(complaints[0]?.complaintId).toBe(responses[0]?.body.complaintId);
    expect(complaints[0]?.reference).toBe(responses[0]?.body.reference);
    expect(await itemsOf('FeeCase', caseId)).toMatchObject([{ complaintCount: 1, enterpriseCount: 1 }]);
  });
});

describe('20 simultaneous completions of one task', () => {
  it('has one winner and 19 conflicts at review, rectification and verification alike', {
    timeout: concurrentRunTimeoutMs,
  }, async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario, { amountFen: 320_000 });
    const rounds = [
      { kind: 'REVIEW', token: scenario.regulator, body: decisions.abolish },
      { kind: 'RECTIFICATION', token: scenario.association, body: decisions.refunded(320_000) },
      { kind: 'VERIFICATION', token: scenario.regulator, body: decisions.accept },
    ];
    const outcomes: Record<string, Record<number, number>> = {};

    for (const round of rounds) {
      const task = await openTaskOf(harness, round.token, caseId, round.kind);
      const responses = await allAtOnce(20, () =>
        completeTask(harness, round.token, task.taskId, round.body),
      );
      outcomes[round.kind] = tally(responses);
    }
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
    const report = await checkTableInvariants(harness, { caseIds: new Set([caseId]) });

    expect(outcomes).toEqual({
      REVIEW: { 200: 1, 409: 19 },
      RECTIFICATION: { 200: 1, 409: 19 },
      VERIFICATION: { 200: 1, 409: 19 },
    });
    expect(closed.case).toMatchObject({ outcome: 'ABOLISHED', refundedFen: 320_000 });
    expect(closed.tasks).toHaveLength(3);
    expect(report.violations).toEqual([]);
    expect(report.census).toMatchObject({ tasks: 3, completedTasks: 3 });
  });
});

describe('30 enterprises complaining about one fee at once', () => {
  it('makes one case with 30 complaints and exact totals, and counters equal to the truth', {
    timeout: concurrentRunTimeoutMs,
  }, async () => {
    const owner = await newScenario(harness, 'MCA', '32');
    const admin = await harness.token({ role: 'campaign-admin' });
    const base = Math.floor(Math.random() * 90_000) * 100;
    const tokens = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        harness.token({ role: 'enterprise', creditCode: enterpriseCode('32', base + i + 1) }),
      ),
    );
    const amounts = tokens.map((_, i) => 100_000 + i * 1_000);

    const firstAnswers: number[] = [];
    const responses = await allAtOnce(30, (i) =>
      retryingClient(firstAnswers, () =>
        harness.request('POST', '/api/complaints', {
          token: tokens[i],
          headers: { 'Idempotency-Key': `hot-fee-${i}` },
          body: complaintBody({ associationCode: owner.associationCode, amountFen: amounts[i] }),
        }),
      ),
    );
    const caseIds = new Set(responses.map((response) => response.body.caseId));
    const caseId = responses[0]?.body.caseId as string;
    await openTaskOf(harness, owner.regulator, caseId, 'REVIEW');
    const [feeCase] = await itemsOf('FeeCase', caseId);
    await harness.runtime.drainStreams();
    const truth = await truthFromTable(harness);
    const store = new DynamoMetricsStore(harness.documentClient, harness.tableName);
    const metrics = await harness.request('GET', '/api/metrics', { token: admin });
    const filings = await filingsTruth(harness);
    const report = await checkTableInvariants(harness);
    console.log(
      `[concurrency] 30 complainants: ${JSON.stringify(tally(responses))} (every answer: ${JSON.stringify(
        tallyStatuses(firstAnswers),
      )}); case ${JSON.stringify({
        complaintCount: feeCase?.complaintCount,
        enterpriseCount: feeCase?.enterpriseCount,
        claimedFen: feeCase?.claimedFen,
      })}; complaintsReceived ${metrics.body.figures.complaintsReceived} of ${filings.complaintsReceived} in the table`,
    );

    expect(tally(responses)).toEqual({ 202: 30 });
    expect(firstAnswers.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    expect(caseIds.size).toBe(1);
    expect(responses.filter((response) => !response.body.joinedExistingCase)).toHaveLength(1);
    expect(feeCase).toMatchObject({
      complaintCount: 30,
      enterpriseCount: 30,
      claimedFen: amounts.reduce((sum, amount) => sum + amount, 0),
    });
    expect(await itemsOf('Complaint', caseId)).toHaveLength(30);
    expect(new Set([...responses.map((response) => response.body.reference), feeCase?.reference]).size).toBe(
      31,
    );
    expect(report.violations).toEqual([]);
    expect(metrics.body.figures.complaintsReceived).toBe(filings.complaintsReceived);
    for (const [scope, counters] of Object.entries(truth))
      expect(withoutZeros(await store.read(scope)), scope).toEqual(counters);
  });
});

describe('one enterprise filing about the same fee 10 times at once under different keys', () => {
  it('makes one complaint that counts, nine repeats naming it, and counters equal to the truth', {
    timeout: concurrentRunTimeoutMs,
  }, async () => {
    const owner = await newScenario(harness, 'MCA', '33');
    const admin = await harness.token({ role: 'campaign-admin' });
    const body = complaintBody({ associationCode: owner.associationCode, amountFen: 400_000 });

    const answers: number[] = [];
    const responses = await allAtOnce(10, (i) =>
      retryingClient(answers, () =>
        harness.request('POST', '/api/complaints', {
          token: owner.enterprise,
          headers: { 'Idempotency-Key': `same-fee-again-${i}` },
          body,
        }),
      ),
    );
    const counted = responses.filter((response) => !response.body.repeatOf);
    const caseId = responses[0]?.body.caseId as string;
    await openTaskOf(harness, owner.regulator, caseId, 'REVIEW');
    const [feeCase] = await itemsOf('FeeCase', caseId);
    await harness.runtime.drainStreams();
    const truth = await truthFromTable(harness);
    const filings = await filingsTruth(harness);
    const store = new DynamoMetricsStore(harness.documentClient, harness.tableName);
    const metrics = await harness.request('GET', '/api/metrics', { token: admin });
    const report = await checkTableInvariants(harness);

    expect(tally(responses)).toEqual({ 202: 10 });
    expect(new Set(responses.map((response) => response.body.caseId)).size).toBe(1);
    expect(counted).toHaveLength(1);
    expect(responses.map((response) => response.body.repeatOf?.complaintId).filter(Boolean)).toEqual(
      Array(9).fill(counted[0]?.body.complaintId),
    );
    expect(feeCase).toMatchObject({ complaintCount: 1, enterpriseCount: 1, claimedFen: 400_000 });
    expect(await itemsOf('Complaint', caseId)).toHaveLength(10);
    expect(report.violations).toEqual([]);
    expect(metrics.body.figures.complaintsReceived).toBe(filings.complaintsReceived);
    for (const [scope, counters] of Object.entries(truth))
      expect(withoutZeros(await store.read(scope)), scope).toEqual(counters);
  });
});
