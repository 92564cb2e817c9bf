/**
 * The working-day calendar's own operations: anyone reads a year's notice; a campaign admin stores a
 * new year's notice (or corrects one) as soon as the State Council publishes it.
 */

import { CalendarNotice, type CalendarYear, CalendarYearPath } from '#shared/calendar/messages';
import { type FieldIssue, ForbiddenRoleError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import { isWeekend } from '#shared/domain/working-days';
import type { CalendarStore } from '#shared/ports/calendar';

const yearOf = (pathParameters: unknown): number =>
  Number(parseWith(CalendarYearPath, pathParameters, 'path').year);

/** What the schema cannot check alone: the dates against the year, and the two lists against each other. */
const noticeIssues = (year: number, notice: CalendarNotice): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const holidays = new Set(notice.holidays);
  const outside = (list: 'holidays' | 'workdays') =>
    notice[list].forEach((date, i) => {
      if (!date.startsWith(`${year}-`))
        issues.push({
          path: `${list}.${i}`,
          code: 'outside_year',
          params: { year },
          message: `must be in ${year}`,
        });
    });
  outside('holidays');
  outside('workdays');
  notice.workdays.forEach((date, i) => {
    if (holidays.has(date))
      issues.push({
        path: `workdays.${i}`,
        code: 'holiday_and_workday',
        message: 'is also listed as a holiday',
      });
    else if (!isWeekend(date))
      issues.push({
        path: `workdays.${i}`,
        code: 'not_a_weekend',
        message: 'a make-up working day is a Saturday or Sunday',
      });
  });
  return issues;
};

export const readCalendarYear = async (
  store: CalendarStore,
  pathParameters: unknown,
): Promise<CalendarYear> => {
  const year = yearOf(pathParameters);
  const notice = (await store.calendar()).year(year);
  if (!notice) throw new NotFoundError(`No holiday notice for ${year} yet`);
  return { year, holidays: [...notice.holidays].sort(), workdays: [...notice.workdays].sort() };
};

export const saveCalendarYear = async (
  deps: { store: CalendarStore; now?: () => Date },
  principal: Principal,
  pathParameters: unknown,
  body: unknown,
): Promise<CalendarYear> => {
  if (principal.role !== 'campaign-admin') throw new ForbiddenRoleError('Only campaign admins store notices');
  const year = yearOf(pathParameters);
  const notice = parseWith(CalendarNotice, body, 'holiday notice');
  const issues = noticeIssues(year, notice);
  if (issues.length > 0)
    throw new ValidationError(
      `Invalid holiday notice: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  const holidays = [...notice.holidays].sort();
  const workdays = [...notice.workdays].sort();
  await deps.store.saveYear({
    year,
    holidays,
    workdays,
    savedAt: (deps.now ?? (() => new Date()))().toISOString(),
    savedBy: principal.subject,
  });
  return { year, holidays, workdays };
};
