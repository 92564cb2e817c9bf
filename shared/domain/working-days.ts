/**
 * Campaign deadlines count working days, as Chinese administrative time limits do: weekends and public
 * holidays do not count, make-up working days (调休) do, and the day a period starts is not counted (it
 * runs from the next day). A deadline is the end of its last working day, China time.
 */

/** One year's public holidays and make-up working days, as the State Council's notice sets them. */
export interface YearCalendar {
  year: number;
  /** Days off that would otherwise be working days (YYYY-MM-DD). */
  holidays: readonly string[];
  /** Weekend days worked instead (YYYY-MM-DD). */
  workdays: readonly string[];
}

/** China Standard Time has no daylight saving: always UTC+8. */
const chinaOffsetMs = 8 * 3_600_000;
const dayMs = 86_400_000;

/** The China-time calendar day of an instant, as YYYY-MM-DD. */
export const chinaDate = (instant: Date): string =>
  new Date(instant.getTime() + chinaOffsetMs).toISOString().slice(0, 10);

/** The milliseconds from `now` to the next `HH:MM` China time (a daily schedule's next run). */
export const millisUntilChinaTime = (time: string, now: Date): number => {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const chinaMidnight = Date.parse(`${chinaDate(now)}T00:00:00.000Z`) - chinaOffsetMs;
  let next = chinaMidnight + (hours * 60 + minutes) * 60_000;
  if (next <= now.getTime()) next += dayMs;
  return next - now.getTime();
};

/**
 * Days are counted as whole days since 1970-01-01 (a Thursday), so that walking a period is integer
 * arithmetic: every filing counts its decision date, and formatting a date per step cost more than the
 * rest of the filing's own work.
 */
const dayNumberOf = (date: string): number => Date.parse(`${date}T00:00:00.000Z`) / dayMs;
const chinaDayNumberOf = (instant: Date): number => Math.floor((instant.getTime() + chinaOffsetMs) / dayMs);
const dateOfDayNumber = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);
/** The last millisecond of a China-time day, as an ISO instant. */
const endOfChinaDay = (day: number): string => new Date((day + 1) * dayMs - chinaOffsetMs - 1).toISOString();
const isWeekendDay = (day: number): boolean => {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
};

/** Saturday or Sunday, for a YYYY-MM-DD date. */
export const isWeekend = (date: string): boolean => isWeekendDay(dayNumberOf(date));

export class WorkingDayCalendar {
  private readonly holidays = new Set<number>();
  private readonly workdays = new Set<number>();
  private readonly years = new Map<number, YearCalendar>();

  /** A later notice of the same year replaces an earlier one (a stored notice overrides a built-in one). */
  constructor(years: readonly YearCalendar[]) {
    for (const year of years) this.years.set(year.year, year);
    for (const year of this.years.values()) {
      for (const date of year.holidays) this.holidays.add(dayNumberOf(date));
      for (const date of year.workdays) this.workdays.add(dayNumberOf(date));
    }
  }

  /** The year's notice, when the calendar has it. */
  year(year: number): YearCalendar | undefined {
    return this.years.get(year);
  }

  /** Years without a notice count weekends only. */
  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(dayNumberOf(date));
  }

  private isWorkingDayNumber(day: number): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    return !isWeekendDay(day);
  }

  private addWorkingDayNumbers(from: Date, count: number): number {
    let day = chinaDayNumberOf(from);
    for (let counted = 0; counted < count; ) {
      day += 1;
      if (this.isWorkingDayNumber(day)) counted++;
    }
    return day;
  }

  /** The date of the `count`-th working day after the China-time day of `from`. */
  addWorkingDays(from: Date, count: number): string {
    return dateOfDayNumber(this.addWorkingDayNumbers(from, count));
  }

  /** When a period of `count` working days starting at `from` ends: the end of its last day, China time. */
  dueAt(from: Date, count: number): string {
    return endOfChinaDay(this.addWorkingDayNumbers(from, count));
  }

  /**
   * Working days left until `dueAt` as people count them: the working days after today up to the due
   * day; 0 on the due day itself, negative once it has passed (how many working days overdue, at least
   * one: on the weekend after a Friday deadline the task is overdue, not due today).
   */
  workingDaysLeft(now: Date, dueAt: string): number {
    const today = chinaDayNumberOf(now);
    const dueDay = chinaDayNumberOf(new Date(dueAt));
    if (today <= dueDay) return this.workingDaysBetween(today, dueDay);
    return -Math.max(1, this.workingDaysBetween(dueDay, today));
  }

  /** Working days after `from` up to and including `to`. */
  private workingDaysBetween(from: number, to: number): number {
    let count = 0;
    for (let day = from + 1; day <= to; day++) if (this.isWorkingDayNumber(day)) count++;
    return count;
  }
}

/**
 * Public holidays and make-up working days from the State Council General Office's yearly notices on
 * holiday arrangements. A new year's notice is added here, or stored by a campaign admin through the
 * API, as soon as it is published (usually in November).
 */
export const publishedYears: readonly YearCalendar[] = [
  {
    year: 2024,
    holidays: [
      '2024-01-01',
      ...['2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14', '2024-02-15', '2024-02-16'],
      '2024-02-17',
      ...['2024-04-04', '2024-04-05', '2024-04-06'],
      ...['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05'],
      '2024-06-10',
      ...['2024-09-15', '2024-09-16', '2024-09-17'],
      ...['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-05', '2024-10-06', '2024-10-07'],
    ],
    workdays: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
  },
  {
    year: 2025,
    holidays: [
      '2025-01-01',
      ...['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03'],
      '2025-02-04',
      ...['2025-04-04', '2025-04-05', '2025-04-06'],
      ...['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05'],
      ...['2025-05-31', '2025-06-01', '2025-06-02'],
      ...['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07'],
      '2025-10-08',
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    holidays: [
      ...['2026-01-01', '2026-01-02', '2026-01-03'],
      ...['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21'],
      ...['2026-02-22', '2026-02-23'],
      ...['2026-04-04', '2026-04-05', '2026-04-06'],
      ...['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'],
      ...['2026-06-19', '2026-06-20', '2026-06-21'],
      ...['2026-09-25', '2026-09-26', '2026-09-27'],
      ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
