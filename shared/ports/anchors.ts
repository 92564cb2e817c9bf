import type { AnchoredHead, AuditAnchor } from '#shared/domain/audit-anchor';

/** Where anchors are kept outside the table: append-only, readable by the verifiers. */
export interface AnchorLedger {
  latest(): Promise<AuditAnchor | undefined>;
  /** Appends the anchor that follows `latest()`; false when another anchor took that place first. */
  append(anchor: AuditAnchor): Promise<boolean>;
  /** Every anchor, in order. */
  all(): Promise<AuditAnchor[]>;
  /** The head of one case's chain as its latest anchor recorded it. */
  latestHeadOf(caseId: string): Promise<AnchoredHead | undefined>;
}
