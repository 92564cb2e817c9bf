/**
 * The fee-case workflow end to end on the local runtime: the real ASL on the local engine, the real
 * handlers, DynamoDB Local. Every path of docs/workflow.md from complaint to recorded outcome.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody } from '#infra/local/campaign-fixtures';
import {
  caseOf,
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  pastOpenCaseTrust,
  waitForStage,
} from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;

beforeAll(async () => {
  // A 60-day review SLA: longer than Node's timer ceiling, so an overflow would time out at once.
  harness = await startTestRuntime({ workflowSettings: { ReviewSlaWorkingDays: '40' } });
});
afterAll(() => harness.stop());

describe('fee-case workflow: unlawful fee abolished', () => {
  it('classifies forced membership as UNLAWFUL under R01 and routes it to MCA', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);

    await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const detail = await caseOf(harness, scenario.regulator, caseId);

    expect(detail.classification.suggested.verdict).toBe('UNLAWFUL');
    expect(detail.classification.suggested.rules[0]).toMatchObject({ id: 'R01' });
    expect(detail.classification.suggested.agency).toBe('MCA');
  });

  it('goes from review through rectification and verification to CLOSED/ABOLISHED with the refund recorded', async () => {
    const scenario = await newScenario(harness);
    const { caseId, complaintId } = await fileComplaint(harness, scenario, { amountFen: 480_000 });

    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    expect((await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish)).status).toBe(
      200,
    );
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    expect(
      (await completeTask(harness, scenario.association, order.taskId, decisions.refunded(480_000))).status,
    ).toBe(200);
    const verification = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
    expect(
      (await completeTask(harness, scenario.regulator, verification.taskId, decisions.accept)).status,
    ).toBe(200);
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
    const complaint = await eventually(
      async () =>
        (await harness.request('GET', `/api/complaints/${complaintId}`, { token: scenario.enterprise })).body,
      (body) => body.case.outcome === 'ABOLISHED',
    );

    expect(closed.case).toMatchObject({ outcome: 'ABOLISHED', verdict: 'UNLAWFUL', refundedFen: 480_000 });
    expect(complaint.case).toMatchObject({ stage: 'CLOSED', outcome: 'ABOLISHED', refundedFen: 480_000 });
    expect(complaint.timeline.map((entry: { stage: string }) => entry.stage)).toContain('RECTIFYING');
  });

  it('writes the outcome onto every complaint of the case', async () => {
    const scenario = await newScenario(harness);
    const first = await fileComplaint(harness, scenario);
    const second = await newScenario(harness);
    const joined = await fileComplaint(harness, { ...second, associationCode: scenario.associationCode });
    expect(joined.caseId).toBe(first.caseId);

    const review = await openTaskOf(harness, scenario.regulator, first.caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    const order = await openTaskOf(harness, scenario.association, first.caseId, 'RECTIFICATION');
    await completeTask(harness, scenario.association, order.taskId, decisions.refunded(1_000_000));
    const verification = await openTaskOf(harness, scenario.regulator, first.caseId, 'VERIFICATION');
    await completeTask(harness, scenario.regulator, verification.taskId, decisions.accept);
    await waitForStage(harness, scenario.regulator, first.caseId, 'CLOSED');
    const item = await eventually(
      async () =>
        (
          await harness.documentClient.send(
            new GetCommand({
              TableName: harness.tableName,
              Key: { pk: `COMPLAINT#${joined.complaintId}`, sk: 'COMPLAINT' },
            }),
          )
        ).Item,
      (found) => found?.outcome === 'ABOLISHED',
    );

    expect(item).toMatchObject({ outcome: 'ABOLISHED', caseRefundedFen: 1_000_000 });
  });
});

describe('fee-case workflow: annual fee removed by an abolition', () => {
  /** An enterprise complains about a fee of `period`; it is abolished and the association reports `report`. */
  const abolishWithReport = async (period: 'ANNUAL' | 'ONE_OFF', report: Record<string, unknown>) => {
    const scenario = await newScenario(harness);
    const body = complaintBody({ associationCode: scenario.associationCode, amountFen: 480_000 });
    const filed = await harness.request('POST', '/api/complaints', {
      token: scenario.enterprise,
      body: { ...body, fee: { ...body.fee, period } },
    });
    const { caseId } = filed.body as { caseId: string };
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    await completeTask(harness, scenario.association, order.taskId, {
      ...decisions.refunded(480_000),
      ...report,
    });
    const verification = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, scenario.regulator, verification.taskId, decisions.accept);
    return (await waitForStage(harness, scenario.regulator, caseId, 'CLOSED')).case;
  };

  it.each([
    { period: 'ANNUAL', report: { reducedAnnualFen: 0 }, gives: 'reducedAnnualFen 0', removed: 0 },
    {
      period: 'ANNUAL',
      report: { reducedAnnualFen: 120_000 },
      gives: 'reducedAnnualFen 120000',
      removed: 120_000,
    },
    { period: 'ANNUAL', report: {}, gives: 'no figure (the amount claimed)', removed: 480_000 },
    { period: 'ONE_OFF', report: {}, gives: 'no figure', removed: 0 },
  ] as const)(
    'records $removed fen a year removed when the report on an abolished $period fee gives $gives',
    async ({ period, report, removed }) => {
      const closed = await abolishWithReport(period, report);

      expect(closed).toMatchObject({ outcome: 'ABOLISHED', reducedAnnualFen: removed });
    },
  );
});

describe('fee-case workflow: other verdicts', () => {
  const regulatedFacts = {
    compulsory: false,
    serviceProvided: 'YES',
    standardPublished: false,
    duesAdoptedByAssembly: true,
  };

  it('closes a REGULATED decision with actions after the ordered rectification is verified', async () => {
    const scenario = await newScenario(harness, 'SAMR');
    const { caseId } = await fileComplaint(harness, scenario, { facts: regulatedFacts });

    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'REGULATED',
      ruleIds: ['R16'],
      reason: 'The standard must be published',
      actions: ['PUBLISH_STANDARD'],
      rectificationDays: 20,
    });
    const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    await completeTask(harness, scenario.association, order.taskId, {
      abolished: false,
      refundedFen: 0,
      evidence: [{ kind: 'PUBLISHED_STANDARD', reference: 'https://assoc.example/fees' }],
    });
    const verification = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, scenario.regulator, verification.taskId, decisions.accept);
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(closed.case).toMatchObject({ outcome: 'REGULATED', order: { rectificationDays: 20 } });
  });

  it('closes a REGULATED decision without actions at once, with no rectification task', async () => {
    const scenario = await newScenario(harness, 'SAMR');
    const { caseId } = await fileComplaint(harness, scenario, { facts: regulatedFacts });

    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'REGULATED',
      ruleIds: ['R16'],
      reason: 'Lawful; stays under supervision',
    });
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(closed.case.outcome).toBe('REGULATED');
    expect(closed.tasks.map((task: { kind: string }) => task.kind)).toEqual(['REVIEW']);
  });

  it('closes a DISMISSED complaint', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);

    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Membership was voluntary',
    });
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(closed.case).toMatchObject({ outcome: 'DISMISSED', refundedFen: 0 });
  });

  it('asks the complainant for information, then classifies again and opens a second review', async () => {
    const scenario = await newScenario(harness, 'SAMR');
    const { caseId } = await fileComplaint(harness, scenario, { category: 'MEETING_TRAINING', facts: {} });

    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    expect((await caseOf(harness, scenario.regulator, caseId)).classification.suggested.verdict).toBe(
      'UNDETERMINED',
    );
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'NEEDS_INFO',
      ruleIds: [],
      reason: 'Was attendance compulsory?',
    });
    const info = await openTaskOf(harness, scenario.enterprise, caseId, 'INFO');
    expect(info).toMatchObject({
      question: 'Was attendance compulsory?',
      category: 'MEETING_TRAINING',
      feeName: expect.any(String),
      associationName: expect.any(String),
    });
    const answered = await completeTask(harness, scenario.enterprise, info.taskId, {
      facts: { compulsory: true },
      note: 'Attendance was a condition of membership',
    });
    const second = await eventually(
      () => caseOf(harness, scenario.regulator, caseId),
      (detail) => detail.tasks.filter((task: { kind: string }) => task.kind === 'REVIEW').length === 2,
    );

    expect(answered.status).toBe(200);
    expect(second.classification.suggested.verdict).toBe('UNLAWFUL');
    expect(second.classification.suggested.rules.map((rule: { id: string }) => rule.id)).toContain('R07');
  });

  it('sends a rejected rectification back to the association and closes after the second report', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);

    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
    const firstOrder = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    await completeTask(harness, scenario.association, firstOrder.taskId, decisions.refunded(100_000));
    const firstCheck = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, scenario.regulator, firstCheck.taskId, decisions.reject);
    const secondOrder = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
    await completeTask(harness, scenario.association, secondOrder.taskId, decisions.refunded(500_000));
    const secondCheck = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
    await completeTask(harness, scenario.regulator, secondCheck.taskId, decisions.accept);
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(secondOrder.taskId).not.toBe(firstOrder.taskId);
    expect(closed.case).toMatchObject({ outcome: 'ABOLISHED', refundedFen: 500_000 });
  });

  it('opens a new case, linked to the closed one, for a later complaint about the same fee', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario, { feeName: 'Council seat fee' });
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Voluntary',
    });
    await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
    await pastOpenCaseTrust();

    const later = await fileComplaint(harness, scenario, { feeName: 'Council seat fee', amountFen: 600_000 });
    const detail = await caseOf(harness, scenario.regulator, later.caseId);

    expect(later).toMatchObject({ joinedExistingCase: false });
    expect(later.caseId).not.toBe(caseId);
    expect(detail.case.previousCaseId).toBe(caseId);
  });
});

describe('review decisions', () => {
  it('closes the system’s own suggestion, REGULATED with no rule matched and nothing to order, as REGULATED', async () => {
    const scenario = await newScenario(harness, 'SAMR');
    const { caseId } = await fileComplaint(harness, scenario, {
      facts: {
        compulsory: false,
        serviceProvided: 'YES',
        standardPublished: true,
        duesAdoptedByAssembly: true,
      },
    });
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const { suggested } = (await caseOf(harness, scenario.regulator, caseId)).classification;

    const decided = await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'REGULATED',
      ruleIds: [],
      reason: 'Lawful as charged; no rule applies',
    });
    const closed = await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    expect(suggested).toMatchObject({ verdict: 'REGULATED', rules: [], actions: [] });
    expect(decided.status, decided.text).toBe(200);
    expect(closed.case.outcome).toBe('REGULATED');
  });

  it('refuses a rule the case’s rulebook does not have (R99) with 400 naming ruleIds, and the task stays open', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    const decided = await completeTask(harness, scenario.regulator, review.taskId, {
      ...decisions.abolish,
      ruleIds: ['R01', 'R99'],
    });
    const still = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    expect(decided.status).toBe(400);
    expect(decided.body.error.details).toEqual([
      {
        path: 'ruleIds.1',
        code: 'not_a_rule',
        params: { ruleId: 'R99', rulebookVersion: expect.any(String) },
        message: expect.stringContaining('R99'),
      },
    ]);
    expect(still.status).toBe('OPEN');
  });
});

describe('task completion', () => {
  it('lets exactly one of 20 concurrent completions win; the other 19 get 409', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        completeTask(harness, scenario.regulator, review.taskId, decisions.abolish),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();

    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
  });

  it('answers 409 when a colleague who did not claim the task tries to complete it', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const colleague = await harness.token({
      role: 'regulator',
      agency: 'MCA',
      province: '11',
      name: 'colleague',
    });

    const claimed = await harness.request('POST', `/api/tasks/${review.taskId}/claim`, {
      token: scenario.regulator,
    });
    const stolen = await completeTask(harness, colleague, review.taskId, decisions.abolish);
    const claimAgain = await harness.request('POST', `/api/tasks/${review.taskId}/claim`, {
      token: colleague,
    });

    expect(claimed.status).toBe(200);
    expect(stolen.status).toBe(409);
    expect(claimAgain.status).toBe(409);
  });

  it('hides a task from a regulator of another province or agency (404)', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const otherProvince = await harness.token({ role: 'regulator', agency: 'MCA', province: '31' });
    const otherAgency = await harness.token({ role: 'regulator', agency: 'SAMR', province: '11' });

    const fromOtherProvince = await completeTask(harness, otherProvince, review.taskId, decisions.abolish);
    const fromOtherAgency = await completeTask(harness, otherAgency, review.taskId, decisions.abolish);
    const byEnterprise = await completeTask(harness, scenario.enterprise, review.taskId, decisions.abolish);

    expect([fromOtherProvince.status, fromOtherAgency.status, byEnterprise.status]).toEqual([404, 404, 404]);
  });

  it('rejects a completion body that does not fit the task kind with the failing fields', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    const response = await completeTask(harness, scenario.regulator, review.taskId, { accepted: true });

    expect(response.status).toBe(400);
    expect(response.body.error.details.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(['verdict', 'accepted']),
    );
  });

  it('never returns the workflow task token', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    const inbox = await harness.request('GET', '/api/tasks', { token: scenario.regulator });
    const detail = await harness.request('GET', `/api/cases/${caseId}`, { token: scenario.regulator });
    const completed = await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);

    for (const response of [inbox, detail, completed]) expect(response.text).not.toMatch(/taskToken/i);
  });
});

describe('case view', () => {
  it('shows the association its case without the complainant, unless the complainant agreed', async () => {
    const scenario = await newScenario(harness);
    const hidden = await fileComplaint(harness, scenario, { feeName: 'Hidden fee' });
    const disclosed = await fileComplaint(harness, scenario, {
      feeName: 'Disclosed fee',
      discloseIdentityToAssociation: true,
    });

    const hiddenView = await harness.request('GET', `/api/cases/${hidden.caseId}`, {
      token: scenario.association,
    });
    const disclosedView = await harness.request('GET', `/api/cases/${disclosed.caseId}`, {
      token: scenario.association,
    });

    expect(hiddenView.status).toBe(200);
    expect(hiddenView.text).not.toContain(scenario.enterpriseCode);
    expect(hiddenView.text).not.toContain('Zhang San');
    expect(disclosedView.body.complaints[0].enterpriseCreditCode).toBe(scenario.enterpriseCode);
    expect(disclosedView.text).not.toContain('13800000000');
  });

  it('shows another association 404', async () => {
    const scenario = await newScenario(harness);
    const other = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);

    const response = await harness.request('GET', `/api/cases/${caseId}`, { token: other.association });

    expect(response.status).toBe(404);
  });

  it('returns an intact hash-chained audit trail', async () => {
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario);
    await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    const detail = await caseOf(harness, scenario.regulator, caseId);

    expect(detail.auditIntegrity).toMatchObject({ intact: true });
    expect(detail.audit.map((event: { type: string }) => event.type)).toEqual([
      'CASE_OPENED',
      'CLASSIFIED',
      'TASK_OPENED',
    ]);
  });
});

describe('privacy', () => {
  it('keeps complainant contact details out of every workflow input and output', async () => {
    const canary = `canary-${Date.now()}`;
    const scenario = await newScenario(harness);
    const { caseId } = await fileComplaint(harness, scenario, {
      contact: { name: `${canary}-name`, phone: '13912345678', email: `${canary}@example.com` },
    });
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'No case',
    });
    await waitForStage(harness, scenario.regulator, caseId, 'CLOSED');

    const arn = `${harness.runtime.stateMachineArns['fee-case']?.replace(':stateMachine:', ':execution:')}:${caseId}`;
    const history = JSON.stringify(harness.runtime.stepFunctions.events(arn));

    expect(history.length).toBeGreaterThan(100);
    expect(history).not.toContain(canary);
    expect(history).not.toContain('13912345678');
    expect(history).not.toContain(scenario.enterpriseCode);
  });
});
