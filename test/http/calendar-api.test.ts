/**
 * The calendar API over HTTP: anyone reads the notice a year's deadlines count by; a campaign admin
 * stores a new year's notice, or corrects one, and bad notices change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let admin = '';

beforeAll(async () => {
  harness = await startTestRuntime();
  admin = await harness.token({ role: 'campaign-admin' });
});
afterAll(() => harness.stop());

const notice2027 = {
  holidays: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'],
  workdays: ['2027-02-13'],
};

describe('GET /api/calendar/{year}', () => {
  it('gives anyone the built-in notice of 2026, Spring Festival and its make-up Saturdays included', async () => {
    // Arrange / Act
    const response = await harness.request('GET', '/api/calendar/2026');

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.year).toBe(2026);
    expect(response.body.holidays).toEqual(
      expect.arrayContaining(['2026-02-15', '2026-02-23', '2026-10-07']),
    );
    expect(response.body.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('answers 404 for a year without a notice', async () => {
    // Arrange / Act
    const response = await harness.request('GET', '/api/calendar/2032');

    // Assert
    expect(response.status).toBe(404);
  });

  it('answers 400 for a path that is not a year', async () => {
    // Arrange / Act
    const response = await harness.request('GET', '/api/calendar/next');

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ path: 'year' })]);
  });
});

describe('PUT /api/calendar/{year}', () => {
  it("stores a new year's notice, which everyone then reads", async () => {
    // Arrange / Act
    const stored = await harness.request('PUT', '/api/calendar/2027', { token: admin, body: notice2027 });
    const read = await harness.request('GET', '/api/calendar/2027');

    // Assert
    expect(stored.status).toBe(200);
    expect(read.body).toEqual({ year: 2027, ...notice2027 });
  });

  it('replaces the built-in notice of a year it corrects', async () => {
    // Arrange
    const corrected = { holidays: ['2025-01-01'], workdays: ['2025-01-26'] };

    // Act
    await harness.request('PUT', '/api/calendar/2025', { token: admin, body: corrected });
    const read = await harness.request('GET', '/api/calendar/2025');

    // Assert
    expect(read.body).toEqual({ year: 2025, ...corrected });
  });

  it('refuses dates outside the year, a date in both lists and a weekday worked, naming each, and stores nothing', async () => {
    // Arrange
    const bad = {
      holidays: ['2028-01-01', '2027-12-31', '2028-02-05'],
      workdays: ['2028-02-05', '2028-02-09'],
    };

    // Act
    const response = await harness.request('PUT', '/api/calendar/2028', { token: admin, body: bad });
    const read = await harness.request('GET', '/api/calendar/2028');

    // Assert
    expect(response.status).toBe(400);
    expect(
      response.body.error.details.map((issue: { path: string; code: string }) => [issue.path, issue.code]),
    ).toEqual([
      ['holidays.1', 'outside_year'],
      ['workdays.0', 'holiday_and_workday'],
      ['workdays.1', 'not_a_weekend'],
    ]);
    expect(read.status).toBe(404);
  });

  it('refuses a malformed date and a field the notice does not have', async () => {
    // Arrange
    const bad = { holidays: ['2029-02-30'], workdays: [], year: 2029 };

    // Act
    const response = await harness.request('PUT', '/api/calendar/2029', { token: admin, body: bad });

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'holidays.0',
      'year',
    ]);
  });
});
