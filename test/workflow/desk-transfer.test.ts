/**
 * Moving work on the regulator's desk, against the real local runtime and the real ASL: a review
 * transferred (转办) from civil affairs in Beijing (MCA/11) to market regulation in Guangdong (SAMR/44)
 * leaves the one inbox for the other with its deadline restarted, and the waiting workflow goes on from
 * the receiving office's decision without any change to it, before and after a restart. Waits run a
 * million times faster here, so the old review's wait times out and is re-armed on the new task while
 * the test watches. Assigning a task is checked here end to end too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody } from '#infra/local/campaign-fixtures';
import { REVIEW_SLA_DAYS } from '#shared/domain/fee-task';
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
import {
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
let guangdongSamr: string;

beforeAll(async () => {
  harness = await startTestRuntime({
    timeScale: 1e-6,
    // A short review in the first office: its wait times out (and is re-armed) within the test, and a
    // transferred review, due REVIEW_SLA_DAYS after the transfer, is visibly due later.
    workflowSettings: { ReviewSlaWorkingDays: '2' },
  });
  guangdongSamr = await harness.token({ role: 'regulator', agency: 'SAMR', province: '44' });
});
afterAll(() => harness.stop());

const toGuangdongSamr = {
  agency: 'SAMR',
  province: '44',
  reason: '收费事项属价格监管职责，转广东省市场监管部门办理',
};

const transfer = (token: string, caseId: string, body: unknown = toGuangdongSamr) =>
  harness.request('POST', `/api/cases/${encodeURIComponent(caseId)}/transfer`, { token, body });

const inboxIds = async (token: string) =>
  (
    await harness.request<{ items: { taskId: string }[] }>('GET', '/api/tasks?kind=REVIEW&limit=100', {
      token,
    })
  ).body.items.map((task) => task.taskId);

/** A review opened in MCA/11, transferred to SAMR/44 by the regulator who had it. */
const transferredReview = async (scenario: Scenario) => {
  const { caseId, complaintId } = await fileComplaint(harness, scenario);
  const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
  const moved = await transfer(scenario.regulator, caseId);
  if (moved.status !== 200) throw new Error(`transfer answered ${moved.status}: ${moved.text}`);
  return { caseId, complaintId, review, moved: moved.body };
};

const deadlineChecks = (caseId: string) => {
  const arn = `${harness.runtime.stateMachineArns['fee-case']?.replace(':stateMachine:', ':execution:')}:${caseId}`;
  return harness.runtime.stepFunctions
    .events(arn)
    .filter((event) => event.type === 'StateEntered' && event.state.name === 'CheckReviewDeadline').length;
};

describe('POST /api/cases/{id}/transfer', () => {
  it('takes the review out of the old inbox and puts it in the new one, due afresh', async () => {
    // Arrange
    const scenario = await newScenario(harness);

    // Act
    const { caseId, review, moved } = await transferredReview(scenario);
    const received = await openTaskOf(harness, guangdongSamr, caseId, 'REVIEW');

    // Assert
    expect(await inboxIds(scenario.regulator)).not.toContain(review.taskId);
    expect(received).toMatchObject({
      taskId: moved.task.taskId,
      agency: 'SAMR',
      province: '44',
      escalated: false,
    });
    expect(received.taskId).not.toBe(review.taskId);
    expect(received.dueAt).toBe(
      new WorkingDayCalendar(publishedYears).dueAt(new Date(received.createdAt), REVIEW_SLA_DAYS),
    );
    expect(Date.parse(received.dueAt)).toBeGreaterThan(Date.parse(review.dueAt));
  });

  it('keeps the workflow waiting past the old due date on the new task, which then completes the wait', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId } = await transferredReview(scenario);
    const checksAtTransfer = deadlineChecks(caseId);

    // Act: the wait armed for the old review times out, is checked and armed again on the new one.
    await eventually(
      async () => deadlineChecks(caseId),
      (checks) => checks >= checksAtTransfer + 2,
    );
    const received = await openTaskOf(harness, guangdongSamr, caseId, 'REVIEW');
    const decided = await completeTask(harness, guangdongSamr, received.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Decided by the receiving office',
    });
    const closed = await waitForStage(harness, guangdongSamr, caseId, 'CLOSED');

    // Assert
    expect(received).toMatchObject({ province: '44', escalated: false, overdue: false });
    expect(decided.status, decided.text).toBe(200);
    expect(closed.audit.map((event: { type: string }) => event.type)).not.toContain('TASK_ESCALATED');
  });

  it('lets the receiving office decide UNLAWFUL, and the workflow orders the rectification', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId, moved } = await transferredReview(scenario);

    // Act
    const decided = await completeTask(harness, guangdongSamr, moved.task.taskId, decisions.abolish);
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    const detail = await waitForStage(harness, guangdongSamr, caseId, 'RECTIFYING');

    // Assert
    expect(decided.status, decided.text).toBe(200);
    expect(order).toMatchObject({ agency: 'SAMR', province: '44' });
    expect(detail.tasks.map((task: { kind: string; status: string }) => [task.kind, task.status])).toEqual([
      ['REVIEW', 'TRANSFERRED'],
      ['REVIEW', 'COMPLETED'],
      ['RECTIFICATION', 'OPEN'],
    ]);
  });

  it('answers a decision on the transferred task in the old office with 409 saying where it went', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { review } = await transferredReview(scenario);

    // Act
    const decided = await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);

    // Assert
    expect(decided.status).toBe(409);
    expect(decided.body.error.message).toContain('transferred to SAMR 44');
  });

  it("shows the complainant the new handling office and 转交 on the complaint's timeline", async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { complaintId } = await transferredReview(scenario);

    // Act
    const view = await harness.request('GET', `/api/complaints/${complaintId}`, {
      token: scenario.enterprise,
      headers: { 'accept-language': 'zh-CN' },
    });

    // Assert
    expect(view.body.progress.handlingOffice).toEqual({
      agency: 'SAMR',
      province: '44',
      name: '广东省市场监督管理局',
    });
    expect(view.body.timeline).toContainEqual(
      expect.objectContaining({ type: 'CASE_TRANSFERRED', params: { agency: 'SAMR', province: '44' } }),
    );
    expect(view.text).not.toContain(toGuangdongSamr.reason);
  });

  it('tells the complainant and puts the task in the receiving office’s notification centre', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId, moved } = await transferredReview(scenario);

    // Act
    await harness.runtime.drainStreams();
    const [complainant, office] = await Promise.all([
      harness.request('GET', '/api/notifications?limit=100', { token: scenario.enterprise }),
      harness.request('GET', '/api/notifications?limit=100', { token: guangdongSamr }),
    ]);

    // Assert
    expect(complainant.body.items).toContainEqual(
      expect.objectContaining({
        kind: 'CASE_TRANSFERRED',
        caseId,
        body: expect.stringContaining('广东省市场监督管理局'),
      }),
    );
    expect(office.body.items).toContainEqual(
      expect.objectContaining({ kind: 'TASK_OPENED', taskId: moved.task.taskId }),
    );
  });

  it('names the receiving office on the receipt of a complaint that joins the transferred case', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId } = await transferredReview(scenario);
    const joining = { ...(await newScenario(harness)), associationCode: scenario.associationCode };
    // The case journal carries the transfer to the fee's pointer, which filings read, from the stream.
    await harness.runtime.drainStreams();

    // Act
    const receipt = await harness.request('POST', '/api/complaints', {
      token: joining.enterprise,
      body: complaintBody({ associationCode: joining.associationCode }),
      headers: { 'accept-language': 'zh-CN' },
    });

    // Assert
    expect(receipt.body).toMatchObject({
      caseId,
      joinedExistingCase: true,
      handlingOffice: { agency: 'SAMR', province: '44', name: '广东省市场监督管理局' },
    });
  });

  it('finds the transferred case in a search of its new office', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId } = await transferredReview(scenario);

    // Act
    const found = await harness.request('GET', '/api/cases?agency=SAMR&province=44&limit=100', {
      token: scenario.admin,
    });
    const oldOffice = await harness.request('GET', '/api/cases?agency=MCA&province=11&limit=100', {
      token: scenario.admin,
    });

    // Assert
    expect(found.body.items.map((item: { caseId: string }) => item.caseId)).toContain(caseId);
    expect(oldOffice.body.items.map((item: { caseId: string }) => item.caseId)).not.toContain(caseId);
  });
});

describe('POST /api/tasks/{id}/assign', () => {
  it("lets the agency's national regulator give a review to an officer, who works it", async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const national = await harness.token({ role: 'regulator', agency: 'MCA', province: '00' });
    const officer = await harness.token({ role: 'regulator', agency: 'MCA', province: '11', name: 'li' });

    // Act
    const assigned = await harness.request('POST', `/api/tasks/${review.taskId}/assign`, {
      token: national,
      body: { assignee: 'local:regulator:MCA:11:li' },
    });
    const byColleague = await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    const byOfficer = await completeTask(harness, officer, review.taskId, decisions.abolish);

    // Assert
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.task.assignee).toBe('local:regulator:MCA:11:li');
    expect(byColleague.status).toBe(409);
    expect(byOfficer.status, byOfficer.text).toBe(200);
  });
});

describe('restart after a transfer', () => {
  it('resumes the case waiting on the new task, which the receiving office completes', async () => {
    // Arrange
    const scenario = await newScenario(harness);
    const { caseId, moved } = await transferredReview(scenario);

    // Act
    await harness.restart();
    const received = await openTaskOf(harness, guangdongSamr, caseId, 'REVIEW');
    const decided = await completeTask(harness, guangdongSamr, received.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'No unlawful charging found after transfer',
    });
    const closed = await waitForStage(harness, guangdongSamr, caseId, 'CLOSED');

    // Assert
    expect(received.taskId).toBe(moved.task.taskId);
    expect(decided.status, decided.text).toBe(200);
    expect(closed.case.outcome).toBe('DISMISSED');
    expect(closed.tasks.filter((task: { kind: string }) => task.kind === 'REVIEW')).toHaveLength(2);
  });
});
