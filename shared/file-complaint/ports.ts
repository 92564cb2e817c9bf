import type { CaseEvent } from '#shared/domain/case-event';
import type { ComplaintFacts, Contact, Fee } from '#shared/domain/complaint';
import type { FeeCase } from '#shared/domain/fee-case';

/** A complaint as stored: contact details only in sealed form. */
export interface ComplaintRecord {
  complaintId: string;
  caseId: string;
  enterpriseCreditCode: string;
  association: { name: string; creditCode?: string; province: string };
  fee: Fee;
  facts: ComplaintFacts;
  description: string;
  sealedContact: string;
  discloseIdentityToAssociation: boolean;
  filedAt: string;
}

/** What the complainant is told when the complaint is accepted; replayed for a repeated request. */
export interface IntakeReceipt {
  complaintId: string;
  caseId: string;
  status: 'RECEIVED';
  joinedExistingCase: boolean;
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
      enterpriseKnown: boolean;
    }
  | { kind: 'none'; previousCaseId?: string };

export type CaseChange =
  | { kind: 'open'; feeCase: FeeCase }
  | {
      kind: 'join';
      caseId: string;
      expectedVersion: number;
      newEnterprise: boolean;
      amountFen: number;
      updatedAt: string;
      lastEventHash: string;
      eventSeq: number;
    };

export interface IntakePlan {
  complaint: ComplaintRecord;
  idempotency: { key: string; requestHash: string; receipt: IntakeReceipt };
  caseChange: CaseChange;
  event: CaseEvent;
}

export type IntakeOutcome = 'recorded' | 'receipt-exists' | 'case-moved';

export interface IntakeStore {
  findReceipt(enterpriseCreditCode: string, idempotencyKey: string): Promise<StoredReceipt | undefined>;
  findFeeStanding(feeKey: string, enterpriseCreditCode: string): Promise<FeeStanding>;
  /** Writes the complaint, the case change, the event and the receipt all together, or nothing. */
  record(plan: IntakePlan): Promise<IntakeOutcome>;
}

export interface ContactSealer {
  seal(contact: Contact, complaintId: string): Promise<string>;
  open(sealed: string, complaintId: string): Promise<Contact>;
}

/** Starts the fee-case workflow; starting a case twice is harmless. */
export interface FeeCaseWorkflow {
  start(caseId: string): Promise<void>;
}
