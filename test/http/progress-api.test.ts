/**
 * References and progress end to end over the local runtime: the receipt's reference and handling
 * office, the complaint's progress steps, the enterprise's list filtered by reference, the case's and
 * its tasks' references, and the public progress lookup by reference and credit code (the same 404
 * for every failure, nothing personal, a per-address rate limit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let harness: TestRuntime;
let scenario: Scenario;
let filed: Awaited<ReturnType<typeof fileComplaint>>;
const contact = { name: 'Canary Zhao', phone: '13711112222', email: 'canary.zhao@example.com' };

const lookup = (reference: string, creditCode: string, headers: Record<string, string> = {}) =>
  harness.request('GET', `/api/public/progress?${new URLSearchParams({ reference, creditCode })}`, {
    headers,
  });

beforeAll(async () => {
  harness = await startTestRuntime();
  scenario = await newScenario(harness);
  filed = await fileComplaint(harness, scenario, { contact });
  await openTaskOf(harness, scenario.regulator, filed.caseId, 'REVIEW');
}, 60_000);
afterAll(() => harness?.stop());

describe('GET /api/complaints/{id} progress', () => {
  it('shows the complaint submitted and in review until its task is due, handled by the office named in Chinese', async () => {
    // Arrange
    const path = `/api/complaints/${filed.complaintId}`;

    // Act
    const response = await harness.request('GET', path, { token: scenario.enterprise });

    // Assert
    expect(response.body.complaint.reference).toBe(filed.reference);
    expect(response.body.progress.handlingOffice).toEqual({
      agency: 'MCA',
      province: '11',
      name: '北京市民政局',
    });
    expect(response.body.progress.steps.slice(0, 2)).toEqual([
      { step: 'SUBMITTED', status: 'DONE', at: expect.any(String) },
      { step: 'REVIEW', status: 'CURRENT', at: expect.any(String), dueAt: expect.any(String) },
    ]);
  });

  it('names the handling office in English for a caller who prefers English', async () => {
    // Arrange
    const headers = { 'accept-language': 'en-GB,en;q=0.9' };

    // Act
    const response = await harness.request('GET', `/api/complaints/${filed.complaintId}`, {
      token: scenario.enterprise,
      headers,
    });

    // Assert
    expect(response.body.progress.handlingOffice.name).toBe('Beijing Municipal Civil Affairs Bureau');
  });
});

describe('references in lists and views', () => {
  it("lists the enterprise's complaint by its reference, alone", async () => {
    // Arrange
    const path = `/api/complaints?reference=${filed.reference}`;

    // Act
    const response = await harness.request('GET', path, { token: scenario.enterprise });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [expect.objectContaining({ complaintId: filed.complaintId, reference: filed.reference })],
      cursor: null,
    });
  });

  it('gives the case a reference of its own, copied onto its tasks', async () => {
    // Arrange + Act
    const detail = await caseOf(harness, scenario.regulator, filed.caseId);
    const review = await openTaskOf(harness, scenario.regulator, filed.caseId, 'REVIEW');

    // Assert
    expect(detail.case.reference).toMatch(/^\d{4}-11-\d{6}$/);
    expect(detail.case.reference).not.toBe(filed.reference);
    expect(detail.complaints[0].reference).toBe(filed.reference);
    expect(review).toMatchObject({ caseReference: detail.case.reference });
  });

  it('rejects a malformed reference filter with 400', async () => {
    // Act
    const response = await harness.request('GET', '/api/complaints?reference=abc', {
      token: scenario.enterprise,
    });

    // Assert
    expect(response.status).toBe(400);
  });
});

describe('GET /api/public/progress', () => {
  it('answers the steps and the handling office for the reference and the credit code, without signing in', async () => {
    // Act
    const response = await lookup(filed.reference, scenario.enterpriseCode);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ reference: filed.reference, stage: 'REVIEW' });
    expect(response.body.steps.map((step: { step: string }) => step.step)).toEqual([
      'SUBMITTED',
      'REVIEW',
      'RECTIFICATION',
      'VERIFICATION',
      'CLOSED',
    ]);
  });

  it('tells nothing personal: no contact, credit code, ids, fee or description', async () => {
    // Act
    const response = await lookup(filed.reference, scenario.enterpriseCode);

    // Assert
    for (const secret of [
      contact.name,
      contact.phone,
      contact.email,
      scenario.enterpriseCode,
      scenario.associationCode,
      filed.complaintId,
      filed.caseId,
    ])
      expect(response.text).not.toContain(secret);
  });

  it('answers a wrong credit code and an unknown reference with the same 404', async () => {
    // Arrange
    const otherCode = (await newScenario(harness)).enterpriseCode;

    // Act
    const wrongCode = await lookup(filed.reference, otherCode);
    const unknown = await lookup('2026-11-999999', scenario.enterpriseCode);

    // Assert
    expect([wrongCode.status, unknown.status]).toEqual([404, 404]);
    expect(wrongCode.text).toBe(unknown.text);
  });

  it('shows a closed case done at every step it went through', async () => {
    // Arrange
    const other = await newScenario(harness);
    const closing = await fileComplaint(harness, other);
    const review = await openTaskOf(harness, other.regulator, closing.caseId, 'REVIEW');
    await completeTask(harness, other.regulator, review.taskId, decisions.abolish);
    const order = await openTaskOf(harness, other.association, closing.caseId, 'RECTIFICATION');
    await completeTask(harness, other.association, order.taskId, decisions.refunded(10_000));
    const check = await openTaskOf(harness, other.regulator, closing.caseId, 'VERIFICATION');
    await completeTask(harness, other.regulator, check.taskId, decisions.accept);
    await waitForStage(harness, other.regulator, closing.caseId, 'CLOSED');

    // Act
    const response = await lookup(closing.reference, other.enterpriseCode);

    // Assert
    expect(response.body.stage).toBe('CLOSED');
    expect(
      response.body.steps.map(({ step, status }: { step: string; status: string }) => `${step}:${status}`),
    ).toEqual(['SUBMITTED:DONE', 'REVIEW:DONE', 'RECTIFICATION:DONE', 'VERIFICATION:DONE', 'CLOSED:DONE']);
  });

  it('refuses an address that asks more than 20 times a minute with 429 and Retry-After', async () => {
    // Arrange
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof lookup>> | undefined;

    // Act
    for (let i = 0; i < 25 && !refused; i++) {
      const response = await lookup('2026-11-999998', scenario.enterpriseCode);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }

    // Assert
    expect(statuses.slice(0, -1).every((status) => status === 404)).toBe(true);
    expect(refused?.body).toEqual({ error: { code: 'THROTTLED', message: expect.any(String) } });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
