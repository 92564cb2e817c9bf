import type { CaseEventDraft } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Agency } from '#shared/domain/principal';
import type { ReferenceSeries } from '#shared/domain/reference';
import type { EvidenceAttachment } from '#shared/evidence/attach';
import type { ComplaintRecord, EarlierComplaint } from '#shared/ports/complaints';

/** What the complainant is told when the complaint is accepted; replayed for a repeated request. */
export interface IntakeReceipt {
  complaintId: string;
  /** The complaint's reference number, for people to quote (absent only on receipts kept from before references). */
  reference?: string;
  caseId: string;
  status: 'RECEIVED';
  joinedExistingCase: boolean;
  /** The enterprise had already complained about the case: this filing was added to that complaint. */
  repeatOf?: EarlierComplaint;
  /** The office expected to handle the case; its name is given in the caller's language when answering. */
  handlingOffice?: { agency: Agency; province: string };
  /** When the campaign commits to a decision on the fee: 15 working days from filing. */
  decisionDueAt?: string;
}

export interface StoredReceipt {
  requestHash: string;
  receipt: IntakeReceipt;
}

/**
 * Where a fee stands before a complaint about it is recorded: read from the fee's pointer alone, which
 * names its open case and the office handling it, so a filing reads one small item.
 */
export type FeeStanding =
  | {
      kind: 'open';
      caseId: string;
      /** The agency the case is routed to, once classified. */
      agency?: Agency;
      /** The province whose office handles the case: the association's, unless it was transferred. */
      province: string;
    }
  | { kind: 'none'; previousCaseId?: string };

/**
 * What this process read of fees' pointers lately, so a filing can skip a write bound to fail: an open
 * case read a moment ago is joined at once; a fee seen with a case is read before writing.
 */
export interface FeeStandingMemory {
  /** The fee's open case, if it was read (or opened here) a moment ago. */
  recallOpen(feeKey: string): Extract<FeeStanding, { kind: 'open' }> | undefined;
  /** Whether the fee had a case (open or closed) when last seen, within the last hour. */
  hadCase(feeKey: string): boolean;
  keep(feeKey: string, standing: FeeStanding): void;
}

export type CaseChange =
  /**
   * A new case (its counts those of its first complaint), opened only if the fee has no open case; with
   * `firstOfFee` (the pointer was not read), only if the fee never had a case, so that a case opened
   * after a closed one always names it as its previous case.
   */
  | { kind: 'open'; feeCase: FeeCase; firstOfFee?: boolean }
  /**
   * Another enterprise complains: written only if the account has no marker on the case yet. The case's
   * counts move later, once, when its journal takes the filing's event (no filing writes the case item).
   */
  | { kind: 'join'; caseId: string; amountFen: number }
  /** The enterprise complained before: the filing adds information and no count moves. */
  | { kind: 'add-information'; caseId: string };

export interface IntakePlan {
  complaint: ComplaintRecord;
  idempotency: { key: string; requestHash: string; receipt: IntakeReceipt };
  caseChange: CaseChange;
  /**
   * Written beside the complaint as a pending event of the case; the case journal (a stream consumer)
   * links it into the case's audit chain, so filings never contend on the chain's head.
   */
  event: CaseEventDraft;
  /** The uploads the complaint names, attached in the same write (a refusal is thrown as a ConflictError). */
  evidence?: EvidenceAttachment;
}

export type IntakeOutcome =
  | 'recorded'
  /** Someone recorded this very request first: read its receipt and replay it. */
  | 'receipt-exists'
  /** A join found the account's marker on the case: it complained before, so this adds information. */
  | 'already-complained'
  /** The fee's pointer moved (a case opened or closed meanwhile): read the standing again. */
  | 'fee-moved';

export interface IntakeStore {
  /**
   * Receipts are the account's own: two accounts never share an idempotency key. A receipt is kept
   * 24 hours: one older than that at `now` is no longer found (and a new filing may take its key).
   */
  findReceipt(enterpriseId: string, idempotencyKey: string, now: Date): Promise<StoredReceipt | undefined>;
  /** The fee's open case, with the office handling it. */
  findFeeStanding(feeKey: string): Promise<FeeStanding>;
  /** The account's complaint that counts on the case, read only once a join found it complained before. */
  findEarlierComplaint(caseId: string, enterpriseId: string): Promise<EarlierComplaint | undefined>;
  /**
   * Draws one number of the series; never the same twice. A number drawn for an attempt that is then
   * abandoned is never reused, so the numbers have gaps (and the store may draw them in blocks).
   */
  drawReference(series: ReferenceSeries): Promise<number>;
  /**
   * Writes the complaint, the case change, the pending event, the receipt and the attaching of the named
   * uploads all together, or nothing; the receipt, the fee's pointer (opening) and the account's marker
   * (joining or adding information) are conditions, so the outcome says which read the filing needs; uploads that may no longer be named, or too many bytes on the case, are a
   * ConflictError.
   */
  record(plan: IntakePlan): Promise<IntakeOutcome>;
}
