/**
 * What an association sees of a case about one of its fees, over HTTP: where the case stands,
 * case-level aggregates and the order written for it. With its own billing records, a complainant's
 * amount, charge date or filing date would name the complainant, and so would the regulator's
 * internal reasoning; none of them reaches the association unless the complainant agreed to be named.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody } from '#infra/local/campaign-fixtures';
import { standardOrderText } from '#shared/domain/fee-case';
import type { components } from '#shared/http/api-types';
import {
  completeTask,
  newScenario,
  openTaskOf,
  type Scenario,
  type TaskSeen,
} from '#test/support/campaign-actors';
import { startTestRuntime, successOf, type TestRuntime } from '#test/support/runtime';

type Schemas = components['schemas'];

interface Filing {
  amountFen: number;
  chargedOn: string;
  disclose: boolean;
  description: string;
  creditCode: string;
  complaintId: string;
  filedAt: string;
}

let harness: TestRuntime;
let scenario: Scenario;

const canary = (what: string) => `${what} ${randomUUID()}`;
const question = canary('Was joining a condition of the licence? Ask Mr Wang of Huaxin Widgets,');
const reason = canary('Internal reasoning: the chair admitted it on the phone,');
const orderText = canary('Abolish the membership dues and refund every member within 30 days;');

/** The first case: a complainant who stays anonymous, then one who agreed to be named; no order text. */
const hidden = { amountFen: 123_457, chargedOn: '2025-11-17', disclose: false } as const;
const named = { amountFen: 98_761, chargedOn: '2026-01-09', disclose: true } as const;
let filings: Filing[] = [];
let caseId = '';
/** The second case: the regulator wrote the order's text. */
let wordedCaseId = '';
let wordedOrder: TaskSeen & { orderText?: string };

let regulatorView: Schemas['CaseDetail'];
let associationView: Schemas['AssociationCaseView'];
/** Everything the association can read about the first case: the case and both task lists. */
let associationViews: unknown[] = [];

const ok = (response: { status: number; text: string }) => {
  if (response.status !== 200) throw new Error(`${response.status} ${response.text}`);
};

const file = async (
  fee: { amountFen: number; chargedOn: string; disclose: boolean },
  enterprise: Scenario,
  feeName: string,
): Promise<Filing> => {
  const description = canary('What happened, in the complainant’s words:');
  const body = complaintBody({
    associationCode: scenario.associationCode,
    feeName,
    amountFen: fee.amountFen,
    discloseIdentityToAssociation: fee.disclose,
  });
  const api = harness.apiAs(enterprise.enterprise);
  const { complaintId } = await successOf(
    api.POST('/api/complaints', {
      // The fixture takes its overrides as plain strings; the body it builds is a complaint.
      body: {
        ...body,
        fee: { ...body.fee, chargedOn: fee.chargedOn },
        description,
      } as Schemas['ComplaintInput'],
    }),
  );
  const mine = await successOf(api.GET('/api/complaints/{id}', { params: { path: { id: complaintId } } }));
  return {
    ...fee,
    description,
    creditCode: enterprise.enterpriseCode,
    complaintId,
    filedAt: mine.complaint.filedAt,
  };
};

const decide = async (id: string, decision: Record<string, unknown>) => {
  const review = await openTaskOf(harness, scenario.regulator, id, 'REVIEW');
  ok(await completeTask(harness, scenario.regulator, review.taskId, decision));
};

/** The case as `token` sees it, which must be the `view` the test expects. */
const caseViewOf = async <View extends Schemas['CaseView']['view']>(
  token: string,
  id: string,
  view: View,
) => {
  const seen = await successOf(harness.apiAs(token).GET('/api/cases/{id}', { params: { path: { id } } }));
  if (seen.view !== view) throw new Error(`expected the ${view} view of case ${id}, got ${seen.view}`);
  return seen as Extract<Schemas['CaseView'], { view: View }>;
};

/** Every value in a response body, however deep. */
const leaves = (value: unknown): unknown[] =>
  value !== null && typeof value === 'object' ? Object.values(value).flatMap(leaves) : [value];
const strings = (views: unknown[]) => views.flatMap(leaves).filter((leaf) => typeof leaf === 'string');
const numbers = (views: unknown[]) => views.flatMap(leaves).filter((leaf) => typeof leaf === 'number');

beforeAll(async () => {
  harness = await startTestRuntime();
  scenario = await newScenario(harness);
  const other = await newScenario(harness);

  const first = await file(hidden, scenario, 'Annual membership dues');
  filings = [first, await file(named, other, 'Annual membership dues')];
  const complaintOf = (complaintId: string) =>
    successOf(
      harness
        .apiAs(scenario.enterprise)
        .GET('/api/complaints/{id}', { params: { path: { id: complaintId } } }),
    );
  caseId = (await complaintOf(first.complaintId)).case.caseId;
  await decide(caseId, { verdict: 'NEEDS_INFO', ruleIds: [], reason: question });
  const info = await openTaskOf(harness, scenario.enterprise, caseId, 'INFO');
  ok(await completeTask(harness, scenario.enterprise, info.taskId, { note: 'Yes, it was.' }));
  await decide(caseId, {
    verdict: 'UNLAWFUL',
    ruleIds: ['R01'],
    reason,
    actions: ['ABOLISH', 'REFUND'],
  });
  await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');

  const worded = await file(hidden, scenario, 'Council seat fee');
  wordedCaseId = (await complaintOf(worded.complaintId)).case.caseId;
  await decide(wordedCaseId, {
    verdict: 'UNLAWFUL',
    ruleIds: ['R01'],
    reason: canary('Internal reasoning:'),
    orderText,
    actions: ['ABOLISH', 'REFUND'],
  });
  wordedOrder = await openTaskOf(harness, scenario.association, wordedCaseId, 'RECTIFICATION');

  regulatorView = await caseViewOf(scenario.regulator, caseId, 'full');
  associationView = await caseViewOf(scenario.association, caseId, 'association');
  const orders = await Promise.all(
    (['OPEN', 'COMPLETED'] as const).map((status) =>
      successOf(
        harness.apiAs(scenario.association).GET('/api/tasks', { params: { query: { status, limit: 100 } } }),
      ),
    ),
  );
  associationViews = [associationView, ...orders];
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe("the association's view of a case about its fee", () => {
  it('still shows the regulator every complaint with its amount and filing date (positive control)', () => {
    // Arrange
    const [first, second] = filings;

    // Act
    const rows = regulatorView.complaints;

    // Assert
    expect(rows).toEqual([
      expect.objectContaining({
        complaintId: first?.complaintId,
        amountFen: hidden.amountFen,
        filedAt: first?.filedAt,
      }),
      expect.objectContaining({
        complaintId: second?.complaintId,
        amountFen: named.amountFen,
        filedAt: second?.filedAt,
      }),
    ]);
    expect(regulatorView.classification.final?.reason).toBe(reason);
  });

  it('gives the association case-level aggregates: how many complained and the total claimed', () => {
    // Arrange
    const total = hidden.amountFen + named.amountFen;

    // Act
    const { complaintCount, enterpriseCount, claimedFen } = associationView.case;

    // Assert
    expect({ complaintCount, enterpriseCount, claimedFen }).toEqual({
      complaintCount: 2,
      enterpriseCount: 2,
      claimedFen: total,
    });
  });

  it('shows the association no amount a complainant paid, not even in the fee or the refund basis', () => {
    // Arrange
    const amounts = [hidden.amountFen, named.amountFen];

    // Act
    const shown = numbers(associationViews).filter((value) =>
      (amounts as readonly unknown[]).includes(value),
    );

    // Assert
    expect(associationView.case.fee).toEqual({
      name: 'Annual membership dues',
      category: 'MEMBERSHIP_DUES',
      period: 'ANNUAL',
    });
    expect(shown).toEqual([]);
  });

  it('shows the association no charge date of any complaint', () => {
    // Arrange
    const chargeDates = [hidden.chargedOn, named.chargedOn];

    // Act
    const shown = strings(associationViews).filter((text) =>
      chargeDates.some((day) => (text as string).includes(day)),
    );

    // Assert
    expect(shown).toEqual([]);
  });

  it('shows the association no filing date of a complainant who did not agree, in the case or its audit trail', () => {
    // Arrange
    const filedAt = filings[0]?.filedAt as string;

    // Act
    const shown = strings(associationViews).filter((text) => (text as string).includes(filedAt));

    // Assert
    expect(filedAt).toBe(regulatorView.case.openedAt);
    expect(shown).toEqual([]);
    expect(associationView.case).not.toHaveProperty('openedAt');
  });

  it("keeps the regulator's internal reason and its question to the complainant from the association", () => {
    // Arrange
    const text = JSON.stringify(associationViews);

    // Act
    const final = associationView.classification.final;

    // Assert
    expect(final).toEqual({ verdict: 'UNLAWFUL', ruleIds: ['R01'], actions: ['ABOLISH', 'REFUND'] });
    expect(text).not.toContain(reason);
    expect(text).not.toContain(question);
  });

  it('lists only the complaint of the complainant who agreed to be named, without its amount', () => {
    // Arrange
    const second = filings[1] as Filing;

    // Act
    const rows = associationView.complaints;

    // Assert
    expect(rows).toEqual([
      {
        complaintId: second.complaintId,
        filedAt: second.filedAt,
        enterpriseCreditCode: second.creditCode,
        description: second.description,
      },
    ]);
    expect(JSON.stringify(associationViews)).not.toContain(filings[0]?.description);
  });

  it('shows the association only audit events about the order, its report and the verification', () => {
    // Arrange
    const trail = associationView.audit;

    // Act
    const types = trail.map((event) => event.type);

    // Assert
    expect(types).toEqual(['ORDER_ISSUED', 'TASK_OPENED']);
    expect(trail.filter((event) => 'data' in event)).toEqual([]);
  });

  it('sends the association a standard order text built from the decision when the regulator wrote none', () => {
    // Arrange
    const standard = standardOrderText('UNLAWFUL', ['ABOLISH', 'REFUND']);

    // Act
    const [order] = associationView.tasks;

    // Assert
    expect(associationView.case.order?.orderText).toBe(standard);
    expect(order?.orderText).toBe(standard);
  });

  it('sends the association the order text the regulator wrote for it, on its task and its case', async () => {
    // Arrange
    const api = harness.apiAs(scenario.association);

    // Act
    const { data: worded } = await api.GET('/api/cases/{id}', { params: { path: { id: wordedCaseId } } });

    // Assert
    expect(wordedOrder.orderText).toBe(orderText);
    expect(worded?.case.order?.orderText).toBe(orderText);
    expect(JSON.stringify(worded)).not.toContain('Internal reasoning');
  });
});

describe('the OpenAPI document of GET /api/cases/{id}', () => {
  it("describes the association's view apart from the full one, without amounts, dates or reason", async () => {
    // Arrange
    const path = '/api/openapi.json';

    // Act
    const { body } = await harness.request('GET', path);

    // Assert
    const { schemas } = body.components;
    const success = body.paths['/api/cases/{id}'].get.responses['200'].content['application/json'].schema;
    expect(success).toEqual({ $ref: '#/components/schemas/CaseView' });
    expect(schemas.CaseView.oneOf).toEqual([
      { $ref: '#/components/schemas/CaseDetail' },
      { $ref: '#/components/schemas/AssociationCaseView' },
    ]);
    const association = schemas.AssociationCaseView.properties;
    expect(Object.keys(association.case.properties.fee.properties).sort()).toEqual([
      'category',
      'name',
      'period',
    ]);
    expect(association.case.properties).not.toHaveProperty('openedAt');
    expect(association.classification.properties.final.properties).not.toHaveProperty('reason');
    expect(association.complaints.items.properties).not.toHaveProperty('amountFen');
    expect(association.case.properties.order.properties).toHaveProperty('orderText');
  });
});
