import { feeCategories } from '#shared/domain/complaint';
import { RegulatorProvince } from '#shared/domain/credit-code';
import { agencies } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';

const CountBy = z.record(z.string(), z.int());

const Durations = z
  .object({
    count: z.int(),
    sumDays: z.number(),
    meanDays: z.nullable(z.number()),
    medianDays: z.nullable(z.number()),
    p90Days: z.nullable(z.number()),
    buckets: z.array(z.object({ upToDays: z.nullable(z.number()), count: z.int() })),
  })
  .register(z.globalRegistry, {
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
    refundsConfirmed: z.int().register(z.globalRegistry, {
      description: 'Complainants who confirmed after closure that the refund arrived',
    }),
    refundsDisputed: z.int().register(z.globalRegistry, {
      description: 'Complainants who said after closure that the refund did not arrive',
    }),
    satisfaction: z
      .object({ 1: z.int(), 2: z.int(), 3: z.int(), 4: z.int(), 5: z.int() })
      .register(z.globalRegistry, {
        description: 'Closing feedback per level: 5 very satisfied ... 1 very dissatisfied',
      }),
    reopenedCases: z.int().register(z.globalRegistry, {
      description: 'Cases whose verification a complainant reopened: the refund did not arrive',
    }),
    daysToDecision: Durations,
    daysToClosure: Durations,
  })
  .register(z.globalRegistry, { id: 'CampaignFigures' });

export const CampaignMetrics = z
  .object({
    scope: z.string(),
    figures: CampaignFigures,
    breakdown: z.optional(z.object({ byCategory: Breakdown, byProvince: Breakdown })),
  })
  .register(z.globalRegistry, { id: 'CampaignMetrics' });

export const MetricsQuery = z
  .strictObject({
    province: z.optional(RegulatorProvince),
    category: z.optional(z.enum(feeCategories)),
    agency: z.optional(z.enum(agencies)),
  })
  .register(z.globalRegistry, { id: 'MetricsQuery' });

export const PublicMetricsQuery = z.strictObject({}).register(z.globalRegistry, { id: 'PublicMetricsQuery' });

export const OutcomesCsvQuery = z
  .strictObject({
    lang: z.optional(
      z.enum(['zh-CN', 'en']).register(z.globalRegistry, {
        description:
          'The file for people in this language: UTF-8 with BOM, headers and names in the language, amounts once in yuan, China-time days. Without it, the machine-readable form.',
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'OutcomesCsvQuery' });

/** The open-data file: what the document says of it, since the CSV is written row by row, not parsed. */
export const OutcomesCsv = z.string().register(z.globalRegistry, {
  id: 'OutcomesCsv',
  description:
    'RFC 4180 CSV (CRLF rows, a header row first): one row per closed case, no complainant data. Without `lang`, the machine-readable form: stable column names (caseId, reference, ..., category, verdict, outcome as codes, refundedFen and refundedYuan, annualFenRemoved and annualYuanRemoved, openedOn and closedOn as UTC days), no BOM; with `lang`, the form for people.',
});

export type CampaignFigures = z.infer<typeof CampaignFigures>;
export type CampaignMetrics = z.infer<typeof CampaignMetrics>;
