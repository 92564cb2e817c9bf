/**
 * The working-day calendar in the table, through the real DynamoDB adapter against DynamoDB Local:
 * stored notices laid over the built-in ones, and how soon another container sees a new notice.
 */
import { describe, expect, it } from 'vitest';
import { calendarCacheMs, DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import type { StoredYearCalendar } from '#shared/ports/calendar';
import { useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();

/** A made-up notice for a year that is made up too, so tests sharing the table do not meet. */
const noticeFor = (year: number, holidays: string[]): StoredYearCalendar => ({
  year,
  holidays,
  workdays: [],
  savedAt: '2026-11-20T02:00:00.000Z',
  savedBy: 'admin-1',
});

describe('DynamoCalendarStore', () => {
  it('keeps the built-in years and adds a stored one', async () => {
    // Arrange
    const store = new DynamoCalendarStore(documentClient, tableName);
    await store.saveYear(noticeFor(2091, ['2091-01-01']));

    // Act
    const calendar = await store.calendar();

    // Assert
    expect(calendar.isWorkingDay('2091-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
  });

  it('lets a stored year replace the built-in one', async () => {
    // Arrange: a built-in calendar of one year, and a correction of it stored
    const builtIn = [{ year: 2092, holidays: ['2092-01-01', '2092-01-02'], workdays: [] }];
    const store = new DynamoCalendarStore(documentClient, tableName, builtIn);
    await store.saveYear(noticeFor(2092, ['2092-01-01']));

    // Act
    const calendar = await store.calendar();

    // Assert
    expect(calendar.isWorkingDay('2092-01-02')).toBe(true);
    expect(calendar.year(2092)?.holidays).toEqual(['2092-01-01']);
  });

  it('shows another container a new notice once its cached calendar has expired, not before', async () => {
    // Arrange: a container that loaded the calendar before the notice was stored
    let now = 1_000_000;
    const other = new DynamoCalendarStore(documentClient, tableName, [], () => now);
    await other.calendar();
    await new DynamoCalendarStore(documentClient, tableName).saveYear(noticeFor(2093, ['2093-01-05']));

    // Act
    const before = await other.calendar();
    now += calendarCacheMs;
    const after = await other.calendar();

    // Assert
    expect([before.isWorkingDay('2093-01-05'), after.isWorkingDay('2093-01-05')]).toEqual([true, false]);
  });

  it('shows the container that stored a notice the notice at once', async () => {
    // Arrange
    const store = new DynamoCalendarStore(documentClient, tableName, [], () => 0);
    await store.calendar();

    // Act
    await store.saveYear(noticeFor(2094, ['2094-01-05']));

    // Assert
    expect((await store.calendar()).isWorkingDay('2094-01-05')).toBe(false);
  });
});
