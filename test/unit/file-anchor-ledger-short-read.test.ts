/**
 * FileAnchorLedger when the file shrinks between its size and its read: the anchorer cut off a line a
 * kill had left short while a case view was reading. `open` is wrapped so its handle reports a size
 * 100 bytes past the file's end, as the size read just before such a cut.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { FileAnchorLedger } from '#shared/adapters/file-anchor-ledger';
import { sealAnchor } from '#shared/domain/audit-anchor';

vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...original,
    open: async (...args: Parameters<typeof original.open>) => {
      const handle = await original.open(...args);
      const stat = handle.stat.bind(handle);
      return Object.assign(handle, {
        stat: async () => Object.assign(await stat(), { size: (await stat()).size + 100 }),
      });
    },
  };
});

describe('FileAnchorLedger reading a file cut shorter after its size was read', () => {
  it('reads the whole lines there are and stops at the end', async () => {
    // Arrange
    const file = join(await mkdtemp(join(tmpdir(), 'audit-anchors-')), 'audit-anchors.jsonl');
    const seal = new LocalKeyAuditSeal(Buffer.alloc(32, 1).toString('base64'));
    const head = { caseId: 'case-a', seq: 1, link: '0'.repeat(64) };
    await writeFile(
      file,
      `${JSON.stringify(await sealAnchor(undefined, [head], '2026-11-29T00:00:00.000Z', seal))}\n`,
    );

    // Act
    const anchored = await new FileAnchorLedger(file).latestHeadOf('case-a');

    // Assert
    expect(anchored).toEqual({ ...head, anchorSeq: 1 });
  });
});
