/**
 * The campaign's working-day calendar in the single table: one item per year a campaign admin stored
 * (`CALENDAR` / `YEAR#<year>`), merged over the built-in notices. Deadlines are read far more often than
 * notices change (once a year), so each container keeps the merged calendar for a few minutes; a save
 * is seen at once in the container that made it and within that time everywhere else.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { allItems } from '#shared/adapters/dynamodb/table-io';
import { publishedYears, WorkingDayCalendar, type YearCalendar } from '#shared/domain/working-days';
import type { CalendarStore, StoredYearCalendar } from '#shared/ports/calendar';

export const calendarPartition = 'CALENDAR';
export const calendarYearKey = (year: number) => ({ pk: calendarPartition, sk: `YEAR#${year}` });

/** How long a container trusts the calendar it loaded. */
export const calendarCacheMs = 5 * 60_000;

export class DynamoCalendarStore implements CalendarStore {
  private cached?: { loadedAt: number; calendar: Promise<WorkingDayCalendar> };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly builtIn: readonly YearCalendar[] = publishedYears,
    private readonly clock: () => number = Date.now,
  ) {}

  calendar(): Promise<WorkingDayCalendar> {
    const now = this.clock();
    if (this.cached && now - this.cached.loadedAt < calendarCacheMs) return this.cached.calendar;
    const calendar = this.load();
    this.cached = { loadedAt: now, calendar };
    // A failed load is not kept: the next call tries again.
    calendar.catch(() => {
      if (this.cached?.calendar === calendar) this.cached = undefined;
    });
    return calendar;
  }

  async saveYear(notice: StoredYearCalendar): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...calendarYearKey(notice.year),
            entity: 'CalendarYear',
            year: notice.year,
            holidays: [...notice.holidays],
            workdays: [...notice.workdays],
            savedAt: notice.savedAt,
            savedBy: notice.savedBy,
          },
        }),
      ),
    );
    this.cached = undefined;
  }

  private async load(): Promise<WorkingDayCalendar> {
    const items = await allItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
      ExpressionAttributeValues: { ':pk': calendarPartition, ':year': 'YEAR#' },
    });
    const stored = items.map(
      (item): YearCalendar => ({
        year: item.year as number,
        holidays: item.holidays as string[],
        workdays: item.workdays as string[],
      }),
    );
    return new WorkingDayCalendar([...this.builtIn, ...stored]);
  }
}
