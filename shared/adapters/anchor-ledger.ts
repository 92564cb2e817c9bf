/**
 * Where audit anchors are kept, outside the table. On AWS an S3 bucket with Object Lock in compliance
 * mode: no one, the account's root included, can delete or overwrite a stored version before its
 * retention ends. Locally an append-only file under the data folder (`audit-anchors.jsonl`).
 */
import { appendFile, readFile } from 'node:fs/promises';
import { S3Bucket, s3Client } from '#shared/adapters/s3-bucket';
import type { AnchoredHead, AuditAnchor } from '#shared/domain/audit-anchor';
import type { AnchorLedger } from '#shared/ports/anchors';

const headOf = (anchor: AuditAnchor, caseId: string): AnchoredHead | undefined => {
  const head = anchor.heads.find((candidate) => candidate.caseId === caseId);
  return head && { ...head, anchorSeq: anchor.anchorSeq };
};

/** One anchor per line, appended; the file is only ever opened to append or to read. */
export class FileAnchorLedger implements AnchorLedger {
  constructor(private readonly file: string) {}

  async all(): Promise<AuditAnchor[]> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditAnchor);
  }

  async latest(): Promise<AuditAnchor | undefined> {
    return (await this.all()).at(-1);
  }

  async append(anchor: AuditAnchor): Promise<boolean> {
    if (((await this.latest())?.anchorSeq ?? 0) + 1 !== anchor.anchorSeq) return false;
    await appendFile(this.file, `${JSON.stringify(anchor)}\n`, { flag: 'a', mode: 0o600 });
    return true;
  }

  async latestHeadOf(caseId: string): Promise<AnchoredHead | undefined> {
    const anchors = await this.all();
    for (let i = anchors.length - 1; i >= 0; i--) {
      const head = headOf(anchors[i] as AuditAnchor, caseId);
      if (head) return head;
    }
    return undefined;
  }
}

const newestFirst = 999_999_999_999;
/**
 * Anchors are keyed newest first (S3 lists keys in ascending order), so the latest is the first key
 * listed. Each case's latest anchored head is also kept at `heads/<caseId>.json`, for the case view.
 */
const anchorKey = (anchorSeq: number) => `anchors/${String(newestFirst - anchorSeq).padStart(12, '0')}.json`;
const headKey = (caseId: string) => `heads/${encodeURIComponent(caseId)}.json`;

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
      this.bucket.put(headKey(head.caseId), JSON.stringify({ ...head, anchorSeq: anchor.anchorSeq })),
    );
    return true;
  }

  async all(): Promise<AuditAnchor[]> {
    const keys = await this.bucket.list('anchors/');
    const anchors = await inWindows(keys, 16, (key) => this.read(key));
    return anchors.flatMap((anchor) => anchor ?? []).sort((a, b) => a.anchorSeq - b.anchorSeq);
  }

  async latestHeadOf(caseId: string): Promise<AnchoredHead | undefined> {
    const text = await this.bucket.get(headKey(caseId));
    return text === undefined ? undefined : (JSON.parse(text) as AnchoredHead);
  }
}

/** The bucket on AWS, the local file otherwise. */
export const anchorLedgerFor = (config: {
  AUDIT_ANCHORS_BUCKET?: string | undefined;
  LOCAL_AUDIT_ANCHORS_FILE?: string | undefined;
}): AnchorLedger =>
  config.AUDIT_ANCHORS_BUCKET
    ? new S3AnchorLedger(new S3Bucket(s3Client, config.AUDIT_ANCHORS_BUCKET))
    : new FileAnchorLedger(config.LOCAL_AUDIT_ANCHORS_FILE ?? '');
