/** The working-day calendar in memory: the built-in notices plus what was saved, as the table adapter merges them. */
import { publishedYears, WorkingDayCalendar } from '#shared/domain/working-days';
import type { CalendarStore, StoredYearCalendar } from '#shared/ports/calendar';

export class InMemoryCalendarStore implements CalendarStore {
  readonly saved: StoredYearCalendar[] = [];

  async calendar(): Promise<WorkingDayCalendar> {
    return new WorkingDayCalendar([...publishedYears, ...this.saved]);
  }

  async saveYear(notice: StoredYearCalendar): Promise<void> {
    this.saved.push(notice);
  }
}
