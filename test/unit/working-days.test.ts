import { describe, expect, it } from 'vitest';
import { chinaDate, publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';

const calendar = new WorkingDayCalendar(publishedYears);
/** Noon China time on a date: well inside the day whatever the offset. */
const noonInChina = (date: string) => new Date(`${date}T12:00:00+08:00`);

describe('publishedYears', () => {
  it.each([
    ['2026-02-15', 'Spring Festival 2026 starts'],
    ['2026-02-16', 'Spring Festival 2026, a Monday'],
    ['2026-02-23', 'Spring Festival 2026 ends, a Monday'],
    ['2026-10-01', 'National Day 2026'],
    ['2026-10-07', 'National Day 2026 ends, a Wednesday'],
    ['2025-10-08', 'National Day and Mid-Autumn 2025 end, a Wednesday'],
    ['2025-01-28', 'Spring Festival 2025 eve'],
    ['2024-02-16', 'Spring Festival 2024, a Friday'],
    ['2026-01-02', "New Year's holiday 2026, a Friday"],
  ])('keeps %s off (%s)', (date) => {
    // Arrange / Act
    const working = calendar.isWorkingDay(date);

    // Assert
    expect(working).toBe(false);
  });

  it.each([
    ['2026-02-14', 'a Saturday worked before Spring Festival 2026'],
    ['2026-02-28', 'a Saturday worked after Spring Festival 2026'],
    ['2026-09-20', 'a Sunday worked before National Day 2026'],
    ['2026-10-10', 'a Saturday worked after National Day 2026'],
    ['2025-09-28', 'a Sunday worked before National Day 2025'],
    ['2025-10-11', 'a Saturday worked after National Day 2025'],
    ['2026-01-04', "a Sunday worked after New Year's Day 2026"],
  ])('works %s (%s)', (date) => {
    // Arrange / Act
    const working = calendar.isWorkingDay(date);

    // Assert
    expect(working).toBe(true);
  });

  it('takes every make-up working day from a weekend, and no day is both off and worked', () => {
    // Arrange
    const workdays = publishedYears.flatMap((year) => year.workdays);
    const holidays = new Set(publishedYears.flatMap((year) => year.holidays));

    // Act
    const weekdays = workdays.map((date) => new Date(`${date}T00:00:00Z`).getUTCDay());

    // Assert
    expect(weekdays.every((day) => day === 0 || day === 6)).toBe(true);
    expect(workdays.filter((date) => holidays.has(date))).toEqual([]);
  });

  it('keeps each year to its own dates', () => {
    // Arrange / Act
    const strays = publishedYears.flatMap((year) =>
      [...year.holidays, ...year.workdays].filter((date) => !date.startsWith(`${year.year}-`)),
    );

    // Assert
    expect(strays).toEqual([]);
  });
});

describe('WorkingDayCalendar.isWorkingDay', () => {
  it('counts weekdays and not weekends in a year without a notice', () => {
    // Arrange
    const unknownYear = new WorkingDayCalendar([]);

    // Act
    const days = ['2030-01-07', '2030-01-12', '2030-01-13'].map((date) => unknownYear.isWorkingDay(date));

    // Assert
    expect(days).toEqual([true, false, false]);
  });
});

describe('WorkingDayCalendar.addWorkingDays', () => {
  it('does not count the day the period starts', () => {
    // Arrange: Monday 2026-03-02
    const from = noonInChina('2026-03-02');

    // Act
    const due = calendar.addWorkingDays(from, 1);

    // Assert
    expect(due).toBe('2026-03-03');
  });

  it('skips the Spring Festival week and counts the Saturday worked after it', () => {
    // Arrange: Friday 2026-02-13; Sat 14 worked, 15-23 off, then Tue 24 onwards
    const from = noonInChina('2026-02-13');

    // Act
    const days = [1, 2, 3, 4, 5, 6, 7].map((count) => calendar.addWorkingDays(from, count));

    // Assert
    expect(days).toEqual([
      '2026-02-14',
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-02',
    ]);
  });

  it('skips the 2026 National Day week and counts the Sunday before and the Saturday after it', () => {
    // Arrange: Friday 2026-09-18; Sun 20 worked, 25-27 Mid-Autumn, Oct 1-7 off, Sat Oct 10 worked
    const from = noonInChina('2026-09-18');

    // Act
    const tenth = calendar.addWorkingDays(from, 10);

    // Assert: Sep 20, 21, 22, 23, 24, 28, 29, 30, Oct 8, 9
    expect(tenth).toBe('2026-10-09');
    expect(calendar.addWorkingDays(from, 11)).toBe('2026-10-10');
  });

  it('skips all eight days of the 2025 National Day holiday', () => {
    // Arrange: Tuesday 2025-09-30
    const from = noonInChina('2025-09-30');

    // Act
    const next = calendar.addWorkingDays(from, 1);

    // Assert
    expect(next).toBe('2025-10-09');
  });

  it('starts from the China-time day of the instant, not the UTC day', () => {
    // Arrange: 2026-03-02 20:00 UTC is already Tuesday 2026-03-03 in China
    const from = new Date('2026-03-02T20:00:00Z');

    // Act
    const due = calendar.addWorkingDays(from, 1);

    // Assert
    expect(due).toBe('2026-03-04');
  });
});

describe('WorkingDayCalendar.dueAt', () => {
  it('ends at the last millisecond of the last working day, China time', () => {
    // Arrange: 15 working days from Monday 2026-03-02
    const from = noonInChina('2026-03-02');

    // Act
    const dueAt = calendar.dueAt(from, 15);

    // Assert: 2026-03-23 23:59:59.999 in China
    expect(dueAt).toBe('2026-03-23T15:59:59.999Z');
    expect(chinaDate(new Date(dueAt))).toBe('2026-03-23');
  });
});

describe('WorkingDayCalendar.workingDaysLeft', () => {
  const dueAt = calendar.dueAt(noonInChina('2026-02-13'), 3); // Wednesday 2026-02-25

  it('counts the working days after today up to the due day', () => {
    // Arrange / Act
    const left = calendar.workingDaysLeft(noonInChina('2026-02-13'), dueAt);

    // Assert
    expect(left).toBe(3);
  });

  it('is 0 on the due day', () => {
    // Arrange / Act
    const left = calendar.workingDaysLeft(new Date('2026-02-25T15:59:00Z'), dueAt);

    // Assert
    expect(left).toBe(0);
  });

  it('is negative by the working days overdue once the due day has passed', () => {
    // Arrange / Act
    const left = calendar.workingDaysLeft(noonInChina('2026-02-27'), dueAt);

    // Assert
    expect(left).toBe(-2);
  });

  it('counts a deadline passed over a weekend as overdue, not due today', () => {
    // Arrange: due Friday 2026-03-06, read on Saturday
    const fridayDue = calendar.dueAt(noonInChina('2026-03-05'), 1);

    // Act
    const left = calendar.workingDaysLeft(noonInChina('2026-03-07'), fridayDue);

    // Assert
    expect(left).toBe(-1);
  });
});

describe('WorkingDayCalendar with a stored notice', () => {
  it('lets a later notice of the same year replace the earlier one', () => {
    // Arrange: a corrected 2026 notice that no longer works 2026-02-28
    const builtIn = publishedYears.find((year) => year.year === 2026);
    const corrected = { year: 2026, holidays: builtIn?.holidays ?? [], workdays: ['2026-02-14'] };

    // Act
    const merged = new WorkingDayCalendar([...publishedYears, corrected]);

    // Assert
    expect(merged.isWorkingDay('2026-02-28')).toBe(false);
    expect(merged.year(2026)).toBe(corrected);
  });
});
