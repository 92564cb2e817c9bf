/**
 * The local runtime's audit anchors: an append-only file under the data folder
 * (`audit-anchors.jsonl`), only ever read or appended to (after cutting off a line a kill left short).
 *
 * The file gains a line every 15 minutes for as long as the runtime runs, and the case view asks it
 * for one case's head per request: each ledger remembers the latest head of every case and how far
 * it has read, and reads only what was appended since (all of it again when the file was replaced).
 */
import { appendFile, type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import type { AnchoredHead, AuditAnchor } from '#shared/domain/audit-anchor';
import type { AnchoredHeads, AnchorLedger } from '#shared/ports/anchors';

/**
 * One anchor per line. A line that an earlier version appended to a line a kill had cut short holds
 * the whole anchor after the cut one: its last `{"anchorSeq":`.
 */
const parseAnchorLine = (line: string): AuditAnchor => {
  try {
    return JSON.parse(line) as AuditAnchor;
  } catch (error) {
    const whole = line.lastIndexOf('{"anchorSeq":');
    if (whole <= 0) throw error;
    return JSON.parse(line.slice(whole)) as AuditAnchor;
  }
};

/** What this ledger has read of the file: its whole lines up to `bytes`. */
interface ReadSoFar {
  /** The file's inode: another one means the file was replaced, and is read from the start. */
  inode: number;
  bytes: number;
  /** The file's size when last read: beyond `bytes`, a line a kill cut short. */
  size: number;
  latest?: AuditAnchor;
  heads: Map<string, AnchoredHead>;
}

const nothingRead = (inode = -1): ReadSoFar => ({ inode, bytes: 0, size: 0, heads: new Map() });

/** Bytes read at a time: a year of anchors is read in pieces, not held whole. */
const chunkBytes = 4 * 1024 * 1024;

export class FileAnchorLedger implements AnchorLedger, AnchoredHeads {
  private read: ReadSoFar = nothingRead();
  /** Reads one after another, each from where the one before stopped. */
  private reading: Promise<ReadSoFar> = Promise.resolve(this.read);

  constructor(private readonly file: string) {}

  /** Every anchor, in order, read from the start (the verifier's whole read). */
  async all(): Promise<AuditAnchor[]> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    // A last line without its newline was cut short by a kill, never answered.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    return whole.split('\n').filter(Boolean).map(parseAnchorLine);
  }

  async latest(): Promise<AuditAnchor | undefined> {
    return (await this.catchUp()).latest;
  }

  async append(anchor: AuditAnchor): Promise<boolean> {
    const { latest, bytes, size } = await this.catchUp();
    if ((latest?.anchorSeq ?? 0) + 1 !== anchor.anchorSeq) return false;
    // The next line must not be glued to a line a kill cut short.
    if (bytes < size) await truncate(this.file, bytes);
    await appendFile(this.file, `${JSON.stringify(anchor)}\n`, { flag: 'a', mode: 0o600 });
    return true;
  }

  async latestHeadOf(caseId: string): Promise<AnchoredHead | undefined> {
    const head = (await this.catchUp()).heads.get(caseId);
    return head && { ...head };
  }

  private catchUp(): Promise<ReadSoFar> {
    this.reading = this.reading.then(
      () => this.readAppended(),
      () => this.readAppended(),
    );
    return this.reading;
  }

  private async readAppended(): Promise<ReadSoFar> {
    let handle: FileHandle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.read = nothingRead();
      return this.read;
    }
    try {
      const { ino, size } = await handle.stat();
      if (ino !== this.read.inode || size < this.read.bytes) this.read = nothingRead(ino);
      const read = this.read;
      read.size = size;
      let chunk = Buffer.alloc(Math.min(chunkBytes, Math.max(size - read.bytes, 1)));
      while (read.bytes < size) {
        const { bytesRead } = await handle.read(
          chunk,
          0,
          Math.min(chunk.length, size - read.bytes),
          read.bytes,
        );
        const lineEnd = chunk.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
        if (lineEnd === 0) {
          // No whole line in this piece: the rest of the file is a line cut short, or one longer than it.
          if (read.bytes + bytesRead >= size) break;
          chunk = Buffer.alloc(chunk.length * 2);
          continue;
        }
        for (const line of chunk.subarray(0, lineEnd).toString('utf8').split('\n')) {
          if (line) this.remember(parseAnchorLine(line));
        }
        read.bytes += lineEnd;
      }
      return read;
    } finally {
      await handle.close();
    }
  }

  private remember(anchor: AuditAnchor): void {
    this.read.latest = anchor;
    for (const head of anchor.heads)
      this.read.heads.set(head.caseId, { ...head, anchorSeq: anchor.anchorSeq });
  }
}
