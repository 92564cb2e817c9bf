import type { CaseEvent } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import type { ComplaintRecord } from '#shared/file-complaint/ports';

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  cursor: string | null;
}

export interface ComplaintReads {
  getComplaint(complaintId: string): Promise<ComplaintRecord | undefined>;
  getCase(caseId: string): Promise<FeeCase | undefined>;
  getCases(caseIds: readonly string[]): Promise<Map<string, FeeCase>>;
  listEvents(caseId: string): Promise<CaseEvent[]>;
  /** Throws ValidationError for a cursor that is not one of this listing's. */
  listByEnterprise(creditCode: string, limit: number, cursor?: string): Promise<Page<ComplaintRecord>>;
}
