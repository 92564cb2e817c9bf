import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '#shared/domain/csv';
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import { caseContribution, counterDelta, taskContribution } from '#shared/metrics/counters';
import { figuresOf } from '#shared/metrics/figures';
import { scopeFor } from '#shared/metrics/read-metrics';
import { aFeeCase } from '#test/support/fakes/records';

const openCase: FeeCase = aFeeCase({
  association: { name: 'Assoc', creditCode: '51110000MJ0000003F', province: '11' },
  complaintCount: 2,
  enterpriseCount: 2,
  claimedFen: 900_000,
  openedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

const closedCase = (
  outcome: FeeCase['outcome'],
  verdict: 'UNLAWFUL' | 'REGULATED' | 'DISMISSED',
): FeeCase => ({
  ...openCase,
  stage: 'CLOSED',
  agency: 'MCA',
  outcome,
  verdict,
  refundedFen: outcome === 'ABOLISHED' ? 900_000 : 0,
  reducedAnnualFen: outcome === 'ABOLISHED' ? 900_000 : 0,
  enterprisesHelped: outcome === 'ABOLISHED' ? 2 : 0,
  decidedAt: '2026-11-04T00:00:00.000Z',
  closedAt: '2026-11-21T00:00:00.000Z',
});

describe('caseContribution', () => {
  it('counts a new case once, with its complaints, in the campaign, province and category scopes', () => {
    const contribution = caseContribution(openCase);

    expect(Object.keys(contribution).sort()).toEqual(['ALL', 'CATEGORY#MEMBERSHIP_DUES', 'PROVINCE#11']);
    expect(contribution.ALL).toMatchObject({ casesOpened: 1, complaintsReceived: 2, 'stage.RECEIVED': 1 });
  });

  it('adds agency scopes once the case is routed to an agency', () => {
    const contribution = caseContribution({ ...openCase, agency: 'MCA' });

    expect(Object.keys(contribution)).toEqual(
      expect.arrayContaining(['AGENCY#MCA', 'AGENCY_PROVINCE#MCA#11']),
    );
  });

  it('counts the feedback tally of a case: refunds confirmed and disputed, satisfaction per level', () => {
    const feedback = { refundsConfirmed: 2, refundsDisputed: 1, satisfaction: [1, 0, 0, 1, 1] as const };
    const contribution = caseContribution({
      ...closedCase('ABOLISHED', 'UNLAWFUL'),
      feedback: { ...feedback, satisfaction: [...feedback.satisfaction] },
    });

    expect(figuresOf(contribution.ALL ?? {})).toMatchObject({
      refundsConfirmed: 2,
      refundsDisputed: 1,
      satisfaction: { 1: 1, 2: 0, 3: 0, 4: 1, 5: 1 },
      reopenedCases: 0,
    });
  });

  it('counts a reopened case once, and its closing once however often it closes', () => {
    const closed = closedCase('ABOLISHED', 'UNLAWFUL');
    const reopening = {
      times: 1,
      taskId: 'case-1.verification.2',
      execution: 1,
      at: '2026-11-25T00:00:00.000Z',
    };
    const { outcome: _outcome, closedAt: _closedAt, ...open } = closed;
    const reopened: FeeCase = { ...open, stage: 'VERIFYING', reopened: reopening };
    const closedAgain: FeeCase = { ...closed, reopened: reopening, closedAt: '2026-12-01T00:00:00.000Z' };

    const total = [
      counterDelta({}, caseContribution(openCase)),
      counterDelta(caseContribution(openCase), caseContribution(closed)),
      counterDelta(caseContribution(closed), caseContribution(reopened)),
      counterDelta(caseContribution(reopened), caseContribution(closedAgain)),
    ].reduce<Record<string, number>>((sum, delta) => {
      for (const [name, value] of Object.entries(delta.ALL ?? {})) sum[name] = (sum[name] ?? 0) + value;
      return sum;
    }, {});

    expect(figuresOf(total)).toMatchObject({
      casesOpened: 1,
      casesByStage: { CLOSED: 1 },
      outcomes: { ABOLISHED: 1 },
      refundedFen: 900_000,
      enterprisesHelped: 2,
      reopenedCases: 1,
      daysToClosure: { count: 1 },
    });
  });

  it('never counts a closed case as abolished unless its outcome is ABOLISHED', () => {
    const dismissed = caseContribution(closedCase('DISMISSED', 'DISMISSED')).ALL;
    const abolished = caseContribution(closedCase('ABOLISHED', 'UNLAWFUL')).ALL;

    expect(dismissed?.feesAbolished).toBeUndefined();
    expect(dismissed?.['outcome.DISMISSED']).toBe(1);
    expect(abolished).toMatchObject({
      feesAbolished: 1,
      refundedFen: 900_000,
      annualFenRemoved: 900_000,
      enterprisesHelped: 2,
    });
  });

  it('puts time to decision and to closure into day buckets', () => {
    const all = caseContribution(closedCase('ABOLISHED', 'UNLAWFUL')).ALL;

    expect(all).toMatchObject({
      'decision.count': 1,
      'decision.le.3': 1,
      'closure.count': 1,
      'closure.le.30': 1,
    });
  });

  it('breaks the campaign scope down by category and province for the dashboard', () => {
    const all = caseContribution(closedCase('ABOLISHED', 'UNLAWFUL')).ALL;

    expect(all).toMatchObject({
      'byCategory.MEMBERSHIP_DUES.outcome.ABOLISHED': 1,
      'byProvince.11.verdict.UNLAWFUL': 1,
      'byProvince.11.refundedFen': 900_000,
    });
  });
});

describe('taskContribution', () => {
  const task: FeeTask = {
    taskId: 't',
    caseId: 'case-1',
    kind: 'REVIEW',
    status: 'OPEN',
    agency: 'MCA',
    province: '00',
    dueAt: '2026-11-20T00:00:00.000Z',
    createdAt: '2026-11-01T00:00:00.000Z',
    escalated: true,
    overdue: true,
    version: 1,
  };

  it('counts an open escalated task as open, overdue and escalated where it waits', () => {
    const contribution = taskContribution(task);

    expect(contribution['AGENCY_PROVINCE#MCA#00']).toMatchObject({
      openTasks: 1,
      overdueTasks: 1,
      escalatedTasks: 1,
    });
  });

  it('counts a completed task nowhere', () => {
    expect(taskContribution({ ...task, status: 'COMPLETED' })).toEqual({});
  });
});

describe('counterDelta', () => {
  it('moves a case from one stage to the next and nothing else', () => {
    const before = caseContribution(openCase);
    const after = caseContribution({ ...openCase, stage: 'CLASSIFIED' });

    const delta = counterDelta(before, after);

    expect(delta.ALL).toEqual({ 'stage.RECEIVED': -1, 'stage.CLASSIFIED': 1 });
  });

  it('is empty when nothing counted changed', () => {
    expect(
      counterDelta(caseContribution(openCase), caseContribution({ ...openCase, updatedAt: 'later' })),
    ).toEqual({});
  });

  it('sums over a history to the contribution of the final state', () => {
    const history = [
      openCase,
      { ...openCase, stage: 'CLASSIFIED' as const, agency: 'MCA' as const },
      closedCase('ABOLISHED', 'UNLAWFUL'),
    ];
    const total: Record<string, Record<string, number>> = {};

    for (let i = 0; i < history.length; i++) {
      const delta = counterDelta(
        i === 0 ? {} : caseContribution(history[i - 1] as FeeCase),
        caseContribution(history[i] as FeeCase),
      );
      for (const [scope, counters] of Object.entries(delta)) {
        for (const [name, value] of Object.entries(counters)) {
          total[scope] ??= {};
          (total[scope] as Record<string, number>)[name] =
            ((total[scope] as Record<string, number>)[name] ?? 0) + value;
        }
      }
    }
    const expected = caseContribution(closedCase('ABOLISHED', 'UNLAWFUL'));
    for (const scope of Object.keys(total)) {
      for (const name of Object.keys(total[scope] ?? {}))
        if (total[scope]?.[name] === 0) delete total[scope]?.[name];
      if (Object.keys(total[scope] ?? {}).length === 0) delete total[scope];
    }

    expect(total).toEqual(expected);
  });
});

describe('figuresOf', () => {
  it('reads mean, median and 90th percentile from the histogram', () => {
    const figures = figuresOf({
      'decision.count': 10,
      'decision.sumSeconds': 10 * 5 * 86_400,
      'decision.le.1': 2,
      'decision.le.3': 3,
      'decision.le.7': 4,
      'decision.le.30': 1,
    });

    expect(figures.daysToDecision).toMatchObject({ count: 10, meanDays: 5, medianDays: 3, p90Days: 7 });
  });

  it('reports no median when nothing was decided', () => {
    expect(figuresOf({}).daysToDecision).toMatchObject({ count: 0, meanDays: null, medianDays: null });
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 7])).toBe('"a,b","say ""hi""","two\nlines",7\r\n');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });

  it.each([
    ['a leading blank before =', ' =1+2', "' =1+2"],
    ['leading spaces before +', '  +SUM(A1)', "'  +SUM(A1)"],
    ['an ideographic space before -', '\u3000-2+3', "'\u3000-2+3"],
    ['a leading @', '@cmd', "'@cmd"],
    ['a full-width equals sign', '＝1+1', "'＝1+1"],
    ['a full-width plus sign', '＋1', "'＋1"],
    ['a full-width minus sign', '－1', "'－1"],
    ['a full-width at sign', '＠x', "'＠x"],
    ['a leading tab', '\tx', "'\tx"],
  ])('defuses a formula behind %s', (_why, text, defused) => {
    expect(csvField(text)).toBe(defused);
  });

  it('leaves a formula sign inside the text alone', () => {
    expect(csvField('会费 = 100')).toBe('会费 = 100');
  });

  it('quotes a field holding a semicolon, which some spreadsheets read as a separator', () => {
    expect(csvField('a;b')).toBe('"a;b"');
  });

  it('writes negative numbers as numbers', () => {
    expect(csvField(-5)).toBe('-5');
  });

  it('never lets a cell a spreadsheet would read start a formula', () => {
    const unit = fc.constantFrom(
      ' ',
      '\t',
      '\r',
      '\u3000',
      '=',
      '+',
      '-',
      '@',
      '＝',
      '＋',
      '－',
      '＠',
      'a',
      '1',
      ';',
      ',',
      '"',
    );
    fc.assert(
      fc.property(fc.string({ unit }), (text) => {
        // Act: the cell as a spreadsheet sees it, quotes undone
        const field = csvField(text);
        const cell = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;

        // Assert
        expect(cell).not.toMatch(/^[\t\r]|^[\s\u3000]*[=+\-@＝＋－＠]/u);
      }),
    );
  });
});

describe('scopeFor', () => {
  const regulator = { role: 'regulator', subject: 's', agency: 'MCA', province: '11' } as const;
  const admin = { role: 'campaign-admin', subject: 'a' } as const;

  it('gives a provincial regulator its agency in its province by default', () => {
    expect(scopeFor(regulator, {})).toBe('AGENCY_PROVINCE#MCA#11');
  });

  it('gives a national regulator its whole agency', () => {
    expect(scopeFor({ ...regulator, province: '00' }, {})).toBe('AGENCY#MCA');
  });

  it('refuses a regulator another province', () => {
    expect(() => scopeFor(regulator, { province: '31' })).toThrow(/own province/);
  });

  it('lets an admin choose any single filter', () => {
    expect([
      scopeFor(admin, {}),
      scopeFor(admin, { category: 'RATING_AWARD' }),
      scopeFor(admin, { province: '44' }),
    ]).toEqual(['ALL', 'CATEGORY#RATING_AWARD', 'PROVINCE#44']);
  });

  it('rejects unknown filters', () => {
    expect(() => scopeFor(admin, { enterprise: 'x' })).toThrow(/enterprise/);
  });
});
