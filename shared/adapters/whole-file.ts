/**
 * Files of the local runtime's data folder that are rewritten (checkpoints, secrets, queue messages,
 * the outbox, s3rver's objects) are written under a temporary name beside them and renamed into
 * place: a rename is atomic, so a process killed mid-write leaves the old file or the new one, never
 * half of one. Readers skip the temporary names (`.…partial`). Nothing is fsync'ed: files outlive a
 * killed process, not a power cut.
 */
import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const partialSuffix = '.partial';

/** A temporary name beside `file`, hidden and never taken for it. */
export const partialFileOf = (file: string) =>
  join(dirname(file), `.${basename(file)}.${randomUUID()}${partialSuffix}`);

export const writeWholeFile = async (file: string, data: string, options: { mode?: number } = {}) => {
  const partial = partialFileOf(file);
  try {
    await writeFile(partial, data, options);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
};
