import type { AnchoredHead, AuditAnchor } from '#shared/domain/audit-anchor';

/** Where anchors are kept outside the table: append-only, readable by the verifiers. */
export interface AnchorLedger {
  latest(): Promise<AuditAnchor | undefined>;
  /** Appends the anchor that follows `latest()`, with each case's head; false when another anchor took that place first. */
  append(anchor: AuditAnchor): Promise<boolean>;
  /** Every anchor, in order. */
  all(): Promise<AuditAnchor[]>;
}

/** The case view's read of the anchors: one case's head as its latest anchor recorded it. */
export interface AnchoredHeads {
  latestHeadOf(caseId: string): Promise<AnchoredHead | undefined>;
}
