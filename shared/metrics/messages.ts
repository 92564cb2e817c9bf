import * as z from 'zod';
import { feeCategories } from '#shared/domain/complaint';

const CountBy = z.record(z.string(), z.int());

const Durations = z
  .object({
    count: z.int(),
    sumDays: z.number(),
    meanDays: z.number().nullable(),
    medianDays: z.number().nullable(),
    p90Days: z.number().nullable(),
    buckets: z.array(z.object({ upToDays: z.number().nullable(), count: z.int() })),
  })
  .meta({
    id: 'Durations',
    description: 'Times in days; median and p90 are read from the histogram buckets',
  });

const Breakdown = z.record(
  z.string(),
  z.object({ complaintsReceived: z.int(), refundedFen: z.int(), outcomes: CountBy, verdicts: CountBy }),
);

export const CampaignFigures = z
  .object({
    complaintsReceived: z.int(),
    casesOpened: z.int(),
    casesByStage: CountBy,
    verdicts: z.object({ suggested: CountBy, final: CountBy }),
    outcomes: CountBy,
    feesAbolished: z.int(),
    refundedFen: z.int(),
    annualFenRemoved: z.int(),
    enterprisesHelped: z.int(),
    openTasks: z.int(),
    overdueTasks: z.int(),
    escalatedTasks: z.int(),
    casesNeedingAttention: z.int(),
    daysToDecision: Durations,
    daysToClosure: Durations,
  })
  .meta({ id: 'CampaignFigures' });

export const CampaignMetrics = z
  .object({
    scope: z.string(),
    figures: CampaignFigures,
    breakdown: z.object({ byCategory: Breakdown, byProvince: Breakdown }).optional(),
  })
  .meta({ id: 'CampaignMetrics' });

export const MetricsQuery = z
  .strictObject({
    province: z
      .string()
      .regex(/^\d{2}$/, 'a two-digit province code')
      .optional(),
    category: z.enum(feeCategories).optional(),
    agency: z.enum(['SAMR', 'MCA', 'NDRC']).optional(),
  })
  .meta({ id: 'MetricsQuery' });

export const PublicMetricsQuery = z.strictObject({}).meta({ id: 'PublicMetricsQuery' });

export type CampaignFigures = z.infer<typeof CampaignFigures>;
export type CampaignMetrics = z.infer<typeof CampaignMetrics>;
