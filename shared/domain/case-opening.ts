/**
 * Opening a fee case, whoever opens it: intake (its first complaint) or an office (a case opened
 * without a complainant). The case starts at RECEIVED with an empty audit chain; its opening event is
 * linked by the case journal, and its workflow starts when the stream sees the new case item.
 */
import { genesisHash } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';

export interface CaseOpening {
  caseId: string;
  reference?: string | undefined;
  feeKey: string;
  association: FeeCase['association'];
  fee: FeeCase['fee'];
  at: string;
  /** The closed case about the same fee that this one follows. */
  previousCaseId?: string | undefined;
  /** The complaint that opens the case counts in it at once; a case opened by an office counts none. */
  openedByComplaint: boolean;
}

export const openedCase = (opening: CaseOpening): FeeCase => {
  const counted = opening.openedByComplaint ? 1 : 0;
  return {
    caseId: opening.caseId,
    ...(opening.reference ? { reference: opening.reference } : {}),
    feeKey: opening.feeKey,
    association: opening.association,
    fee: opening.fee,
    province: opening.association.province,
    stage: 'RECEIVED',
    flags: [],
    complaintCount: counted,
    enterpriseCount: counted,
    claimedFen: counted * opening.fee.amountFen,
    refundedFen: 0,
    reducedAnnualFen: 0,
    openedAt: opening.at,
    updatedAt: opening.at,
    ...(opening.previousCaseId ? { previousCaseId: opening.previousCaseId } : {}),
    version: 1,
    eventSeq: 0,
    lastEventHash: genesisHash,
  };
};
