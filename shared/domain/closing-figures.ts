/**
 * What a closed case counts for the campaign: the refunds, the annual fees it removes and the
 * enterprises it helped. Worked out when the case closes, and again when a complaint filed as it
 * closed is linked onto it afterwards (docs/hot-fee.md), so the figures count every complainant.
 */
import type { FeeCase, Outcome, RectificationRecord } from '#shared/domain/fee-case';

export interface ClosingFigures {
  refundedFen: number;
  reducedAnnualFen: number;
  enterprisesHelped: number;
}

/**
 * What the outcome removes from what enterprises pay each year. A figure in the accepted report is
 * taken as it is, 0 included (the association may have kept the fee and cut nothing). Without one, an
 * abolished annual fee removes what its complainants claimed (each enterprise's first figure), and a
 * one-off fee, or a fee that stays, removes nothing.
 */
const annualFenRemoved = (feeCase: FeeCase, outcome: Outcome, report?: RectificationRecord): number => {
  if (report?.reducedAnnualFen !== undefined) return report.reducedAnnualFen;
  return outcome === 'ABOLISHED' && feeCase.fee.period === 'ANNUAL' ? feeCase.claimedFen : 0;
};

/** An abolished fee helps every complainant; a regulated one, those of a case whose rectification was accepted. */
export const closingFiguresOf = (feeCase: FeeCase, outcome: Outcome): ClosingFigures => {
  const report = feeCase.rectification?.accepted ? feeCase.rectification : undefined;
  const helped = outcome === 'ABOLISHED' || (outcome === 'REGULATED' && report !== undefined);
  return {
    refundedFen: report?.refundedFen ?? 0,
    reducedAnnualFen: annualFenRemoved(feeCase, outcome, report),
    enterprisesHelped: helped ? feeCase.enterpriseCount : 0,
  };
};

/** What a complaint records of its case's closing. */
export interface ComplaintOutcome {
  outcome: string;
  verdict: string;
  caseRefundedFen: number;
  caseReducedAnnualFen: number;
  closedAt: string;
}

export const complaintOutcomeOf = (closed: FeeCase): ComplaintOutcome => ({
  outcome: closed.outcome ?? 'DISMISSED',
  verdict: closed.verdict ?? 'DISMISSED',
  caseRefundedFen: closed.refundedFen,
  caseReducedAnnualFen: closed.reducedAnnualFen,
  closedAt: closed.closedAt ?? closed.updatedAt,
});
