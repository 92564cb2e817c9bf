/**
 * SLAs and failures: a review that is not done in time moves to the national level of the same agency,
 * flagged overdue; a step that keeps failing flags the case for attention instead of losing it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
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
  'CheckReviewDeadline',
  'IssueOrder',
  'RecordOutcome',
  'FlagAttention',
];

beforeAll(async () => {
  harness = await startTestRuntime({
    workflowSettings: { ReviewSlaSeconds: '1' },
    retryIntervalOverrides: Object.fromEntries(retryStates.map((state) => [state, 0])),
  });
});
afterAll(() => harness.stop());

describe('review SLA', () => {
  it('escalates an overdue review to the national level of the same agency', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });

    const escalated = await openTaskOf(harness, national, caseId, 'REVIEW');
    const detail = await caseOf(harness, national, caseId);

    expect(escalated).toMatchObject({ agency: 'MCA', province: '00', escalated: true, overdue: true });
    expect(detail.case.flags).toEqual(expect.arrayContaining(['overdue', 'escalated']));
  });

  it('lets the national regulator decide the escalated review, and the case goes on', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });
    const escalated = await openTaskOf(harness, national, caseId, 'REVIEW');

    const decided = await completeTask(harness, national, escalated.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Decided at national level',
    });
    const closed = await waitForStage(harness, national, caseId, 'CLOSED');

    expect(decided.status).toBe(200);
    expect(closed.case.outcome).toBe('DISMISSED');
  });

  it('keeps the escalated task the only review task of the case', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });
    await openTaskOf(harness, national, caseId, 'REVIEW');

    const detail = await caseOf(harness, national, caseId);

    expect(detail.tasks.filter((task: { kind: string }) => task.kind === 'REVIEW')).toHaveLength(1);
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
