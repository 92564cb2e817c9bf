/**
 * The local runtime's audit anchors: an append-only file under the data folder
 * (`audit-anchors.jsonl`), only ever read or appended to (after cutting off a line a kill left short).
 */
import { appendFile, readFile, truncate } from 'node:fs/promises';
import type { AnchoredHead, AuditAnchor } from '#shared/domain/audit-anchor';
import type { AnchoredHeads, AnchorLedger } from '#shared/ports/anchors';

const headOf = (anchor: AuditAnchor, caseId: string): AnchoredHead | undefined => {
  const head = anchor.heads.find((candidate) => candidate.caseId === caseId);
  return head && { ...head, anchorSeq: anchor.anchorSeq };
};

/** One anchor per line, appended. */
export class FileAnchorLedger implements AnchorLedger, AnchoredHeads {
  constructor(private readonly file: string) {}

  /** The file's whole lines; a last line without its newline was cut short by a kill, never answered. */
  private async wholeLines(): Promise<{ lines: string[]; wholeBytes: number; bytes: number }> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    return {
      lines: whole.split('\n').filter(Boolean),
      wholeBytes: Buffer.byteLength(whole),
      bytes: Buffer.byteLength(text),
    };
  }

  async all(): Promise<AuditAnchor[]> {
    return (await this.wholeLines()).lines.map((line) => JSON.parse(line) as AuditAnchor);
  }

  async latest(): Promise<AuditAnchor | undefined> {
    return (await this.all()).at(-1);
  }

  async append(anchor: AuditAnchor): Promise<boolean> {
    const { lines, wholeBytes, bytes } = await this.wholeLines();
    const latest = lines.at(-1);
    if ((latest ? (JSON.parse(latest) as AuditAnchor).anchorSeq : 0) + 1 !== anchor.anchorSeq) return false;
    // The next line must not be glued to a line a kill cut short.
    if (wholeBytes < bytes) await truncate(this.file, wholeBytes);
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
