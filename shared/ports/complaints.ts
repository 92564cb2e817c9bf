/** Complaints as stored and read: contact details only in sealed form. */
import type { CaseEvent } from '#shared/domain/case-event';
import type { ClosingFeedback } from '#shared/domain/closing-feedback';
import type { ComplaintFacts, Contact, Fee } from '#shared/domain/complaint';
import type { AttachmentRecord } from '#shared/domain/evidence';
import type { FeeCase } from '#shared/domain/fee-case';

/**
 * The enterprise's complaint that counts on a case, named to the enterprise when it files about the
 * case again. An object so that the complaint's public reference can be added beside its id.
 */
export interface EarlierComplaint {
  complaintId: string;
  /** Absent when the earlier complaint was filed before references existed. */
  reference?: string;
}

/** A complaint as stored: contact details only in sealed form. */
export interface ComplaintRecord {
  complaintId: string;
  /** Its reference number (absent on complaints filed before references existed). */
  reference?: string;
  caseId: string;
  /** The filing enterprise's credit code: what regulators see and the public lookup checks. */
  enterpriseCreditCode: string;
  /**
   * The enterprise account that owns the complaint (`Principal.enterpriseId`): only it reads, adds
   * to, gives feedback on and hears about the complaint. Read as the credit code on complaints filed
   * before accounts (`enterpriseIdOf`).
   */
  enterpriseId: string;
  association: { name: string; creditCode?: string; province: string };
  fee: Fee;
  facts: ComplaintFacts;
  description: string;
  sealedContact: string;
  discloseIdentityToAssociation: boolean;
  filedAt: string;
  /**
   * When the campaign commits to a decision: 15 working days from filing, by the calendar in force
   * then (absent on complaints filed before it was stored).
   */
  decisionDueAt?: string;
  /** Set on a repeat filing: it adds information to this complaint of the same enterprise and counts for nothing. */
  repeatOf?: EarlierComplaint;
  /** Screened files the complainant attached, at filing or later (in the order attached). */
  attachments?: AttachmentRecord[];
  /** The complainant's closing feedback, given once. */
  feedback?: ClosingFeedback;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  cursor: string | null;
}

/** What a reference number names: a complaint (with its case and enterprise) or a case. */
export interface ReferenceTarget {
  reference: string;
  caseId: string;
  complaintId?: string;
  enterpriseCreditCode?: string;
  /** The account owning the complaint, for the list's `reference` filter. */
  enterpriseId?: string;
}

export interface ComplaintReads {
  findReference(reference: string): Promise<ReferenceTarget | undefined>;
  getComplaint(complaintId: string): Promise<ComplaintRecord | undefined>;
  getCase(caseId: string): Promise<FeeCase | undefined>;
  getCases(caseIds: readonly string[]): Promise<Map<string, FeeCase>>;
  listEvents(caseId: string): Promise<CaseEvent[]>;
  /** Whether the enterprise account filed a complaint on the case (one that opened, joined or added to it). */
  isComplainant(caseId: string, enterpriseId: string): Promise<boolean>;
  /** The account's own complaints, newest first. Throws ValidationError for a cursor of another listing. */
  listByEnterprise(enterpriseId: string, limit: number, cursor?: string): Promise<Page<ComplaintRecord>>;
}

export interface ContactSealer {
  seal(contact: Contact, complaintId: string): Promise<string>;
  open(sealed: string, complaintId: string): Promise<Contact>;
}
