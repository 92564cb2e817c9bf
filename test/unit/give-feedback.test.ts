/**
 * Closing feedback over an in-memory case store: given once by the complainant, within 30 days of
 * closure; "refund not received" reopens the case's verification exactly once; every refusal
 * changes nothing.
 */

import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { giveFeedback } from '#shared/give-feedback/give-feedback';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore, InMemoryComplaintReads } from '#test/support/fakes/case-store';
import { aClassifiedCase, aComplaint, aTask, principals } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';

const closedAt = '2026-07-01T08:00:00.000Z';
const day = 86_400_000;
const verificationTaskId = 'case-1.verification.1';

/** A case closed after an accepted rectification that reported a refund. */
const aClosedCase = (changes: Partial<FeeCase> = {}): FeeCase =>
  aClassifiedCase({
    stage: 'CLOSED',
    verdict: 'UNLAWFUL',
    outcome: 'ABOLISHED',
    refundedFen: 500_000,
    enterprisesHelped: 1,
    closedAt,
    order: {
      actions: ['ABOLISH', 'REFUND'],
      rectificationDays: 30,
      issuedAt: '2026-06-02T08:00:00.000Z',
      dueAt: '2026-07-02T08:00:00.000Z',
    },
    rectification: {
      abolished: true,
      refundedFen: 500_000,
      evidence: [{ kind: 'NOTICE', reference: 'notice-1' }],
      reportedAt: '2026-06-20T08:00:00.000Z',
      accepted: true,
    },
    currentTask: { taskId: verificationTaskId, kind: 'VERIFICATION' },
    taskRounds: { REVIEW: 1, RECTIFICATION: 1, VERIFICATION: 1 },
    resumeCount: 2,
    ...changes,
  });

const arrange = (options: { feeCase?: FeeCase; daysAfterClosure?: number } = {}) => {
  const store = new InMemoryCaseStore();
  const workflow = new RecordingWorkflow();
  store.addCase(options.feeCase ?? aClosedCase());
  store.addComplaint(aComplaint());
  store.addTask(
    aTask('VERIFICATION', {
      status: 'COMPLETED',
      completedAt: '2026-06-30T08:00:00.000Z',
      result: { accepted: true },
    }),
  );
  const now = new Date(Date.parse(closedAt) + (options.daysAfterClosure ?? 3) * day);
  const deps = {
    store,
    complaints: new InMemoryComplaintReads(store),
    workflow,
    calendar: new InMemoryCalendarStore(),
    now: () => now,
  };
  return { store, workflow, deps, now };
};

const give = (
  deps: ReturnType<typeof arrange>['deps'],
  body: unknown,
  enterpriseId = principals.enterprise.enterpriseId,
) => giveFeedback(deps, enterpriseId, 'complaint-1', body);

const satisfied = { refundReceived: true, satisfaction: 5, comment: '退费已到账，感谢。' };
const disputed = { refundReceived: false, satisfaction: 2 };

/** What a refusal must leave as it was: the case, the complaint, the audit trail, the starts. */
const snapshot = async ({ store, workflow }: ReturnType<typeof arrange>) =>
  JSON.stringify([
    await store.getCase('case-1'),
    await store.allComplaints(),
    store.eventsOf('case-1'),
    workflow.starts,
  ]);

describe('giveFeedback', () => {
  it('records the feedback on the complaint and its counts on the case', async () => {
    // Arrange
    const { store, deps } = arrange();

    // Act
    const receipt = await give(deps, satisfied);

    // Assert
    const [complaint] = await store.allComplaints();
    expect(complaint?.feedback).toEqual({ ...satisfied, givenAt: expect.any(String) });
    expect((await store.getCase('case-1'))?.feedback).toEqual({
      refundsConfirmed: 1,
      refundsDisputed: 0,
      satisfaction: [0, 0, 0, 0, 1],
    });
    expect(receipt).toMatchObject({ complaintId: 'complaint-1', caseId: 'case-1', reopened: false });
  });

  it('audits the counts of a feedback, never its comment, and leaves the case closed', async () => {
    // Arrange
    const { store, workflow, deps } = arrange();

    // Act
    await give(deps, satisfied);

    // Assert
    expect(store.eventsOf('case-1').map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'FEEDBACK_RECEIVED', data: { refundReceived: true, satisfaction: 5 } },
    ]);
    expect((await store.getCase('case-1'))?.stage).toBe('CLOSED');
    expect(workflow.starts).toEqual([]);
  });

  it('reopens verification on "refund not received": a new VERIFICATION task and the case back to VERIFYING', async () => {
    // Arrange
    const { store, deps } = arrange();

    // Act
    const receipt = await give(deps, disputed);

    // Assert
    const feeCase = await store.getCase('case-1');
    expect(receipt.reopened).toBe(true);
    expect(feeCase).toMatchObject({
      stage: 'VERIFYING',
      currentTask: { taskId: 'case-1.verification.2', kind: 'VERIFICATION' },
      taskRounds: { VERIFICATION: 2 },
      reopened: { times: 1, taskId: 'case-1.verification.2', execution: 3 },
      feedback: { refundsConfirmed: 0, refundsDisputed: 1, satisfaction: [0, 1, 0, 0, 0] },
    });
    expect(feeCase).not.toHaveProperty('outcome');
    expect(feeCase).not.toHaveProperty('closedAt');
    expect(feeCase?.rectification).not.toHaveProperty('accepted');
    expect(await store.getTask('case-1.verification.2')).toMatchObject({
      status: 'OPEN',
      kind: 'VERIFICATION',
      agency: 'MCA',
      province: '11',
    });
  });

  it('names the case by its reference on the reopened task, as on every task', async () => {
    // Arrange
    const { store, deps } = arrange({ feeCase: aClosedCase({ reference: '2026-11-000001' }) });

    // Act
    await give(deps, disputed);

    // Assert
    expect(await store.getTask('case-1.verification.2')).toMatchObject({ caseReference: '2026-11-000001' });
  });

  it("audits the reopening as VERIFICATION_REOPENED with the task's office and due date, naming no complainant", async () => {
    // Arrange
    const { store, deps } = arrange();

    // Act
    await give(deps, disputed);

    // Assert
    const task = await store.getTask('case-1.verification.2');
    expect(
      store.eventsOf('case-1').map(({ type, stage, actor, data }) => ({ type, stage, actor, data })),
    ).toEqual([
      {
        type: 'VERIFICATION_REOPENED',
        stage: 'VERIFYING',
        actor: { role: 'enterprise' },
        data: {
          taskId: 'case-1.verification.2',
          kind: 'VERIFICATION',
          dueAt: task?.dueAt,
          agency: 'MCA',
          province: '11',
          reason: 'REFUND_NOT_RECEIVED',
        },
      },
    ]);
  });

  it('starts a fresh execution of the workflow at the verification wait', async () => {
    // Arrange
    const { workflow, deps } = arrange();

    // Act
    await give(deps, disputed);

    // Assert
    expect(workflow.starts).toEqual([
      {
        caseId: 'case-1',
        resume: {
          count: 3,
          input: { resumeAt: 'AwaitVerification', order: { rectificationDays: 30 } },
        },
      },
    ]);
  });

  it("runs the order's period again from the reopening, for the association should the report be rejected", async () => {
    // Arrange
    const { store, deps, now } = arrange();

    // Act
    await give(deps, disputed);

    // Assert
    expect((await store.getCase('case-1'))?.order?.dueAt).toBe(
      (await new InMemoryCalendarStore().calendar()).dueAt(now, 30),
    );
  });

  it('answers the same feedback sent again with the same receipt, reopening nothing twice', async () => {
    // Arrange
    const { store, workflow, deps } = arrange();
    const first = await give(deps, disputed);

    // Act
    const again = await give(deps, disputed);

    // Assert
    expect(again).toEqual(first);
    expect(store.eventsOf('case-1')).toHaveLength(1);
    expect((await store.getCase('case-1'))?.reopened?.times).toBe(1);
    // The retry restarts the same execution by name, which the engine takes as the same start.
    expect(new Set(workflow.starts.map((start) => start.resume?.count))).toEqual(new Set([3]));
  });

  it('starts nothing on a retry once a restart resumed the reopened case under a later execution', async () => {
    // Arrange
    const { store, workflow, deps } = arrange();
    await give(deps, disputed);
    const reopened = (await store.getCase('case-1')) as FeeCase;
    await store.commit({
      before: reopened,
      after: { ...reopened, resumeCount: 4 },
      at: new Date().toISOString(),
      event: { type: 'WORKFLOW_RESUMED', actor: { role: 'workflow' }, data: { count: 4 } },
    });
    const startsBefore = workflow.starts.length;

    // Act
    await give(deps, disputed);

    // Assert
    expect(workflow.starts).toHaveLength(startsBefore);
  });

  it('refuses different feedback after the first with a conflict, and changes nothing', async () => {
    // Arrange
    const arranged = arrange();
    await give(arranged.deps, satisfied);
    const before = await snapshot(arranged);

    // Act
    const second = give(arranged.deps, disputed);

    // Assert
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(arranged)).toBe(before);
  });

  it('keeps exactly one feedback when another arrives between reading and writing', async () => {
    // Arrange
    const { store, workflow, deps } = arrange();
    store.interleave(async () => {
      await give(deps, disputed);
    });

    // Act
    const late = give(deps, satisfied);

    // Assert
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    expect(store.eventsOf('case-1').map((event) => event.type)).toEqual(['VERIFICATION_REOPENED']);
    expect((await store.allComplaints())[0]?.feedback?.refundReceived).toBe(false);
    expect(workflow.starts).toHaveLength(1);
  });

  it('refuses feedback on a case that is not closed with a conflict', async () => {
    // Arrange
    const { outcome: _outcome, closedAt: _closedAt, ...open } = aClosedCase({ stage: 'VERIFYING' });
    const arranged = arrange({ feeCase: open });
    const before = await snapshot(arranged);

    // Act
    const refused = give(arranged.deps, satisfied);

    // Assert
    await expect(refused).rejects.toThrow(new ConflictError('Feedback opens when the case is closed'));
    expect(await snapshot(arranged)).toBe(before);
  });

  it('takes feedback on the 30th day after closure', async () => {
    // Arrange
    const { deps } = arrange({ daysAfterClosure: 30 });

    // Act
    const receipt = await give(deps, satisfied);

    // Assert
    expect(receipt.feedback.satisfaction).toBe(5);
  });

  it('refuses feedback after the 30 days with a conflict, and changes nothing', async () => {
    // Arrange
    const arranged = arrange({ daysAfterClosure: 30.01 });
    const before = await snapshot(arranged);

    // Act
    const refused = give(arranged.deps, disputed);

    // Assert
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(arranged)).toBe(before);
  });

  it.each([
    ['another enterprise', principals.otherEnterprise.enterpriseId],
    ['another account of the same credit code', 'second-account'],
  ])('answers %s that the complaint does not exist', async (_who, enterpriseId) => {
    // Arrange
    const { deps } = arrange();

    // Act
    const refused = give(deps, satisfied, enterpriseId);

    // Assert
    await expect(refused).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers an unknown complaint with not found', async () => {
    // Arrange
    const { deps } = arrange();

    // Act
    const refused = giveFeedback(deps, principals.enterprise.enterpriseId, 'complaint-x', satisfied);

    // Assert
    await expect(refused).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects bad input naming each field, and changes nothing', async () => {
    // Arrange
    const arranged = arrange();
    const before = await snapshot(arranged);

    // Act
    const refused = give(arranged.deps, { refundReceived: 'no', satisfaction: 6, comment: ' ', stars: 1 });

    // Assert
    const error = await refused.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path).sort()).toEqual([
      'comment',
      'refundReceived',
      'satisfaction',
      'stars',
    ]);
    expect(await snapshot(arranged)).toBe(before);
  });

  it('refuses an answer about a refund on a case that recorded none', async () => {
    // Arrange
    const arranged = arrange({ feeCase: aClosedCase({ refundedFen: 0 }) });

    // Act
    const refused = give(arranged.deps, disputed);

    // Assert
    const error = await refused.catch((caught: unknown) => caught);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'refundReceived', code: 'no_refund_recorded' }),
    ]);
  });

  it('takes "not applicable" on a case that recorded no refund', async () => {
    // Arrange
    const { deps } = arrange({ feeCase: aClosedCase({ refundedFen: 0 }) });

    // Act
    const receipt = await give(deps, { refundReceived: null, satisfaction: 3 });

    // Assert
    expect(receipt).toMatchObject({ reopened: false, feedback: { refundReceived: null, satisfaction: 3 } });
  });

  it('refuses feedback on a repeat filing, which counts for nothing', async () => {
    // Arrange
    const { store, deps } = arrange();
    store.addComplaint(aComplaint({ complaintId: 'complaint-2', repeatOf: { complaintId: 'complaint-1' } }));

    // Act
    const refused = giveFeedback(deps, principals.enterprise.enterpriseId, 'complaint-2', satisfied);

    // Assert
    await expect(refused).rejects.toThrow(new ConflictError('Give feedback on your complaint complaint-1'));
  });
});
