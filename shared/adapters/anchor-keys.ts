/** Where the audit anchors and each case's anchored head are kept in the anchors bucket. */

const newestFirst = 999_999_999_999;

/** Anchors are keyed newest first (S3 lists keys in ascending order): the latest is the first key listed. */
export const anchorKey = (anchorSeq: number) =>
  `anchors/${String(newestFirst - anchorSeq).padStart(12, '0')}.json`;

/** Each case's latest anchored head, rewritten by every anchor that names the case: the case view reads it. */
export const anchoredHeadKey = (caseId: string) => `heads/${encodeURIComponent(caseId)}.json`;
