/**
 * Closing feedback end to end on the local runtime: the real handlers, the real ASL on the local
 * engine, DynamoDB Local and the stream. A disputed refund reopens verification once, survives a
 * restart, closes the case again once, and the figures count what enterprises confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresOf } from '#shared/metrics/figures';
import {
  caseOf,
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  pastOpenCaseTrust,
  type Scenario,
  waitForStage,
} from '#test/support/campaign-actors';
import { feedbackTruth, truthFromTable } from '#test/support/metrics-truth';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;

beforeAll(async () => {
  harness = await startTestRuntime();
});
afterAll(() => harness.stop());

/** A case of its own, abolished with a refund the association reported and the regulator accepted. */
const closedWithRefund = async (scenario?: Scenario) => {
  const parties = scenario ?? (await newScenario(harness));
  const { caseId, complaintId } = await fileComplaint(harness, parties, { amountFen: 300_000 });
  const review = await openTaskOf(harness, parties.regulator, caseId, 'REVIEW');
  await completeTask(harness, parties.regulator, review.taskId, decisions.abolish);
  const order = await openTaskOf(harness, parties.association, caseId, 'RECTIFICATION');
  await completeTask(harness, parties.association, order.taskId, decisions.refunded(300_000));
  const check = await openTaskOf(harness, parties.regulator, caseId, 'VERIFICATION');
  await completeTask(harness, parties.regulator, check.taskId, decisions.accept);
  await waitForStage(harness, parties.regulator, caseId, 'CLOSED');
  return { parties, caseId, complaintId, firstCheck: check.taskId };
};

const feedback = (token: string, complaintId: string, body: unknown) =>
  harness.request('POST', `/api/complaints/${complaintId}/feedback`, { token, body });

const eventTypes = async (token: string, caseId: string) =>
  ((await caseOf(harness, token, caseId)).audit as { type: string }[]).map((event) => event.type);

describe('closing feedback', () => {
  it('shows the complainant until when feedback is possible, then the feedback given', async () => {
    // Arrange
    const { parties, complaintId } = await closedWithRefund();
    const before = await harness.request('GET', `/api/complaints/${complaintId}`, {
      token: parties.enterprise,
    });

    // Act
    await feedback(parties.enterprise, complaintId, {
      refundReceived: true,
      satisfaction: 4,
      comment: '已到账',
    });

    // Assert
    const after = await harness.request('GET', `/api/complaints/${complaintId}`, {
      token: parties.enterprise,
    });
    expect(before.body.feedbackUntil).toEqual(expect.any(String));
    expect(after.body).not.toHaveProperty('feedbackUntil');
    expect(after.body.feedback).toMatchObject({ refundReceived: true, satisfaction: 4, comment: '已到账' });
  });

  it('reopens verification on "refund not received", and closes the case again once the regulator verifies', async () => {
    // Arrange
    const { parties, caseId, complaintId, firstCheck } = await closedWithRefund();

    // Act
    const given = await feedback(parties.enterprise, complaintId, { refundReceived: false, satisfaction: 1 });
    const recheck = await openTaskOf(harness, parties.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, parties.regulator, recheck.taskId, decisions.accept);
    const closed = await waitForStage(harness, parties.regulator, caseId, 'CLOSED');

    // Assert
    expect(given.status).toBe(200);
    expect(given.body.reopened).toBe(true);
    expect(recheck.taskId).not.toBe(firstCheck);
    expect(closed.case).toMatchObject({ outcome: 'ABOLISHED', refundedFen: 300_000 });
    const types = await eventTypes(parties.regulator, caseId);
    expect(types.filter((type) => type === 'VERIFICATION_REOPENED')).toHaveLength(1);
    expect(types.filter((type) => type === 'CASE_CLOSED')).toHaveLength(2);
  });

  it('sends a rejected re-verification back to the association with the order’s period to run again', async () => {
    // Arrange
    const { parties, caseId, complaintId } = await closedWithRefund();
    await feedback(parties.enterprise, complaintId, { refundReceived: false, satisfaction: 1 });
    const recheck = await openTaskOf(harness, parties.regulator, caseId, 'VERIFICATION');

    // Act
    await completeTask(harness, parties.regulator, recheck.taskId, decisions.reject);
    const again = await openTaskOf(harness, parties.association, caseId, 'RECTIFICATION');

    // Assert
    expect(again.overdue).toBe(false);
    expect(again.escalated).toBe(false);
    expect(Date.parse(again.dueAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it('tells the association of the reopening without anything about who said what', async () => {
    // Arrange
    const { parties, caseId, complaintId } = await closedWithRefund();

    // Act
    await feedback(parties.enterprise, complaintId, {
      refundReceived: false,
      satisfaction: 2,
      comment: '王经理说没收到',
    });

    // Assert
    const seen = await caseOf(harness, parties.association, caseId);
    expect(seen.case.stage).toBe('VERIFYING');
    expect(seen.audit.map((event: { type: string }) => event.type)).toContain('VERIFICATION_REOPENED');
    const text = JSON.stringify(seen);
    for (const secret of [parties.enterpriseCode, '王经理', 'satisfaction', complaintId])
      expect(text).not.toContain(secret);
  });

  it("gives the regulators the complainant's feedback, comment included, in the case view", async () => {
    // Arrange
    const { parties, caseId, complaintId } = await closedWithRefund();

    // Act
    await feedback(parties.enterprise, complaintId, {
      refundReceived: true,
      satisfaction: 3,
      comment: '退费偏慢',
    });

    // Assert
    const seen = await caseOf(harness, parties.regulator, caseId);
    expect(seen.complaints).toEqual([
      expect.objectContaining({
        complaintId,
        feedback: expect.objectContaining({ satisfaction: 3, comment: '退费偏慢' }),
      }),
    ]);
  });

  it('resumes a reopened verification after a restart', async () => {
    // Arrange
    const { parties, caseId, complaintId } = await closedWithRefund();
    await feedback(parties.enterprise, complaintId, { refundReceived: false, satisfaction: 2 });

    // Act
    await harness.restart();
    const recheck = await openTaskOf(harness, parties.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, parties.regulator, recheck.taskId, decisions.accept);

    // Assert
    const closed = await waitForStage(harness, parties.regulator, caseId, 'CLOSED');
    expect(closed.case.outcome).toBe('ABOLISHED');
  });

  it('keeps exactly one feedback when different answers race, and answers identical ones alike', async () => {
    // Arrange
    const { parties, caseId, complaintId } = await closedWithRefund();
    const disputed = { refundReceived: false, satisfaction: 1 };
    const bodies = [disputed, disputed, { refundReceived: true, satisfaction: 5 }, disputed];

    // Act
    const answers = await Promise.all(bodies.map((body) => feedback(parties.enterprise, complaintId, body)));

    // Assert
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const accepted = answers.filter((answer) => answer.status === 200).map((answer) => answer.body.feedback);
    expect(accepted.length).toBeGreaterThan(0);
    for (const given of accepted) expect(given).toEqual(accepted[0]);
    const reopenings = (await eventTypes(parties.regulator, caseId)).filter(
      (type) => type === 'VERIFICATION_REOPENED',
    );
    expect(reopenings).toHaveLength(accepted[0]?.refundReceived === false ? 1 : 0);
  });

  it('opens a new case for a complaint about the fee while its case is reopened, and still closes the reopened one', async () => {
    // Arrange
    const { parties, caseId, complaintId } = await closedWithRefund();
    await feedback(parties.enterprise, complaintId, { refundReceived: false, satisfaction: 1 });
    await pastOpenCaseTrust();

    // Act
    const newer = await fileComplaint(
      harness,
      { ...(await newScenario(harness)), associationCode: parties.associationCode },
      { amountFen: 300_000 },
    );
    const recheck = await openTaskOf(harness, parties.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, parties.regulator, recheck.taskId, decisions.accept);

    // Assert
    expect(newer.caseId).not.toBe(caseId);
    expect((await waitForStage(harness, parties.regulator, caseId, 'CLOSED')).case.outcome).toBe('ABOLISHED');
    expect((await caseOf(harness, parties.regulator, newer.caseId)).case.previousCaseId).toBe(caseId);
  });

  it('counts confirmations, disputes, satisfaction and reopened cases exactly once, publicly', async () => {
    // Arrange
    const confirmed = await closedWithRefund();
    await feedback(confirmed.parties.enterprise, confirmed.complaintId, {
      refundReceived: true,
      satisfaction: 5,
    });
    await feedback(confirmed.parties.enterprise, confirmed.complaintId, {
      refundReceived: true,
      satisfaction: 5,
    });

    // Act
    await harness.runtime.drainStreams();
    const published = await harness.request('GET', '/api/public/metrics');

    // Assert
    const truth = await truthFromTable(harness);
    const fromComplaints = await feedbackTruth(harness);
    const { figures } = published.body;
    expect(figures).toEqual(figuresOf(truth.ALL ?? {}));
    expect({
      refundsConfirmed: figures.refundsConfirmed,
      refundsDisputed: figures.refundsDisputed,
      satisfaction: figures.satisfaction,
    }).toEqual(fromComplaints);
    expect(figures.reopenedCases).toBeGreaterThanOrEqual(1);
    expect(published.text).not.toContain('已到账');
  });
});
