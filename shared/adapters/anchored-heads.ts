/**
 * The case view's read of the audit anchors: one case's latest anchored head. On AWS one signed GET
 * of the head the anchorer keeps for the case in the Object Lock bucket (not through the S3 client:
 * see `S3ObjectReader`); locally the anchor file.
 */
import { anchoredHeadKey } from '#shared/adapters/anchor-keys';
import { fileAnchorLedgerOf } from '#shared/adapters/file-anchor-ledger';
import { S3ObjectReader } from '#shared/adapters/s3-object-reader';
import type { AnchoredHead } from '#shared/domain/audit-anchor';
import type { AnchoredHeads } from '#shared/ports/anchors';

export class S3AnchoredHeads implements AnchoredHeads {
  constructor(private readonly objects: Pick<S3ObjectReader, 'get'>) {}

  async latestHeadOf(caseId: string): Promise<AnchoredHead | undefined> {
    const text = await this.objects.get(anchoredHeadKey(caseId));
    return text === undefined ? undefined : (JSON.parse(text) as AnchoredHead);
  }
}

/** The bucket on AWS, the local file otherwise. */
export const anchoredHeadsFor = (config: {
  AUDIT_ANCHORS_BUCKET?: string | undefined;
  LOCAL_AUDIT_ANCHORS_FILE?: string | undefined;
}): AnchoredHeads =>
  config.AUDIT_ANCHORS_BUCKET
    ? new S3AnchoredHeads(new S3ObjectReader({ bucket: config.AUDIT_ANCHORS_BUCKET }))
    : fileAnchorLedgerOf(config.LOCAL_AUDIT_ANCHORS_FILE ?? '');
