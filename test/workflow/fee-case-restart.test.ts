/**
 * The local engine keeps executions in memory. When the runtime stops while cases wait, the next
 * start resumes every open case from its recorded stage: the same task is still in the inbox, still
 * completable, and nothing is duplicated or lost.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskKey } from '#shared/adapters/dynamodb/keys';
import {
  caseOf,
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  waitForStage,
} from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { retriedAsAsked } from '#test/support/retrying-client';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;

beforeAll(async () => {
  harness = await startTestRuntime();
});
afterAll(() => harness.stop());

describe('restart of the local runtime', () => {
  it('keeps a waiting review in the inbox and finishes the case after the restart', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const before = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    await harness.restart();
    const after = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, after.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'No case',
    });
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(after.taskId).toBe(before.taskId);
    expect(closed.tasks).toHaveLength(1);
    expect(closed.case.outcome).toBe('DISMISSED');
  });

  it('resumes a case waiting for rectification and verification without repeating a step', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');

    await harness.restart();
    const orderAfter = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    await completeTask(harness, scenario.association, orderAfter.taskId, decisions.refunded(500_000));
    const verification = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
    await harness.restart();
    await completeTask(harness, scenario.regulator, verification.taskId, decisions.accept);
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(orderAfter.taskId).toBe(order.taskId);
    expect(closed.tasks.map((task: { kind: string }) => task.kind)).toEqual([
      'REVIEW',
      'RECTIFICATION',
      'VERIFICATION',
    ]);
    expect(closed.case).toMatchObject({ outcome: 'ABOLISHED', refundedFen: 500_000 });
    expect(closed.audit.filter((event: { type: string }) => event.type === 'ORDER_ISSUED')).toHaveLength(1);
  });

  it('adds nothing to the trail of a waiting case at a restart: a restart is not an event of the case', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const before = await caseOf(harness, scenario.regulator, caseId);

    await harness.restart();
    await harness.runtime.resumed;
    await harness.restart();
    await harness.runtime.resumed;
    const after = await caseOf(harness, scenario.regulator, caseId);

    expect(after.audit).toEqual(before.audit);
  });

  it('continues a waiting case with the token its task records, and writes nothing to the task', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const { taskId } = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const storedTask = async () =>
      (
        await harness.documentClient.send(
          new GetCommand({ TableName: harness.tableName, Key: taskKey(taskId) }),
        )
      ).Item;
    const before = await storedTask();
    const answersTo = (taskToken: string) => async () => {
      try {
        harness.runtime.stepFunctions.sendTaskHeartbeat({ taskToken });
        return true;
      } catch {
        return false;
      }
    };

    await harness.restart();
    await harness.restart();
    const waiting = await eventually(answersTo(before?.taskToken), (answered) => answered, {
      timeoutMs: 5_000,
    });
    await harness.runtime.resumed;
    const after = await storedTask();

    expect(waiting).toBe(true);
    expect(after).toEqual(before);
  });

  it('continues from where it stands a case whose opening the journal receives again after a restart', async () => {
    const scenario = await newScenario(harness);
    const journalCheckpoint = join(harness.runtime.dataDir, `stream-${harness.tableName}-case-journal.json`);
    // None yet when the journal has read nothing: without one it starts from the stream's beginning.
    const beforeFiling = await readFile(journalCheckpoint, 'utf8').catch(() => undefined);
    const { caseId } = await fileComplaint(harness, scenario);
    await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    // The journal's checkpoint goes back to before the filing: it receives the opening again, and
    // (nothing resumed) its start is the case's only one.
    await harness.restart({ resume: false }, () =>
      beforeFiling === undefined ? rm(journalCheckpoint) : writeFile(journalCheckpoint, beforeFiling),
    );
    await harness.runtime.drainStreams();
    const { executions } = harness.runtime.stepFunctions.listExecutions({
      stateMachineArn: harness.runtime.stateMachineArns['fee-case'] as string,
    });
    const detail = await caseOf(harness, scenario.regulator, caseId);

    expect(executions.filter((execution) => execution.name.startsWith(caseId)).map((e) => e.name)).toEqual([
      caseId,
    ]);
    expect(detail.audit.filter((event: { type: string }) => event.type === 'CLASSIFIED')).toHaveLength(1);
    expect(detail.tasks).toHaveLength(1);
  });

  it('delivers a decision recorded while no workflow was waiting', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await harness.runtime.stepFunctions.stop();

    const decided = await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    await harness.restart();
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    const detail = await caseOf(harness, scenario.regulator, caseId);

    expect(decided.status).toBe(200);
    expect(order.kind).toBe('RECTIFICATION');
    expect(detail.tasks.filter((task: { kind: string }) => task.kind === 'REVIEW')).toHaveLength(1);
  });

  it('serves while open cases are still being resumed, and moves each case decided meanwhile on once', async () => {
    // Arrange: enough cases waiting on their review that the decisions race their resumption
    const scenario = await newScenario(harness);
    // One at a time: 40 filings at once can outlast the intake's time budget on a busy machine.
    const filed: Awaited<ReturnType<typeof fileComplaint>>[] = [];
    for (let n = 0; n < 40; n++)
      filed.push(await fileComplaint(harness, scenario, { feeName: `Resume fee ${n}` }));
    const caseIds = filed.map(({ caseId }) => caseId);
    const reviews = await openTasksOf(scenario.regulator, caseIds, 'REVIEW');

    // Act: the reviews are decided the moment the API answers again, racing the resume
    await harness.restart();
    const decided = await inTurns(reviews, 5, (review) =>
      retriedAsAsked(() => completeTask(harness, scenario.regulator, review.taskId, decisions.abolish)),
    );
    await harness.runtime.resumed;

    // Assert: every case went on to its one rectification order, with one review each
    const orders = await openTasksOf(scenario.association, caseIds, 'RECTIFICATION');
    const details = await Promise.all(caseIds.map((caseId) => caseOf(harness, scenario.regulator, caseId)));
    expect(decided.map((answer) => answer.status)).toEqual(filed.map(() => 200));
    expect(orders).toHaveLength(filed.length);
    for (const detail of details) {
      const kinds = detail.tasks.map((task: { kind: string }) => task.kind).sort();
      expect(kinds).toEqual(['RECTIFICATION', 'REVIEW']);
    }
  }, 180_000);
});

/** Runs `work` over the items, `width` at a time; the answers in the items' order. */
const inTurns = async <T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>) => {
  const answers: R[] = [];
  for (let start = 0; start < items.length; start += width)
    answers.push(...(await Promise.all(items.slice(start, start + width).map(work))));
  return answers;
};

/** The open tasks of this kind on these cases, once every case has one: one inbox read at a time. */
const openTasksOf = async (token: string, caseIds: readonly string[], kind: string) => {
  const wanted = new Set(caseIds);
  const ofCases = (items: { caseId: string; taskId: string }[]) =>
    items.filter((task) => wanted.has(task.caseId));
  const inbox = await eventually(
    async () =>
      (
        await harness.request<{ items: { caseId: string; taskId: string }[] }>(
          'GET',
          `/api/tasks?kind=${kind}&limit=100`,
          { token },
        )
      ).body.items ?? [],
    (items) => ofCases(items).length === wanted.size,
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  return ofCases(inbox);
};
