/**
 * The fee case: one per (association, fee) while it is open. Its item is the source of truth for
 * where the case stands; complaints about the same fee join it.
 */
import type { Agency } from '#shared/http/principal';
import type { Fee } from '#shared/domain/complaint';

export const stages = ['RECEIVED', 'CLASSIFIED', 'UNDER_REVIEW', 'INFO_REQUESTED', 'RECTIFYING', 'VERIFYING', 'CLOSED'] as const;
export type Stage = (typeof stages)[number];

export const outcomes = ['ABOLISHED', 'REGULATED', 'DISMISSED'] as const;
export type Outcome = (typeof outcomes)[number];

export type CaseFlag = 'overdue' | 'escalated' | 'attention';

export interface FeeCase {
  caseId: string;
  feeKey: string;
  association: { name: string; creditCode?: string; province: string };
  fee: Fee;
  /** Province that routes the case: the association's. */
  province: string;
  /** Agency the case is routed to, once classified. */
  agency?: Agency;
  stage: Stage;
  verdict?: string;
  outcome?: Outcome;
  flags: CaseFlag[];
  complaintCount: number;
  enterpriseCount: number;
  claimedFen: number;
  refundedFen: number;
  reducedAnnualFen: number;
  openedAt: string;
  updatedAt: string;
  closedAt?: string;
  /** The closed case about the same fee that this one follows, if any. */
  previousCaseId?: string;
  version: number;
  eventSeq: number;
  lastEventHash: string;
}
