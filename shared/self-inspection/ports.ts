/** What self-inspection reads and writes (docs/associations.md, "Self-inspection"). */

import type { RegisteredAssociation } from '#shared/domain/association';
import type { CaseEventDraft } from '#shared/domain/case-event';
import type { DeclarationEvidenceTarget } from '#shared/domain/evidence';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Declaration } from '#shared/domain/self-inspection';
import type { EvidenceAttachment } from '#shared/evidence/attach';
import type { StoredTask } from '#shared/ports/cases';

export interface DeclarationStore {
  /** The latest version of an association's declaration for a year. */
  latest(creditCode: string, year: number): Promise<Declaration | undefined>;
  /** Every version, newest year first and newest version first within a year; one year when given. */
  versions(creditCode: string, year?: number): Promise<Declaration[]>;
  /**
   * Writes the declaration as its year's next version, attaching the files it names in the same write:
   * `recorded`, or `moved` when another version was recorded since the caller read the latest
   * (`declaration.version - 1`). A file taken meanwhile, or the year's budget exceeded, is a ConflictError.
   */
  record(
    declaration: Declaration,
    attachment?: EvidenceAttachment<DeclarationEvidenceTarget>,
  ): Promise<'recorded' | 'moved'>;
}

/** Where a fee stands before a self-inspection opens a case for it (the fee-case key's pointer). */
export type FeePointer = { open: true; caseId: string } | { open: false; previousCaseId?: string };

export interface SelfInspectionCases {
  feePointer(feeKey: string): Promise<FeePointer>;
  /**
   * Opens the case, its fee pointer and its opening event in one write: `opened`; `exists` when the
   * case was opened before (a retry); `fee-moved` when another case of the fee opened meanwhile.
   */
  open(feeCase: FeeCase, event: CaseEventDraft): Promise<'opened' | 'exists' | 'fee-moved'>;
}

/** The regulators' task for a declaration that did not arrive by the deadline. */
export interface MissingDeclarationTasks {
  /**
   * Puts the task unless it exists or the association has declared for the year (checked in the same
   * write, so a declaration racing the schedule never leaves a task open).
   */
  openTask(task: StoredTask, creditCode: string, year: number): Promise<'opened' | 'exists' | 'declared'>;
  /** Completes the year's task, if one is open, as the association's declaration arrives. */
  close(creditCode: string, year: number, at: string): Promise<void>;
  /** Whether a run already went through every association for the year. */
  yearDone(year: number): Promise<boolean>;
  markYearDone(year: number, at: string): Promise<void>;
}

/** The register's ACTIVE associations, page by page, for the deadline run. */
export interface ActiveAssociations {
  active(): AsyncIterable<RegisteredAssociation[]>;
}

/** An association's closed cases, for its public fee list. */
export interface ClosedCasesOfAssociation {
  closedCases(creditCode: string): Promise<FeeCase[]>;
}
