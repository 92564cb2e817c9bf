/**
 * Claims on tasks: who holds a task and when the hold ends. A claim keeps other regulators off a task;
 * it ends when the task escalates or its holder (or a campaign admin) releases it, and it never keeps
 * the party a task is addressed to from answering it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { checkDeadline } from '#shared/fee-case-workflow/steps';
import {
  caseOf,
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  type Scenario,
  waitForStage,
} from '#test/support/campaign-actors';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { testAuditSeal } from '#test/support/table';

let harness: TestRuntime;

beforeAll(async () => {
  // Long SLAs: no deadline passes on its own; the escalation tests run the deadline step themselves.
  harness = await startTestRuntime({ workflowSettings: { ReviewSlaWorkingDays: '40' } });
});
afterAll(() => harness.stop());

const claim = (token: string, taskId: string) =>
  harness.request('POST', `/api/tasks/${encodeURIComponent(taskId)}/claim`, { token });
const release = (token: string, taskId: string) =>
  harness.request('POST', `/api/tasks/${encodeURIComponent(taskId)}/release`, { token });
const storedTask = async (taskId: string) =>
  (
    await harness.documentClient.send(
      new GetCommand({
        TableName: harness.tableName,
        Key: { pk: `TASK#${taskId}`, sk: 'TASK' },
        ConsistentRead: true,
      }),
    )
  ).Item;

/** The deadline step the workflow runs when a wait times out, at a moment past the task's due date. */
const deadlinePasses = (caseId: string, dueAt: string) =>
  checkDeadline(
    {
      // The runtime's own audit key (it puts it in the environment), so the chain stays intact.
      store: new DynamoCaseStore(harness.documentClient, harness.tableName, testAuditSeal()),
      callbacks: { succeed: async () => 'delivered' },
      calendar: new DynamoCalendarStore(harness.documentClient, harness.tableName),
      now: () => new Date(Date.parse(dueAt) + 1000),
    },
    { caseId, kind: 'REVIEW', workingDays: 40 },
  );

const openReview = async (scenario: Scenario) => {
  const { caseId } = await fileComplaint(harness, scenario);
  return openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
};

/** Another officer of the scenario's inbox (MCA, province 11). */
const colleague = () =>
  harness.token({ role: 'regulator', agency: 'MCA', province: '11', name: 'colleague' });

describe('escalation', () => {
  it('ends the provincial claim: the national regulator claims and decides the escalated review', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    expect((await claim(scenario.regulator, review.taskId)).status).toBe(200);
    const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });

    // Act
    const { escalated } = await deadlinePasses(review.caseId, review.dueAt);
    const claimed = await claim(national, review.taskId);
    const decided = await completeTask(harness, national, review.taskId, decisions.abolish);

    // Assert
    expect(escalated).toBe(true);
    expect(claimed.status, claimed.text).toBe(200);
    expect(decided.status, decided.text).toBe(200);
  });

  it('puts the escalated task in the national inbox unclaimed', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    await claim(scenario.regulator, review.taskId);
    const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });

    // Act
    await deadlinePasses(review.caseId, review.dueAt);
    const seen = await openTaskOf(harness, national, review.caseId, 'REVIEW');

    // Assert
    expect(seen).toMatchObject({ province: '00', escalated: true });
    expect(seen).not.toHaveProperty('assignee');
  });
});

describe('POST /api/tasks/{id}/release', () => {
  it('lets the holder release a task, and a colleague can claim it then', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    await claim(scenario.regulator, review.taskId);
    const other = await colleague();

    // Act
    const released = await release(scenario.regulator, review.taskId);
    const claimedByColleague = await claim(other, review.taskId);

    // Assert
    expect(released.status, released.text).toBe(200);
    expect(released.body.task).toMatchObject({ taskId: review.taskId, status: 'OPEN' });
    expect(released.body.task).not.toHaveProperty('assignee');
    expect(claimedByColleague.status).toBe(200);
  });

  it('lets a campaign admin release a regulator’s claim', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    await claim(scenario.regulator, review.taskId);

    // Act
    const released = await release(scenario.admin, review.taskId);

    // Assert
    expect(released.status, released.text).toBe(200);
    expect((await storedTask(review.taskId))?.assignee).toBeUndefined();
  });

  it('answers 409 to a colleague who does not hold the task, and the claim stays', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    const claimed = await claim(scenario.regulator, review.taskId);
    const other = await colleague();

    // Act
    const released = await release(other, review.taskId);

    // Assert
    expect(released.status).toBe(409);
    expect((await storedTask(review.taskId))?.assignee).toBe(claimed.body.task.assignee);
  });

  it('answers 200 for a task nobody holds, and changes nothing', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    const before = await storedTask(review.taskId);

    // Act
    const released = await release(scenario.regulator, review.taskId);

    // Assert
    expect(released.status).toBe(200);
    expect(await storedTask(review.taskId)).toEqual(before);
  });

  it('answers 409 for a completed task', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const review = await openReview(scenario);
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);

    // Act
    const released = await release(scenario.regulator, review.taskId);

    // Assert
    expect(released.status).toBe(409);
  });
});

describe('the party a task is addressed to', () => {
  const openOrder = async (scenario: Scenario) => {
    const review = await openReview(scenario);
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    return openTaskOf(harness, scenario.association, review.caseId, 'RECTIFICATION');
  };

  it('reports on an order a regulator claimed, and takes the order over', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const order = await openOrder(scenario);
    const claimed = await claim(scenario.regulator, order.taskId);

    // Act
    const reported = await completeTask(
      harness,
      scenario.association,
      order.taskId,
      decisions.refunded(500_000),
    );

    // Assert
    expect(claimed.status).toBe(200);
    expect(reported.status, reported.text).toBe(200);
    const stored = await storedTask(order.taskId);
    expect(stored).toMatchObject({ status: 'COMPLETED' });
    expect(stored?.assignee).not.toBe(claimed.body.task.assignee);
    await waitForStage(harness, scenario.regulator, order.caseId, 'VERIFYING');
  });

  it('still keeps another regulator off an order a regulator claimed (409)', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const order = await openOrder(scenario);
    await claim(scenario.regulator, order.taskId);
    const other = await colleague();

    // Act
    const reported = await completeTask(harness, other, order.taskId, decisions.refunded(500_000));

    // Assert
    expect(reported.status).toBe(409);
    expect((await caseOf(harness, scenario.regulator, order.caseId)).case.stage).toBe('RECTIFYING');
  });
});
