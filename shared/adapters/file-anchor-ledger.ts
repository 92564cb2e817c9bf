/**
 * The local runtime's audit anchors: an append-only file under the data folder
 * (`audit-anchors.jsonl`), only ever read or appended to (after cutting off a line a kill left short).
 *
 * The file gains a line every 15 minutes for as long as the runtime runs, and the case view asks it
 * for one case's head per request: each ledger remembers the latest head of every case and how far
 * it has read, and reads only what was appended since (all of it again when the file was replaced or
 * rewritten).
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
  /** The read waiting for its turn, which callers arriving meanwhile share: it starts after they asked. */
  private queued: Promise<ReadSoFar> | undefined;

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
    const { latest } = await this.catchUp();
    return latest && structuredClone(latest);
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
    if (!this.queued) {
      const start = () => {
        this.queued = undefined;
        return this.readAppended();
      };
      this.queued = this.reading.then(start, start);
      this.reading = this.queued;
    }
    return this.queued;
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
      if (ino !== this.read.inode || !(await this.stillEndsWhereRead(handle, size))) {
        this.read = nothingRead(ino);
      }
      const resumedAt = this.read.bytes;
      try {
        return await this.readLines(handle, size);
      } catch (error) {
        // Rewritten in place since the last read (a backup copied over it): once more from the start.
        if (!(error instanceof SyntaxError) || resumedAt === 0) throw error;
        this.read = nothingRead(ino);
        return await this.readLines(handle, size);
      }
    } finally {
      await handle.close();
    }
  }

  /** Whether the file still holds what was read: at least as long, a line's end where reading stopped. */
  private async stillEndsWhereRead(handle: FileHandle, size: number): Promise<boolean> {
    if (this.read.bytes === 0) return true;
    if (size < this.read.bytes) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, this.read.bytes - 1);
    return last[0] === 0x0a;
  }

  private async readLines(handle: FileHandle, size: number): Promise<ReadSoFar> {
    const read = this.read;
    read.size = size;
    let chunk = Buffer.alloc(Math.min(chunkBytes, Math.max(size - read.bytes, 1)));
    while (read.bytes < size) {
      const wanted = Math.min(chunk.length, size - read.bytes);
      const { bytesRead } = await handle.read(chunk, 0, wanted, read.bytes);
      const lineEnd = chunk.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
      if (lineEnd === 0) {
        // What is left is a line cut short, or the file shrank meanwhile (the anchorer cut one off).
        if (bytesRead < wanted || read.bytes + bytesRead >= size) {
          read.size = read.bytes + bytesRead;
          break;
        }
        // A line longer than one read.
        chunk = Buffer.alloc(chunk.length * 2);
        continue;
      }
      for (const line of chunk.subarray(0, lineEnd).toString('utf8').split('\n')) {
        if (line) this.remember(parseAnchorLine(line));
      }
      read.bytes += lineEnd;
    }
    return read;
  }

  private remember(anchor: AuditAnchor): void {
    this.read.latest = anchor;
    for (const head of anchor.heads)
      this.read.heads.set(head.caseId, { ...head, anchorSeq: anchor.anchorSeq });
  }
}

const ledgersByFile = new Map<string, FileAnchorLedger>();

/**
 * The ledger of a file for this process: the local runtime's anchorer and its case views share one,
 * so the file is read, and every case's head kept, once rather than by each of them.
 */
export const fileAnchorLedgerOf = (file: string): FileAnchorLedger => {
  let ledger = ledgersByFile.get(file);
  if (!ledger) {
    ledger = new FileAnchorLedger(file);
    ledgersByFile.set(file, ledger);
  }
  return ledger;
};
