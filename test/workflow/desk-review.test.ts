/**
 * The regulator's desk on the real local engine: four eyes (复核) on an UNLAWFUL decision about a large
 * fee, and an association's request for more time (延期) on its order. Waits run a million times
 * faster (a six-week order lasts about four seconds), and a due date "passes" when the test moves it
 * into the past, as the calendar would.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf } from '#infra/local/campaign-fixtures';
import { SECOND_REVIEW_THRESHOLD_FEN } from '#infra/system';
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
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
import { eventually } from '#test/support/eventually';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
/** A second officer of the same office (MCA, Beijing) as the scenario's regulator. */
let colleague: string;

beforeAll(async () => {
  harness = await startTestRuntime({ timeScale: 1e-6 });
  colleague = await harness.token({ ...claimsOf.regulator('MCA', '11'), name: 'colleague' });
});
afterAll(() => harness.stop());

const confirm = { confirmed: true, note: '复核同意' };
const refuse = { confirmed: false, note: '证据不足，退回重新审查' };

/** A case whose complainants claim `amountFen`, decided UNLAWFUL by the scenario's regulator. */
const decidedUnlawful = async (amountFen: number) => {
  const scenario = await newScenario(harness);
  const { caseId } = await fileComplaint(harness, scenario, { amountFen });
  const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
  const decided = await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
  if (decided.status !== 200) throw new Error(`review not completed: ${decided.status} ${decided.text}`);
  return { scenario, caseId, review };
};

const auditTypes = async (token: string, caseId: string): Promise<string[]> =>
  (await caseOf(harness, token, caseId)).audit.map((event: { type: string }) => event.type);

describe('four eyes on an UNLAWFUL decision', () => {
  it('opens a second review in the same office when the claim reaches the threshold', async () => {
    // Arrange / Act
    const { scenario, caseId } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN);
    const second = await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');

    // Assert
    expect(second).toMatchObject({ agency: 'MCA', province: '11', status: 'OPEN' });
    expect((await caseOf(harness, scenario.regulator, caseId)).case.stage).toBe('UNDER_REVIEW');
  });

  it('refuses the second review to the regulator who made the decision', async () => {
    // Arrange
    const { scenario, caseId } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN);
    const second = await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');

    // Act
    const answer = await completeTask(harness, scenario.regulator, second.taskId, confirm);

    // Assert
    expect(answer.status).toBe(403);
  });

  it('tells the association nothing of a decision awaiting its second review', async () => {
    // Arrange
    const { scenario, caseId } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN);
    await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');

    // Act
    const seen = await caseOf(harness, scenario.association, caseId);

    // Assert
    expect(seen.case.verdict).toBeUndefined();
    expect(seen.classification.final).toBeUndefined();
    expect(seen.tasks).toEqual([]);
  });

  it('issues the rectification order once a colleague confirms the decision', async () => {
    // Arrange
    const { scenario, caseId } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN);
    const second = await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');

    // Act
    const answer = await completeTask(harness, colleague, second.taskId, confirm);
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');

    // Assert
    expect(answer.status).toBe(200);
    expect(order.status).toBe('OPEN');
    expect((await caseOf(harness, scenario.association, caseId)).case.verdict).toBe('UNLAWFUL');
    expect(await auditTypes(scenario.regulator, caseId)).toEqual(
      expect.arrayContaining(['REVIEW_PROPOSED', 'SECOND_REVIEW_DECIDED', 'ORDER_ISSUED']),
    );
  });

  it('sends a refused decision back to a new review round, which decides again', async () => {
    // Arrange
    const { scenario, caseId, review } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN);
    const second = await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');

    // Act
    await completeTask(harness, colleague, second.taskId, refuse);
    const again = await eventually(
      () => openTaskOf(harness, scenario.regulator, caseId, 'REVIEW'),
      (task) => task.taskId !== review.taskId,
    );
    await completeTask(harness, scenario.regulator, again.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'On a second look the membership was voluntary',
    });
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    // Assert
    expect(again.taskId).toBe(`${caseId}.review.2`);
    expect(closed.case).toMatchObject({ outcome: 'DISMISSED', verdict: 'DISMISSED' });
    expect(closed.audit.filter((event: { type: string }) => event.type === 'ORDER_ISSUED')).toEqual([]);
  });

  it('orders rectification straight away below the threshold', async () => {
    // Arrange / Act
    const { scenario, caseId } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN - 1);
    await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    const detail = await caseOf(harness, scenario.regulator, caseId);

    // Assert
    expect(detail.tasks.map((task: { kind: string }) => task.kind)).toEqual(['REVIEW', 'RECTIFICATION']);
    expect(detail.case.verdict).toBe('UNLAWFUL');
  });

  it('resumes a second review after a restart on the same task', async () => {
    // Arrange
    const { scenario, caseId } = await decidedUnlawful(SECOND_REVIEW_THRESHOLD_FEN);
    const before = await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');

    // Act
    await harness.restart();
    const after = await openTaskOf(harness, colleague, caseId, 'SECOND_REVIEW');
    await completeTask(harness, colleague, after.taskId, confirm);
    await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    const detail = await caseOf(harness, scenario.regulator, caseId);

    // Assert
    expect(after.taskId).toBe(before.taskId);
    expect(detail.tasks.filter((task: { kind: string }) => task.kind === 'SECOND_REVIEW')).toHaveLength(1);
  });
});

/** Checks of the rectification deadline so far, in every execution of the case (resumed ones too). */
const rectificationChecks = (caseId: string) => {
  const engine = harness.runtime.stepFunctions;
  const stateMachineArn = harness.runtime.stateMachineArns['fee-case'] ?? '';
  return engine
    .listExecutions({ stateMachineArn })
    .executions.filter((execution) => execution.name === caseId || execution.name.startsWith(`${caseId}-r`))
    .flatMap((execution) => engine.events(execution.executionArn))
    .filter((event) => event.type === 'StateEntered' && event.state.name === 'CheckRectificationDeadline')
    .length;
};

/** The order's due date passes: it is moved a minute into the past, as the calendar would move on. */
const orderDueDatePasses = (taskId: string) =>
  harness.documentClient.send(
    new UpdateCommand({
      TableName: harness.tableName,
      Key: { pk: `TASK#${taskId}`, sk: 'TASK' },
      // A new version, as every change of a task has: the workflow re-opening the task on its next wait
      // writes the task it read only if nothing changed it since, so it cannot put the date back.
      UpdateExpression: 'SET dueAt = :past, version = version + :one',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString(), ':one': 1 },
    }),
  );

/** Waits until the rectification wait armed now has ended and been checked at least once more. */
const anotherCheck = async (caseId: string) => {
  const before = rectificationChecks(caseId);
  await eventually(
    async () => rectificationChecks(caseId),
    (checks) => checks > before,
    { timeoutMs: 60_000 },
  );
};

/** A case ordered to rectify, with the association's request for `days` more working days. */
const extensionRequested = async (days: number) => {
  const { scenario, caseId } = await decidedUnlawful(500_000);
  const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
  const asked = await harness.request('POST', `/api/tasks/${encodeURIComponent(order.taskId)}/extension`, {
    token: scenario.association,
    body: { days, reason: '退费涉及会员较多，需逐户核对账目' },
  });
  return { scenario, caseId, order, asked };
};

const orderSeenBy = (scenario: Scenario, caseId: string) =>
  openTaskOf(harness, scenario.regulator, caseId, 'RECTIFICATION');

describe('more time on a rectification order', () => {
  it("puts the request in the office's inbox, due when the order is", async () => {
    // Arrange / Act
    const { scenario, caseId, order, asked } = await extensionRequested(10);
    const extension = await openTaskOf(harness, scenario.regulator, caseId, 'EXTENSION');

    // Assert
    expect(asked.status).toBe(201);
    expect(extension).toMatchObject({ taskId: asked.body.task.taskId, dueAt: order.dueAt });
  });

  it("moves the order's due date by the working days asked for when granted", async () => {
    // Arrange
    const { scenario, caseId, order } = await extensionRequested(10);
    const extension = await openTaskOf(harness, scenario.regulator, caseId, 'EXTENSION');

    // Act
    const answer = await completeTask(harness, scenario.regulator, extension.taskId, { granted: true });
    const moved = await orderSeenBy(scenario, caseId);

    // Assert
    const requested = new WorkingDayCalendar(publishedYears).dueAt(new Date(order.dueAt), 10);
    expect(answer.status).toBe(200);
    expect(moved.dueAt).toBe(requested);
    expect((await caseOf(harness, scenario.association, caseId)).case.order.dueAt).toBe(requested);
  });

  it('shows the association its request and the answer in its case, without their details', async () => {
    // Arrange
    const { scenario, caseId } = await extensionRequested(10);
    const extension = await openTaskOf(harness, scenario.regulator, caseId, 'EXTENSION');

    // Act
    await completeTask(harness, scenario.regulator, extension.taskId, { granted: false, note: '理由不充分' });
    const seen = await caseOf(harness, scenario.association, caseId);

    // Assert
    const audit = seen.audit.filter((event: { type: string }) => event.type.startsWith('EXTENSION_'));
    expect(audit.map((event: { type: string }) => event.type)).toEqual([
      'EXTENSION_REQUESTED',
      'EXTENSION_DECIDED',
    ]);
    expect(audit.every((event: { data?: unknown }) => event.data === undefined)).toBe(true);
  });

  // Escalation comes only after two scaled waits (the old due date, then the new one): several seconds
  // alone, and more when the whole suite shares two cores, so its waits are given more time.
  it('keeps waiting past the old due date without escalating, and escalates once at the new one', {
    timeout: 120_000,
  }, async () => {
    // Arrange
    const { scenario, caseId } = await extensionRequested(10);
    const extension = await openTaskOf(harness, scenario.regulator, caseId, 'EXTENSION');
    await completeTask(harness, scenario.regulator, extension.taskId, { granted: true });
    const national = await harness.token(claimsOf.regulator('MCA', '00'));

    // Act: the wait armed for the old due date ends and is checked; then the new due date passes.
    await anotherCheck(caseId);
    const beforeNewDate = await orderSeenBy(scenario, caseId);
    await orderDueDatePasses(beforeNewDate.taskId);
    const escalated = await openTaskOf(harness, national, caseId, 'RECTIFICATION', { timeoutMs: 60_000 });
    await anotherCheck(caseId);

    // Assert
    expect(beforeNewDate).toMatchObject({ province: '11', escalated: false });
    expect(escalated).toMatchObject({ province: '00', escalated: true });
    expect((await auditTypes(national, caseId)).filter((type) => type === 'TASK_ESCALATED')).toHaveLength(1);
  });

  it('waits until the granted due date after a restart too', async () => {
    // Arrange
    const { scenario, caseId } = await extensionRequested(10);
    const extension = await openTaskOf(harness, scenario.regulator, caseId, 'EXTENSION');
    await completeTask(harness, scenario.regulator, extension.taskId, { granted: true });
    const granted = await orderSeenBy(scenario, caseId);

    // Act
    await harness.restart();
    await anotherCheck(caseId);
    const afterRestart = await orderSeenBy(scenario, caseId);

    // Assert
    expect(afterRestart).toMatchObject({ taskId: granted.taskId, dueAt: granted.dueAt, escalated: false });
  });

  it('leaves the due date where it was when refused', async () => {
    // Arrange
    const { scenario, caseId, order } = await extensionRequested(10);
    const extension = await openTaskOf(harness, scenario.regulator, caseId, 'EXTENSION');

    // Act
    await completeTask(harness, scenario.regulator, extension.taskId, { granted: false, note: '理由不充分' });
    const after = await orderSeenBy(scenario, caseId);

    // Assert
    expect(after.dueAt).toBe(order.dueAt);
    expect((await caseOf(harness, scenario.association, caseId)).case.order.dueAt).toBe(order.dueAt);
    expect(await auditTypes(scenario.regulator, caseId)).toContain('EXTENSION_DECIDED');
  });
});
