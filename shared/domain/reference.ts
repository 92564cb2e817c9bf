/**
 * Reference numbers people quote: `YYYY-PP-NNNNNN`, the year of filing (China time), the handling
 * province (the association's, `00` national) and a sequence counted per year and province. Complaints
 * and cases draw from one sequence, so a reference names exactly one of them.
 */
import * as z from '#shared/domain/schema';
import { chinaDate } from '#shared/domain/working-days';

/** Six digits at least; a year and province that outgrow them simply get longer numbers. */
const referencePattern = /^\d{4}-\d{2}-\d{6,9}$/;

export const Reference = z
  .string()
  .check(z.regex(referencePattern, 'use a reference such as 2026-44-000123'))
  .register(z.globalRegistry, {
    id: 'Reference',
    description: 'Year of filing, handling province and sequence, e.g. 2026-44-000123',
  });

/** Where a reference's sequence is counted: the filing's China-time year and the handling province. */
export interface ReferenceSeries {
  year: string;
  province: string;
}

export const referenceSeries = (filedAt: Date, province: string): ReferenceSeries => ({
  year: chinaDate(filedAt).slice(0, 4),
  province,
});

export const formatReference = (series: ReferenceSeries, sequence: number): string =>
  `${series.year}-${series.province}-${String(sequence).padStart(6, '0')}`;
