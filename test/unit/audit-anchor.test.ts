import { appendFile, mkdtemp, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorLedgerFor } from '#shared/adapters/anchor-ledger';
import { anchoredHeadsFor } from '#shared/adapters/anchored-heads';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { FileAnchorLedger } from '#shared/adapters/file-anchor-ledger';
import { anchorChainHeads } from '#shared/audit-anchors/anchor-chain-heads';
import type { UnanchoredChains } from '#shared/audit-anchors/ports';
import { type AuditAnchor, type ChainHead, sealAnchor, verifyAnchors } from '#shared/domain/audit-anchor';
import { genesisHash } from '#shared/domain/case-event';
import type { AnchorLedger } from '#shared/ports/anchors';

const seal = new LocalKeyAuditSeal(Buffer.alloc(32, 1).toString('base64'));
const otherKey = new LocalKeyAuditSeal(Buffer.alloc(32, 2).toString('base64'));
const head = (caseId: string, seq: number): ChainHead => ({ caseId, seq, link: `${seq}`.padStart(64, '0') });

const anchorsOf = async (count: number, key = seal): Promise<AuditAnchor[]> => {
  const anchors: AuditAnchor[] = [];
  for (let i = 1; i <= count; i++) {
    anchors.push(
      await sealAnchor(anchors.at(-1), [head(`case-${i}`, i)], `2026-11-28T0${i}:00:00.000Z`, key),
    );
  }
  return anchors;
};

describe('sealAnchor', () => {
  it('numbers anchors from 1 and chains each to the digest of the one before', async () => {
    const [first, second] = (await anchorsOf(2)) as [AuditAnchor, AuditAnchor];

    expect(first).toMatchObject({ anchorSeq: 1, previousDigest: genesisHash, link: 'hmac-sha256' });
    expect(second.anchorSeq).toBe(2);
    expect(second.previousDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(second.previousDigest).not.toBe(genesisHash);
  });

  it('lists the heads in case order, whatever order they came in', async () => {
    const anchor = await sealAnchor(
      undefined,
      [head('b', 1), head('a', 2)],
      '2026-11-28T00:00:00.000Z',
      seal,
    );

    expect(anchor.heads.map((h) => h.caseId)).toEqual(['a', 'b']);
  });
});

describe('verifyAnchors', () => {
  it('accepts an intact anchor chain', async () => {
    expect(await verifyAnchors(await anchorsOf(3), seal)).toEqual({ intact: true, anchors: 3 });
  });

  it('names an anchor whose heads were changed', async () => {
    const [first, second, third] = (await anchorsOf(3)) as [AuditAnchor, AuditAnchor, AuditAnchor];

    const verdict = await verifyAnchors([first, { ...second, heads: [head('case-2', 1)] }, third], seal);

    expect(verdict).toEqual({ intact: false, brokenAtAnchor: 2, reason: 'anchor altered' });
  });

  it('names a missing anchor', async () => {
    const [first, , third] = (await anchorsOf(3)) as [AuditAnchor, AuditAnchor, AuditAnchor];

    expect(await verifyAnchors([first, third], seal)).toEqual({
      intact: false,
      brokenAtAnchor: 2,
      reason: 'anchor missing',
    });
  });

  it('refuses anchors MAC’ed with another key', async () => {
    expect(await verifyAnchors(await anchorsOf(2, otherKey), seal)).toEqual({
      intact: false,
      brokenAtAnchor: 1,
      reason: 'anchor altered',
    });
  });

  it('refuses an anchor that names another anchor before it', async () => {
    const [first] = (await anchorsOf(1)) as [AuditAnchor];
    const otherFirst = await sealAnchor(undefined, [head('x', 1)], '2026-11-28T05:00:00.000Z', seal);
    const fork = await sealAnchor(otherFirst, [head('y', 1)], '2026-11-28T06:00:00.000Z', seal);

    const verdict = await verifyAnchors([first, fork], seal);

    expect(verdict).toEqual({ intact: false, brokenAtAnchor: 2, reason: 'anchor chain broken' });
  });
});

/** The table's markers, in memory: heads listed, and forgotten only while unchanged. */
const markersOf = (heads: ChainHead[]): UnanchoredChains & { current: ChainHead[] } => {
  const markers = {
    current: [...heads],
    list: async () => [...markers.current],
    markAnchored: async (anchored: readonly ChainHead[]) => {
      markers.current = markers.current.filter(
        (marker) => !anchored.some((a) => a.caseId === marker.caseId && a.seq === marker.seq),
      );
    },
  };
  return markers;
};

/** An anchor as the ledger file holds it: one line. */
const line = (anchor: AuditAnchor) => `${JSON.stringify(anchor)}\n`;

const fileLedger = async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'audit-anchors-')), 'audit-anchors.jsonl');
  return { file, ledger: new FileAnchorLedger(file) };
};

describe('anchorChainHeads', () => {
  it('anchors the advanced chains, appends one line to the ledger and forgets their markers', async () => {
    // Arrange
    const { file, ledger } = await fileLedger();
    const chains = markersOf([head('case-a', 3), head('case-b', 1)]);

    // Act
    const result = await anchorChainHeads({ chains, ledger, seal });

    // Assert
    expect(result).toEqual({ anchorSeq: 1, heads: 2 });
    expect(chains.current).toEqual([]);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(await verifyAnchors(await ledger.all(), seal)).toEqual({ intact: true, anchors: 1 });
    expect(await ledger.latestHeadOf('case-a')).toEqual({ ...head('case-a', 3), anchorSeq: 1 });
  });

  it('keeps the ledger file private to its owner', async () => {
    const { file, ledger } = await fileLedger();

    await anchorChainHeads({ chains: markersOf([head('case-a', 1)]), ledger, seal });

    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('chains a second anchor to the first, and writes nothing when no chain advanced', async () => {
    const { ledger } = await fileLedger();
    await anchorChainHeads({ chains: markersOf([head('case-a', 1)]), ledger, seal });

    const nothing = await anchorChainHeads({ chains: markersOf([]), ledger, seal });
    const second = await anchorChainHeads({ chains: markersOf([head('case-a', 2)]), ledger, seal });

    expect(nothing).toEqual({ heads: 0 });
    expect(second).toEqual({ anchorSeq: 2, heads: 1 });
    expect(await verifyAnchors(await ledger.all(), seal)).toEqual({ intact: true, anchors: 2 });
    expect(await ledger.latestHeadOf('case-a')).toEqual({ ...head('case-a', 2), anchorSeq: 2 });
  });

  it('keeps the markers when another run took the anchor’s place first', async () => {
    const { ledger } = await fileLedger();
    const losing: AnchorLedger = {
      latest: () => ledger.latest(),
      append: async () => false,
      all: () => ledger.all(),
    };
    const chains = markersOf([head('case-a', 1)]);

    const result = await anchorChainHeads({ chains, ledger: losing, seal });

    expect(result).toEqual({ heads: 0 });
    expect(chains.current).toEqual([head('case-a', 1)]);
  });
});

describe('FileAnchorLedger after a kill cut its last line short', () => {
  it('reads the whole anchors, and appends the next one on a line of its own', async () => {
    // Arrange: one anchor, then half of the next line, as a kill mid-append leaves them
    const { file, ledger } = await fileLedger();
    await anchorChainHeads({ chains: markersOf([head('case-a', 1)]), ledger, seal });
    await appendFile(file, '{"anchorSeq":2,"heads":[{"caseI');

    // Act
    const before = await ledger.all();
    const second = await anchorChainHeads({ chains: markersOf([head('case-a', 2)]), ledger, seal });

    // Assert
    expect(before.map((anchor) => anchor.anchorSeq)).toEqual([1]);
    expect(second).toEqual({ anchorSeq: 2, heads: 1 });
    expect(await verifyAnchors(await ledger.all(), seal)).toEqual({ intact: true, anchors: 2 });
    expect(await ledger.latestHeadOf('case-a')).toEqual({ ...head('case-a', 2), anchorSeq: 2 });
  });

  it('reads a line an earlier version glued to a line cut short as the whole anchor it ends with', async () => {
    // Arrange: anchor 1, half of anchor 2, then the whole anchor 2 on the same line
    const { file, ledger } = await fileLedger();
    const [first, second] = (await anchorsOf(2)) as [AuditAnchor, AuditAnchor];
    await writeFile(file, `${line(first)}${line(second).slice(0, 40)}${line(second)}`);

    // Act
    const anchors = await ledger.all();
    const latestHead = await ledger.latestHeadOf('case-2');

    // Assert
    expect(anchors.map((anchor) => anchor.anchorSeq)).toEqual([1, 2]);
    expect(await verifyAnchors(anchors, seal)).toEqual({ intact: true, anchors: 2 });
    expect(latestHead).toEqual({ ...head('case-2', 2), anchorSeq: 2 });
  });
});

describe('FileAnchorLedger read again and again by a running case view', () => {
  it('sees the anchors another ledger appends to the file after its first read', async () => {
    // Arrange
    const { file, ledger: reader } = await fileLedger();
    const writer = new FileAnchorLedger(file);
    await anchorChainHeads({ chains: markersOf([head('case-a', 1)]), ledger: writer, seal });
    const before = await reader.latestHeadOf('case-a');

    // Act
    await anchorChainHeads({
      chains: markersOf([head('case-a', 5), head('case-b', 1)]),
      ledger: writer,
      seal,
    });

    // Assert
    expect(before).toEqual({ ...head('case-a', 1), anchorSeq: 1 });
    expect(await reader.latestHeadOf('case-a')).toEqual({ ...head('case-a', 5), anchorSeq: 2 });
    expect(await reader.latestHeadOf('case-b')).toEqual({ ...head('case-b', 1), anchorSeq: 2 });
    expect((await reader.latest())?.anchorSeq).toBe(2);
  });

  it('reads a line still being written once it is whole', async () => {
    // Arrange: anchor 1 read; half of anchor 2 on disk
    const { file, ledger } = await fileLedger();
    const [first, second] = (await anchorsOf(2)) as [AuditAnchor, AuditAnchor];
    await writeFile(file, line(first));
    await ledger.latestHeadOf('case-1');
    await appendFile(file, line(second).slice(0, 40));
    const whileHalf = await ledger.latestHeadOf('case-2');

    // Act
    await appendFile(file, line(second).slice(40));

    // Assert
    expect(whileHalf).toBeUndefined();
    expect(await ledger.latestHeadOf('case-2')).toEqual({ ...head('case-2', 2), anchorSeq: 2 });
  });

  it('reads the file from the start again when another file took its place', async () => {
    // Arrange: two anchors read; then a new file of one other anchor moved into place
    const { file, ledger } = await fileLedger();
    const anchors = await anchorsOf(2);
    await writeFile(file, anchors.map(line).join(''));
    await ledger.latestHeadOf('case-1');
    // Longer than the file it replaces, so only its being another file tells them apart.
    const heads = Array.from({ length: 50 }, (_, n) => head(`case-z${n}`, 7));
    const other = await sealAnchor(undefined, heads, '2026-11-29T00:00:00.000Z', seal);
    await writeFile(`${file}.new`, line(other));
    await rename(`${file}.new`, file);

    // Act
    const replaced = await ledger.latestHeadOf('case-z0');
    const gone = await ledger.latestHeadOf('case-1');

    // Assert
    expect(replaced).toEqual({ ...head('case-z0', 7), anchorSeq: 1 });
    expect(gone).toBeUndefined();
  });

  it('reads the file from the start again when it was cut shorter than what was read', async () => {
    // Arrange: three anchors read; then the file rewritten in place with one anchor of another case
    const { file, ledger } = await fileLedger();
    await writeFile(file, (await anchorsOf(3)).map(line).join(''));
    await ledger.latestHeadOf('case-3');
    const other = await sealAnchor(undefined, [head('case-y', 4)], '2026-11-29T00:00:00.000Z', seal);
    await writeFile(file, line(other));

    // Act
    const kept = await ledger.latestHeadOf('case-3');
    const now = await ledger.latestHeadOf('case-y');

    // Assert
    expect(kept).toBeUndefined();
    expect(now).toEqual({ ...head('case-y', 4), anchorSeq: 1 });
  });

  it('reads the file from the start again when a longer one was copied over it', async () => {
    // Arrange: two anchors read; then, in the same file, anchors of other cases with more heads each
    const { file, ledger } = await fileLedger();
    await writeFile(file, (await anchorsOf(2)).map(line).join(''));
    await ledger.latestHeadOf('case-1');
    const copied = await sealAnchor(
      undefined,
      Array.from({ length: 40 }, (_, n) => head(`case-w${n}`, 3)),
      '2026-11-29T00:00:00.000Z',
      seal,
    );
    const inode = (await stat(file)).ino;
    await writeFile(file, line(copied));

    // Act
    const read = await ledger.latestHeadOf('case-w39');

    // Assert
    expect((await stat(file)).ino).toBe(inode);
    expect(read).toEqual({ ...head('case-w39', 3), anchorSeq: 1 });
    expect(await ledger.latestHeadOf('case-1')).toBeUndefined();
  });

  it('answers again once a file it could not read was put right', async () => {
    // Arrange: a file whose only line is not an anchor
    const { file, ledger } = await fileLedger();
    await writeFile(file, 'not an anchor\n');
    const refused = ledger.latestHeadOf('case-1');
    await expect(refused).rejects.toThrow(SyntaxError);

    // Act
    await writeFile(file, (await anchorsOf(1)).map(line).join(''));

    // Assert
    expect(await ledger.latestHeadOf('case-1')).toEqual({ ...head('case-1', 1), anchorSeq: 1 });
  });

  it('reads lines that straddle one read and the next', async () => {
    // Arrange: 5,000 anchors of 8 heads (about 6 MB, so lines cross the 4 MiB read)
    const { file, ledger } = await fileLedger();
    const lines: string[] = [];
    let previous: AuditAnchor | undefined;
    for (let n = 0; n < 5_000; n++) {
      const heads = Array.from({ length: 8 }, (_, h) => head(`case-${n}-${h}`, n + 1));
      previous = await sealAnchor(previous, heads, '2026-11-29T00:00:00.000Z', seal);
      lines.push(line(previous));
    }
    await writeFile(file, lines.join(''));

    // Act
    const found = await Promise.all(
      [0, 2_500, 3_600, 3_700, 4_999].map((n) => ledger.latestHeadOf(`case-${n}-7`)),
    );

    // Assert
    expect((await stat(file)).size).toBeGreaterThan(4 * 1024 * 1024);
    expect(found.map((anchored) => anchored?.anchorSeq)).toEqual([1, 2_501, 3_601, 3_701, 5_000]);
    expect((await ledger.all()).length).toBe(5_000);
  });

  it('gives out the latest anchor as a copy, so a caller changing it changes nothing kept', async () => {
    // Arrange
    const { file, ledger } = await fileLedger();
    await writeFile(file, (await anchorsOf(2)).map(line).join(''));
    const given = await ledger.latest();

    // Act
    given?.heads.splice(0);

    // Assert
    expect((await ledger.latest())?.heads).toEqual([head('case-2', 2)]);
  });

  it('reads a line longer than a read at a time', async () => {
    // Arrange: one anchor of 60,000 heads (about 6 MB, more than the 4 MiB read at once)
    const { file, ledger } = await fileLedger();
    const heads = Array.from({ length: 60_000 }, (_, n) => head(`case-${n}`, n + 1));
    const anchor = await sealAnchor(undefined, heads, '2026-11-29T00:00:00.000Z', seal);
    await writeFile(file, line(anchor));

    // Act
    const last = await ledger.latestHeadOf('case-59999');

    // Assert
    expect((await stat(file)).size).toBeGreaterThan(4 * 1024 * 1024);
    expect(last).toEqual({ ...head('case-59999', 60_000), anchorSeq: 1 });
  });

  it('answers reads made at once while anchors are appended, each at least as new as the one before it', async () => {
    // Arrange
    const { file, ledger: reader } = await fileLedger();
    const writer = new FileAnchorLedger(file);

    // Act
    const seen: (number | undefined)[] = [];
    for (let seq = 1; seq <= 20; seq++) {
      const reads = Array.from({ length: 5 }, () => reader.latestHeadOf('case-a'));
      await anchorChainHeads({ chains: markersOf([head('case-a', seq)]), ledger: writer, seal });
      for (const read of await Promise.all(reads)) seen.push(read?.seq);
    }

    // Assert
    const known = seen.map((seq) => seq ?? 0);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect((await reader.latestHeadOf('case-a'))?.seq).toBe(20);
  });
});

describe('the local runtime’s anchor ledgers', () => {
  it('are one ledger per file, shared by the anchorer and the case views, so the file is read once', async () => {
    // Arrange
    const { file } = await fileLedger();
    const other = join(await mkdtemp(join(tmpdir(), 'audit-anchors-')), 'audit-anchors.jsonl');

    // Act
    const anchorer = anchorLedgerFor({ LOCAL_AUDIT_ANCHORS_FILE: file });
    const caseView = anchoredHeadsFor({ LOCAL_AUDIT_ANCHORS_FILE: file });

    // Assert
    expect(caseView).toBe(anchorer);
    expect(anchoredHeadsFor({ LOCAL_AUDIT_ANCHORS_FILE: other })).not.toBe(anchorer);
  });
});
