/**
 * The runtime's data folder holds sealed contacts and the keys that open them: it is made, or narrowed,
 * so only its user may enter it.
 */
import { chmod, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrivateDirectory } from '#infra/local/data-dir';

const modeOf = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

describe('ensurePrivateDirectory', () => {
  it('makes a missing folder 0700', async () => {
    // Arrange
    const dir = join(await mkdtemp(join(tmpdir(), 'campaign-data-dir-')), 'fresh', '.local');

    // Act
    const narrowedFrom = await ensurePrivateDirectory(dir);

    // Assert
    expect(await modeOf(dir)).toBe('700');
    expect(narrowedFrom).toBeUndefined();
  });

  it('narrows a folder others may enter to 0700 and says what it was', async () => {
    // Arrange
    const dir = join(await mkdtemp(join(tmpdir(), 'campaign-data-dir-')), '.local');
    await mkdir(dir);
    await chmod(dir, 0o755);

    // Act
    const narrowedFrom = await ensurePrivateDirectory(dir);

    // Assert
    expect(await modeOf(dir)).toBe('700');
    expect(narrowedFrom?.toString(8)).toBe('755');
  });

  it('leaves a folder that is private already as it is', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'campaign-data-dir-'));
    await chmod(dir, 0o700);

    // Act
    const narrowedFrom = await ensurePrivateDirectory(dir);

    // Assert
    expect(await modeOf(dir)).toBe('700');
    expect(narrowedFrom).toBeUndefined();
  });
});
