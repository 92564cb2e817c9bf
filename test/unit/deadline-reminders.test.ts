import { beforeEach, describe, expect, it } from 'vitest';
import { millisUntilChinaTime, publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
import { remindDeadlines } from '#shared/notifications/deadline-reminders';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryNotificationSources, InMemoryNotificationStore } from '#test/support/fakes/notifications';
import { aClassifiedCase, aTask, parties } from '#test/support/fakes/records';

const calendar = new WorkingDayCalendar(publishedYears);
const association = { party: 'association', creditCode: parties.associationCode } as const;
const office = { party: 'office', agency: 'MCA', province: '11' } as const;
/** Monday 7 December 2026, 07:30 China time. */
const monday = new Date('2026-12-06T23:30:00.000Z');
/** The end of a China-time working day, `count` working days after Monday. */
const dueIn = (count: number) => calendar.dueAt(monday, count);

let sources: InMemoryNotificationSources;
let store: InMemoryNotificationStore;
const remind = (now = monday) =>
  remindDeadlines({ sources, store, calendar: new InMemoryCalendarStore() }, now);

beforeEach(() => {
  sources = new InMemoryNotificationSources();
  store = new InMemoryNotificationStore();
  sources.cases.set('case-1', { ...aClassifiedCase(), reference: '2026-11-000001' });
});

describe('remindDeadlines', () => {
  it('reminds the association of an order due within 3 working days, with the case reference', async () => {
    // Arrange
    const order = aTask('RECTIFICATION', { dueAt: dueIn(3) });
    sources.tasks.set(order.taskId, order);

    // Act
    const run = await remind();

    // Assert
    expect(run.written).toBe(1);
    expect(store.to(association)).toEqual([
      expect.objectContaining({
        kind: 'ORDER_DUE_SOON',
        taskId: order.taskId,
        caseId: 'case-1',
        params: expect.objectContaining({ dueAt: order.dueAt, caseReference: '2026-11-000001' }),
      }),
    ]);
  });

  it('does not remind the association of an order due in 4 working days', async () => {
    // Arrange
    const order = aTask('RECTIFICATION', { dueAt: dueIn(4) });
    sources.tasks.set(order.taskId, order);

    // Act
    await remind();

    // Assert
    expect(store.notifications).toEqual([]);
  });

  it('reminds the office of a review due within 2 working days, not of one due in 3', async () => {
    // Arrange
    const soon = aTask('REVIEW', { taskId: 'case-1.review.1', dueAt: dueIn(2) });
    const later = aTask('VERIFICATION', { taskId: 'case-1.verification.1', dueAt: dueIn(3) });
    sources.tasks.set(soon.taskId, soon);
    sources.tasks.set(later.taskId, later);

    // Act
    await remind();

    // Assert
    expect(store.to(office).map((n) => [n.kind, n.taskId])).toEqual([['TASK_DUE_SOON', soon.taskId]]);
  });

  it('counts working days across a weekend', async () => {
    // Arrange: Thursday 10 December; Monday 14 December is the 2nd working day after it.
    const thursday = new Date('2026-12-09T23:30:00.000Z');
    const review = aTask('REVIEW', { dueAt: '2026-12-14T15:59:59.999Z' });
    sources.tasks.set(review.taskId, review);

    // Act
    await remind(thursday);

    // Assert
    expect(store.to(office)).toHaveLength(1);
  });

  it('reminds nobody of an information request, which waits on the complainant', async () => {
    // Arrange
    const question = aTask('INFO', { dueAt: dueIn(1) });
    sources.tasks.set(question.taskId, question);

    // Act
    await remind();

    // Assert
    expect(store.notifications).toEqual([]);
  });

  it('writes nothing new when run again the same day or the next', async () => {
    // Arrange
    const order = aTask('RECTIFICATION', { dueAt: dueIn(2) });
    sources.tasks.set(order.taskId, order);

    // Act
    const runs = [
      await remind(),
      await remind(new Date(monday.getTime() + 3_600_000)),
      await remind(new Date(monday.getTime() + 86_400_000)),
    ];

    // Assert
    expect(runs.map((run) => run.written)).toEqual([1, 0, 0]);
    expect(store.notifications).toHaveLength(1);
  });

  it('reminds again when an extension moved the due date', async () => {
    // Arrange
    const order = aTask('RECTIFICATION', { dueAt: dueIn(1) });
    sources.tasks.set(order.taskId, order);
    await remind();
    sources.tasks.set(order.taskId, { ...order, dueAt: dueIn(3) });

    // Act
    const run = await remind(new Date(monday.getTime() + 3_600_000));

    // Assert
    expect(run.written).toBe(1);
    expect(store.to(association)).toHaveLength(2);
  });
});

describe('millisUntilChinaTime', () => {
  it('waits until the time today, China time, when it is still ahead', () => {
    // 06:00 China time (22:00 UTC the day before): 07:30 is 90 minutes away.
    expect(millisUntilChinaTime('07:30', new Date('2026-12-06T22:00:00.000Z'))).toBe(90 * 60_000);
  });

  it('waits until tomorrow once the time has passed today', () => {
    // 07:30 China time exactly: the next run is a day away.
    expect(millisUntilChinaTime('07:30', new Date('2026-12-06T23:30:00.000Z'))).toBe(86_400_000);
  });
});
