/**
 * The local runtime's audit anchors: an append-only file under the data folder
 * (`audit-anchors.jsonl`), only ever opened to append or to read.
 */
import { appendFile, readFile } from 'node:fs/promises';
import type { AnchoredHead, AuditAnchor } from '#shared/domain/audit-anchor';
import type { AnchoredHeads, AnchorLedger } from '#shared/ports/anchors';

const headOf = (anchor: AuditAnchor, caseId: string): AnchoredHead | undefined => {
  const head = anchor.heads.find((candidate) => candidate.caseId === caseId);
  return head && { ...head, anchorSeq: anchor.anchorSeq };
};

/** One anchor per line, appended. */
export class FileAnchorLedger implements AnchorLedger, AnchoredHeads {
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
