/**
 * Where audit anchors are kept, outside the table. On AWS an S3 bucket with Object Lock in compliance
 * mode: no one, the account's root included, can delete or overwrite a stored version before its
 * retention ends. Locally an append-only file under the data folder (`audit-anchors.jsonl`).
 */
import { anchoredHeadKey, anchorKey } from '#shared/adapters/anchor-keys';
import { fileAnchorLedgerOf } from '#shared/adapters/file-anchor-ledger';
import { S3Bucket, s3Client } from '#shared/adapters/s3-bucket';
import type { AuditAnchor } from '#shared/domain/audit-anchor';
import type { AnchorLedger } from '#shared/ports/anchors';

const inWindows = async <T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>) => {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
};

export class S3AnchorLedger implements AnchorLedger {
  constructor(private readonly bucket: S3Bucket) {}

  private async read(key: string): Promise<AuditAnchor | undefined> {
    const text = await this.bucket.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as AuditAnchor);
  }

  async latest(): Promise<AuditAnchor | undefined> {
    const [key] = await this.bucket.list('anchors/', 1);
    return key === undefined ? undefined : this.read(key);
  }

  async append(anchor: AuditAnchor): Promise<boolean> {
    // Conditional: two runs that read the same latest anchor cannot both write the next one.
    if (
      !(await this.bucket.put(anchorKey(anchor.anchorSeq), JSON.stringify(anchor), { onlyIfAbsent: true }))
    ) {
      return false;
    }
    await inWindows(anchor.heads, 16, (head) =>
      this.bucket.put(anchoredHeadKey(head.caseId), JSON.stringify({ ...head, anchorSeq: anchor.anchorSeq })),
    );
    return true;
  }

  async all(): Promise<AuditAnchor[]> {
    const keys = await this.bucket.list('anchors/');
    const anchors = await inWindows(keys, 16, (key) => this.read(key));
    return anchors.flatMap((anchor) => anchor ?? []).sort((a, b) => a.anchorSeq - b.anchorSeq);
  }
}

/** The bucket on AWS, the local file otherwise. */
export const anchorLedgerFor = (config: {
  AUDIT_ANCHORS_BUCKET?: string | undefined;
  LOCAL_AUDIT_ANCHORS_FILE?: string | undefined;
}): AnchorLedger =>
  config.AUDIT_ANCHORS_BUCKET
    ? new S3AnchorLedger(new S3Bucket(s3Client, config.AUDIT_ANCHORS_BUCKET))
    : fileAnchorLedgerOf(config.LOCAL_AUDIT_ANCHORS_FILE ?? '');
