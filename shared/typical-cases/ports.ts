/** Where typical cases are kept (docs/data-model.md, "Associations"). */
import type { Page } from '#shared/ports/complaints';
import type { TypicalCaseFacts, TypicalCaseStatus } from '#shared/typical-cases/messages';

/** A typical case (典型案例) as stored. */
export interface TypicalCase {
  typicalCaseId: string;
  title: string;
  summary: string;
  lessons?: string;
  /** The closed cases it tells about, as they stood when it was written. */
  cases: TypicalCaseFacts[];
  status: TypicalCaseStatus;
  createdAt: string;
  /** The campaign admin who wrote it (subject). */
  createdBy: string;
  /** The latest publication; kept when it is withdrawn. */
  publishedAt?: string;
  publishedBy?: string;
  withdrawnAt?: string;
}

export interface TypicalCaseStore {
  get(typicalCaseId: string): Promise<TypicalCase | undefined>;
  /**
   * Writes the typical case if it still has the status `from` (`undefined`: if it does not exist yet);
   * false when it moved meanwhile (or already exists).
   */
  save(typicalCase: TypicalCase, from: TypicalCaseStatus | undefined): Promise<boolean>;
  /** Published ones, newest publication first. */
  listPublished(limit: number, cursor?: string): Promise<Page<TypicalCase>>;
  /** Every one, newest first. */
  listAll(limit: number, cursor?: string): Promise<Page<TypicalCase>>;
}
