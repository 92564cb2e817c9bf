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

/** Where a fee stands before a complaint about it is recorded. */
export type FeeStanding =
  | {
      kind: 'open';
      caseId: string;
      version: number;
      eventSeq: number;
      lastEventHash: string;
      /** The agency the case is routed to, once classified. */
      agency?: Agency;
      /** The province whose office handles the case: the association's, unless it was transferred. */
      province: string;
      /** The enterprise account's complaint on the case, when it already filed one (never another account's). */
      earlierComplaint?: EarlierComplaint;
    }
  | { kind: 'none'; previousCaseId?: string };

/** An event appended to an open case, guarded by the case version the filing read. */
interface CaseAppend {
  caseId: string;
  expectedVersion: number;
  updatedAt: string;
  /** The case's audit chain as the filing read it; the store links the event onto it. */
  chainHead: { eventSeq: number; lastEventHash: string };
}

export type CaseChange =
  /** A new case, its chain at the genesis: the store links the opening event and advances it. */
  | { kind: 'open'; feeCase: FeeCase }
  /** Another enterprise complains: one more complaint, enterprise and amount claimed. */
  | (CaseAppend & { kind: 'join'; amountFen: number })
  /** The enterprise complained before: the filing adds information and no count moves. */
  | (CaseAppend & { kind: 'add-information' });

export interface IntakePlan {
  complaint: ComplaintRecord;
  idempotency: { key: string; requestHash: string; receipt: IntakeReceipt };
  caseChange: CaseChange;
  /** Linked into the case's audit chain by the store, in the same write, as case commits are. */
  event: CaseEventDraft;
  /** The uploads the complaint names, attached in the same write (a refusal is thrown as a ConflictError). */
  evidence?: EvidenceAttachment;
}

export type IntakeOutcome = 'recorded' | 'receipt-exists' | 'case-moved';

export interface IntakeStore {
  /** Receipts are the account's own: two accounts never share an idempotency key. */
  findReceipt(enterpriseId: string, idempotencyKey: string): Promise<StoredReceipt | undefined>;
  /** The fee's open case and, when this account already complained on it, its complaint there. */
  findFeeStanding(feeKey: string, enterpriseId: string): Promise<FeeStanding>;
  /**
   * Draws `count` numbers from the series' sequence at once and returns the last: the caller owns
   * `last - count + 1` to `last`. A number drawn for an attempt that is then abandoned is never reused.
   */
  drawReferences(series: ReferenceSeries, count: number): Promise<number>;
  /**
   * Writes the complaint, the case change, the event, the receipt and the attaching of the named uploads
   * all together, or nothing; uploads that may no longer be named, or too many bytes on the case, are a
   * ConflictError.
   */
  record(plan: IntakePlan): Promise<IntakeOutcome>;
}
