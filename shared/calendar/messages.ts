/** Messages of the calendar operations: a year's holiday notice as stored and as read. */
import * as z from '#shared/domain/schema';
import { issueParams } from '#shared/domain/validation';

const day = z.iso.date({ message: 'must be a real date written YYYY-MM-DD' });

/** A list in which no date appears twice. */
const distinctDays = (description: string, maximum: number) =>
  z
    .array(day)
    .check(
      z.maxLength(maximum),
      z.refine((days) => new Set(days).size === days.length, {
        message: 'list each date once',
        params: issueParams('not_unique'),
      }),
    )
    .register(z.globalRegistry, { description });

export const CalendarYearPath = z.strictObject({
  year: z
    .string()
    .check(z.regex(/^20\d{2}$/, 'a year such as 2027'))
    .register(z.globalRegistry, { description: 'The year of the notice, e.g. 2027' }),
});

export const CalendarNotice = z
  .strictObject({
    holidays: distinctDays('Public holidays of the year, days off (YYYY-MM-DD)', 60),
    workdays: distinctDays(
      'Make-up working days (调休): Saturdays or Sundays worked instead (YYYY-MM-DD)',
      20,
    ),
  })
  .register(z.globalRegistry, {
    id: 'CalendarNotice',
    description:
      "A year's public holidays and make-up working days, as the State Council's notice on holiday arrangements sets them",
  });
export type CalendarNotice = z.infer<typeof CalendarNotice>;

export const CalendarYear = z
  .object({
    year: z.int(),
    holidays: z.array(z.iso.date()),
    workdays: z.array(z.iso.date()),
  })
  .register(z.globalRegistry, {
    id: 'CalendarYear',
    description:
      'The public holidays and make-up working days the campaign counts working days by, for one year',
  });
export type CalendarYear = z.infer<typeof CalendarYear>;
