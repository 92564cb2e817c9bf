/**
 * The working-day calendar as the use cases and workflow steps reach it: every deadline of the
 * campaign is counted with the calendar this port gives, so the API and the workflow agree.
 */
import type { WorkingDayCalendar, YearCalendar } from '#shared/domain/working-days';

/** A year's notice as a campaign admin stored it. */
export interface StoredYearCalendar extends YearCalendar {
  savedAt: string;
  /** The admin's subject. */
  savedBy: string;
}

export interface CalendarStore {
  /**
   * The built-in notices (`publishedYears`) together with the stored ones, a stored year replacing the
   * built-in one of the same year. Adapters may cache it for a few minutes.
   */
  calendar(): Promise<WorkingDayCalendar>;
  /** Stores a year's notice, replacing any stored before. */
  saveYear(notice: StoredYearCalendar): Promise<void>;
}
