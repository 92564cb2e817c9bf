/**
 * Self-inspection and public fee lists over HTTP, on the local runtime: a registered association
 * declares its fees, a suspect fee opens a SELF_INSPECTION case that the real workflow takes to a
 * review task, a replay answers the same, a new body is version 2; associations that did not declare
 * by the deadline get one task each for their registering authority's regulators; a complaint about an
 * undeclared fee is flagged; the public fee list shows fees and outcomes and nothing of complainants.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, claimsOf, serialOf } from '#infra/local/campaign-fixtures';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { taskKey } from '#shared/adapters/dynamodb/keys';
import { DynamoSelfInspectionStore } from '#shared/adapters/dynamodb/self-inspection-store';
import { makeCreditCode } from '#shared/domain/credit-code';
import { missingDeclarationTaskId } from '#shared/domain/fee-task';
import { openMissingDeclarationTasks, yearPastDue } from '#shared/self-inspection/missing-declarations';
import {
  caseOf,
  completeTask,
  fileComplaint,
  newScenario,
  openTaskOf,
  type Scenario,
  waitForStage,
} from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import {
  declarationBody,
  lawfulDues,
  registerAssociations,
  suspectAward,
} from '#test/support/self-inspection';

let harness: TestRuntime;
let scenario: Scenario;
/** The declaration year the tests declare, and the last year already past its deadline. */
const year = 2026;
const pastYear = yearPastDue(new Date(), '03-31');

const declare = (token: string, body: unknown) =>
  harness.request('POST', '/api/self-inspections', { token, body });

beforeAll(async () => {
  harness = await startTestRuntime();
  scenario = await newScenario(harness, 'SAMR', '11');
  await registerAssociations(harness, [scenario.associationCode], { name: '北京市示范行业协会' });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('POST /api/self-inspections', () => {
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, by the fields they assert on
  let first: { status: number; body: any };

  it('refuses an association the register does not list, and stores nothing', async () => {
    // Arrange
    const unregistered = await harness.token(claimsOf.association(associationCode('11', 9_111_111)));

    // Act
    const refused = await declare(unregistered, declarationBody({ year }));
    const listed = await harness.request('GET', '/api/self-inspections', { token: unregistered });

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('association_not_registered');
    expect(listed.body.items).toEqual([]);
  });

  it('records a fee no rule fires on as declared and a suspect fee with the case that handles it', async () => {
    // Act
    first = await declare(scenario.association, declarationBody({ year, fees: [lawfulDues, suspectAward] }));

    // Assert
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ creditCode: scenario.associationCode, year, version: 1 });
    const [dues, award] = first.body.fees;
    expect(dues.screening).toEqual({ result: 'DECLARED', verdict: 'REGULATED' });
    expect(award.screening).toMatchObject({ result: 'SUSPECT', verdict: 'UNLAWFUL' });
    expect(award.screening.ruleIds).toContain('R03');
    expect(award.screening.caseId).toEqual(expect.any(String));
  });

  it('opens a SELF_INSPECTION case that the workflow takes to a review by the rulebook agency', async () => {
    // Arrange
    const caseId = first.body.fees[1].screening.caseId;

    // Act
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
    const detail = await caseOf(harness, scenario.regulator, caseId);

    // Assert
    expect(review).toMatchObject({ agency: 'SAMR', province: '11', status: 'OPEN' });
    expect(detail.case).toMatchObject({
      origin: 'SELF_INSPECTION',
      stage: 'UNDER_REVIEW',
      complaintCount: 0,
      association: { creditCode: scenario.associationCode },
      fee: { name: suspectAward.name, category: 'RATING_AWARD', amountFen: 880_000 },
    });
    expect(detail.classification.suggested.verdict).toBe('UNLAWFUL');
    expect(detail.complaints ?? []).toEqual([]);
  });

  it('refuses to ask a complainant for information on a case nobody complained about', async () => {
    // Arrange
    const caseId = first.body.fees[1].screening.caseId;
    const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');

    // Act
    const asked = await completeTask(harness, scenario.regulator, review.taskId, {
      verdict: 'NEEDS_INFO',
      ruleIds: [],
      reason: 'Who paid it?',
    });

    // Assert
    expect(asked.status).toBe(400);
    expect(asked.body.error.details[0].path).toBe('verdict');
    expect((await caseOf(harness, scenario.regulator, caseId)).case.stage).toBe('UNDER_REVIEW');
  });

  it('answers the same body again with the same version, opening nothing more', async () => {
    // Act
    const replay = await declare(
      scenario.association,
      declarationBody({ year, fees: [lawfulDues, suspectAward] }),
    );

    // Assert
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
  });

  it('keeps a changed body as version 2 beside version 1, the open case still handling the fee', async () => {
    // Arrange
    const cheaper = { ...lawfulDues, tiers: [{ label: '会员单位', amountFen: 300_000 }] };

    // Act
    const second = await declare(
      scenario.association,
      declarationBody({ year, fees: [cheaper, suspectAward] }),
    );
    const listed = await harness.request('GET', `/api/self-inspections?year=${year}`, {
      token: scenario.association,
    });
    const byOfficial = await harness.request(
      'GET',
      `/api/self-inspections?creditCode=${scenario.associationCode}`,
      { token: scenario.regulator },
    );

    // Assert
    expect(second.body.version).toBe(2);
    expect(second.body.fees[1].screening.caseId).toBe(first.body.fees[1].screening.caseId);
    expect(listed.body.items.map((item: { version: number }) => item.version)).toEqual([2, 1]);
    expect(listed.body.items[1]).toEqual(first.body);
    expect(byOfficial.body.items).toEqual(listed.body.items);
  });

  it('lets a later complaint about the declared suspect fee join its case', async () => {
    // Act
    const receipt = await fileComplaint(harness, scenario, {
      associationName: '北京市示范行业协会',
      feeName: suspectAward.name,
      category: 'RATING_AWARD',
      period: 'ONE_OFF',
    });

    // Assert
    expect(receipt.joinedExistingCase).toBe(true);
    expect(receipt.caseId).toBe(first.body.fees[1].screening.caseId);
  });
});

describe('a complaint about a fee the association did not declare', () => {
  it('is flagged undeclared when its case is classified', async () => {
    // Act
    const receipt = await fileComplaint(harness, scenario, { feeName: '行业发展基金', category: 'OTHER' });
    const classified = await eventually(
      () => caseOf(harness, scenario.admin, receipt.caseId),
      (detail) => detail.classification?.suggested !== undefined,
    );

    // Assert
    expect(classified.case.flags).toContain('undeclared');
  });

  it('is not flagged when the fee is declared', async () => {
    // Act
    const receipt = await fileComplaint(harness, scenario, {
      feeName: lawfulDues.name,
      category: 'MEMBERSHIP_DUES',
    });
    const classified = await eventually(
      () => caseOf(harness, scenario.admin, receipt.caseId),
      (detail) => detail.classification?.suggested !== undefined,
    );

    // Assert
    expect(classified.case.flags).not.toContain('undeclared');
  });
});

describe('the self-inspection deadline', () => {
  const provincial = associationCode('44', 9_222_001);
  const national = makeCreditCode(`5110${'0000MJ'}${serialOf(9_222_002)}`);
  const declared = associationCode('44', 9_222_003);

  const inbox = (token: string) => harness.request('GET', '/api/tasks?kind=DECLARATION&limit=100', { token });

  it('opens one task per active association without a declaration, for its registering authority', async () => {
    // Arrange
    await registerAssociations(harness, [provincial, declared], { registeringAuthority: '广东省民政厅' });
    await registerAssociations(harness, [national], { level: 'NATIONAL', registeringAuthority: '民政部' });
    await registerAssociations(harness, [associationCode('44', 9_222_004)], { status: 'REVOKED' });
    const declaring = await harness.token(claimsOf.association(declared));
    expect((await declare(declaring, declarationBody({ year: pastYear }))).status).toBe(200);
    const guangdong = await harness.token(claimsOf.regulator('MCA', '44'));
    const ministry = await harness.token(claimsOf.regulator('MCA', '00'));

    // Act
    await harness.runtime.runSchedules();
    await harness.runtime.runSchedules();

    // Assert
    const provincialTasks = (await inbox(guangdong)).body.items;
    const nationalTasks = (await inbox(ministry)).body.items;
    expect(provincialTasks.map((task: { taskId: string }) => task.taskId)).toContain(
      missingDeclarationTaskId(provincial, pastYear),
    );
    expect(provincialTasks.map((task: { taskId: string }) => task.taskId)).not.toContain(
      missingDeclarationTaskId(declared, pastYear),
    );
    expect(
      provincialTasks.filter(
        (task: { taskId: string }) => task.taskId === missingDeclarationTaskId(provincial, pastYear),
      ),
    ).toHaveLength(1);
    expect(nationalTasks.map((task: { taskId: string }) => task.taskId)).toContain(
      missingDeclarationTaskId(national, pastYear),
    );
  });

  it('opens each task exactly once when runs overlap', async () => {
    // Arrange
    const late = associationCode('44', 9_222_005);
    await registerAssociations(harness, [late]);
    const store = new DynamoSelfInspectionStore(harness.documentClient, harness.tableName);
    // A run that went through before would skip the year; these runs race on a fresh year marker.
    const deps = {
      associations: store,
      declarations: store,
      calendar: new DynamoCalendarStore(harness.documentClient, harness.tableName),
      due: '03-31',
      tasks: {
        openTask: store.openTask.bind(store),
        close: store.close.bind(store),
        yearDone: async () => false,
        markYearDone: store.markYearDone.bind(store),
      },
    };

    // Act
    const runs = await Promise.all([1, 2, 3].map(() => openMissingDeclarationTasks(deps, new Date())));

    // Assert
    const stored = await harness.documentClient.send(
      new GetCommand({
        TableName: harness.tableName,
        Key: taskKey(missingDeclarationTaskId(late, pastYear)),
      }),
    );
    expect(stored.Item?.status).toBe('OPEN');
    expect(runs.reduce((sum, run) => sum + run.opened, 0)).toBe(1);
  });

  it('closes the task once the association declares', async () => {
    // Arrange
    const token = await harness.token(claimsOf.association(provincial));
    const guangdong = await harness.token(claimsOf.regulator('MCA', '44'));

    // Act
    const declaredLate = await declare(token, declarationBody({ year: pastYear }));
    const completed = await harness.request('GET', '/api/tasks?kind=DECLARATION&status=COMPLETED&limit=100', {
      token: guangdong,
    });

    // Assert
    expect(declaredLate.status).toBe(200);
    expect(completed.body.items.map((task: { taskId: string }) => task.taskId)).toContain(
      missingDeclarationTaskId(provincial, pastYear),
    );
  });
});

describe('GET /api/public/associations/{creditCode}', () => {
  it("shows the register entry, the latest declaration's fees and closed outcomes, nothing of complainants", async () => {
    // Arrange: a complaint's case, dismissed and closed.
    const receipt = await fileComplaint(harness, scenario, {
      feeName: '会刊订阅费',
      category: 'PUBLICATION_SUBSCRIPTION',
      description: 'Private account of Mr Zhang Sanfeng, phone 13912345678',
    });
    const review = await openTaskOf(harness, scenario.admin, receipt.caseId, 'REVIEW');
    const regulator = await harness.token(claimsOf.regulator(review.agency, review.province));
    const decided = await completeTask(harness, regulator, review.taskId, {
      verdict: 'DISMISSED',
      ruleIds: [],
      reason: 'Optional subscription',
    });
    expect(decided.status).toBe(200);
    await waitForStage(harness, scenario.admin, receipt.caseId, 'CLOSED');

    // Act
    const page = await harness.request('GET', `/api/public/associations/${scenario.associationCode}`);

    // Assert
    expect(page.status).toBe(200);
    expect(page.body.association).toMatchObject({
      name: '北京市示范行业协会',
      creditCode: scenario.associationCode,
      level: 'PROVINCIAL',
      status: 'ACTIVE',
    });
    expect(page.body.fees.map((fee: { name: string }) => fee.name)).toEqual([
      lawfulDues.name,
      suspectAward.name,
    ]);
    expect(page.body.fees[0]).toMatchObject({ year, version: 2, basis: lawfulDues.basis });
    expect(page.body.outcomes).toContainEqual(
      expect.objectContaining({ fee: '会刊订阅费', outcome: 'DISMISSED', abolished: false }),
    );
    for (const secret of [scenario.enterpriseCode, 'Zhang Sanfeng', '13912345678', 'complaintCount'])
      expect(page.text).not.toContain(secret);
  });

  it('answers 404 alike for an unknown and a malformed credit code', async () => {
    // Act
    const unknown = await harness.request(
      'GET',
      `/api/public/associations/${associationCode('11', 9_333_333)}`,
    );
    const malformed = await harness.request('GET', '/api/public/associations/not-a-code');

    // Assert
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(malformed.body).toEqual(unknown.body);
  });
});
