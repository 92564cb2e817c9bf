/**
 * SLAs and failures: the workflow waits for a review until the end of its 15th working day and re-checks
 * without moving anything before then; a review not done by its due date moves to the national level of
 * the same agency, flagged overdue; a step that keeps failing flags the case for attention instead of
 * losing it. Waits run a million times faster here (a three-week wait takes about two seconds), and a
 * due date "passes" when the test moves it into the past, as the calendar would after three weeks.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
import {
  caseOf,
  completeTask,
  fileComplaint,
  newScenario,
  openTaskOf,
  waitForStage,
} from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;

const caseItem = async (caseId: string) =>
  (
    await harness.documentClient.send(
      new GetCommand({ TableName: harness.tableName, Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }),
    )
  ).Item;
const retryStates = [
  'Classify',
  'AwaitReview',
  'ScheduleReview',
  'CheckReviewDeadline',
  'IssueOrder',
  'RecordOutcome',
  'FlagAttention',
];

beforeAll(async () => {
  harness = await startTestRuntime({
    timeScale: 1e-6,
    retryIntervalOverrides: Object.fromEntries(retryStates.map((state) => [state, 0])),
  });
});
afterAll(() => harness.stop());

/** The review's due date passes: it is moved a minute into the past, as three weeks would move the clock. */
const reviewDueDatePasses = async (taskId: string) => {
  await harness.documentClient.send(
    new UpdateCommand({
      TableName: harness.tableName,
      Key: { pk: `TASK#${taskId}`, sk: 'TASK' },
      // A new version, as every change of a task has, so the workflow's next re-opening cannot put it back.
      UpdateExpression: 'SET dueAt = :past, version = version + :one',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString(), ':one': 1 },
    }),
  );
};

/** A review that went past its due date, as the national regulators of its agency find it. */
const escalatedReview = async () => {
  const scenario = await newScenario(harness);
  const { caseId } = await fileComplaint(harness, scenario);
  const provincial = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
  await reviewDueDatePasses(provincial.taskId);
  const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });
  return { caseId, national, escalated: await openTaskOf(harness, national, caseId, 'REVIEW') };
};

const deadlineChecks = (caseId: string) => {
  const arn = `${harness.runtime.stateMachineArns['fee-case']?.replace(':stateMachine:', ':execution:')}:${caseId}`;
  return harness.runtime.stepFunctions
    .events(arn)
    .filter((event) => event.type === 'StateEntered' && event.state.name === 'CheckReviewDeadline').length;
};

describe('review SLA', () => {
  it('is due at the end of the 15th working day after the review opened, China time', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);

    // Act
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    // Assert
    expect(review.dueAt).toBe(new WorkingDayCalendar(publishedYears).dueAt(new Date(review.createdAt), 15));
    expect(review.dueWorkingDays).toBe(15);
  });

  it('waits until the due date, checking again without escalating anything before it', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const opened = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    // Act
    await eventually(
      async () => deadlineChecks(caseId),
      (checks) => checks >= 2,
    );
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    // Assert
    expect(review).toMatchObject({
      taskId: opened.taskId,
      province: '11',
      escalated: false,
      dueAt: opened.dueAt,
    });
  });

  it('escalates an overdue review to the national level of the same agency', async () => {
    // Arrange / Act
    const { caseId, national, escalated } = await escalatedReview();
    const detail = await caseOf(harness, national, caseId);

    expect(escalated).toMatchObject({ agency: 'MCA', province: '00', escalated: true, overdue: true });
    expect(detail.case.flags).toEqual(expect.arrayContaining(['overdue', 'escalated']));
  });

  it('lets the national regulator decide the escalated review, and the case goes on', async () => {
    const { caseId, national, escalated } = await escalatedReview();

    const decided = await completeTask(harness, national, escalated.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Decided at national level',
    });
    const closed = await waitForStage(harness, national, caseId, 'CLOSED');

    expect(decided.status).toBe(200);
    expect(closed.case.outcome).toBe('DISMISSED');
  });

  it('keeps the escalated task the only review task of the case, due 15 working days after it escalated', async () => {
    const { caseId, national, escalated } = await escalatedReview();

    const detail = await caseOf(harness, national, caseId);
    const escalation = detail.audit.find((event: { type: string }) => event.type === 'TASK_ESCALATED');

    expect(detail.tasks.filter((task: { kind: string }) => task.kind === 'REVIEW')).toHaveLength(1);
    expect(escalated.dueAt).toBe(new WorkingDayCalendar(publishedYears).dueAt(new Date(escalation.at), 15));
  });
});

describe('failing steps', () => {
  it('flags the case for attention when classification keeps failing', async () => {
    const failing = vi
      .spyOn(DynamoCaseStore.prototype, 'listComplaints')
      .mockRejectedValue(Object.assign(new Error('disk on fire'), { name: 'StorageFault' }));
    try {
      const scenario = await newScenario(harness);
      const { caseId } = await fileComplaint(harness, scenario);

      const flagged = await eventually(
        () => caseItem(caseId),
        (item) => item?.flags?.includes('attention'),
      );

      expect(flagged?.stage).toBe('RECEIVED');
      expect(flagged?.eventSeq).toBe(2);
    } finally {
      failing.mockRestore();
    }
  });

  it('retries a transient failure and carries on', async () => {
    const listComplaints = DynamoCaseStore.prototype.listComplaints;
    let failures = 0;
    const flaky = vi.spyOn(DynamoCaseStore.prototype, 'listComplaints').mockImplementation(async function (
      this: DynamoCaseStore,
      caseId: string,
    ) {
      if (failures < 2) {
        failures += 1;
        throw Object.assign(new Error('throttled'), { name: 'DependencyUnavailableError' });
      }
      return listComplaints.call(this, caseId);
    });
    try {
      const scenario = await newScenario(harness);
      const { caseId } = await fileComplaint(harness, scenario);

      const item = await eventually(
        () => caseItem(caseId),
        (seen) => seen?.stage === 'UNDER_REVIEW' || seen?.flags?.includes('attention'),
      );

      expect(item?.flags).not.toContain('attention');
      expect(failures).toBe(2);
    } finally {
      flaky.mockRestore();
    }
  });
});
