/**
 * Files of the local runtime's data folder that are rewritten (checkpoints, secrets, queue messages,
 * the outbox, the kept task tokens, s3rver's objects) are written under a temporary name and renamed
 * into place: a rename is atomic, so a process killed mid-write leaves the old file or the new one,
 * never half of one. Temporary names are hidden and end in `.partial`; readers skip them and the
 * runtime removes those a kill left (`removePartialFiles`). Nothing is fsync'ed: files outlive a
 * killed process, not a power cut.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const partialSuffix = '.partial';

/** A temporary name for `file`, hidden, beside it unless another folder (on the same disk) is given. */
export const partialFileOf = (file: string, folder = dirname(file)) =>
  join(folder, `.${basename(file)}.${randomUUID()}${partialSuffix}`);

export const writeWholeFile = async (
  file: string,
  data: string,
  options: { mode?: number; partialIn?: string } = {},
) => {
  const partial = partialFileOf(file, options.partialIn);
  try {
    await writeFile(partial, data, options.mode === undefined ? {} : { mode: options.mode });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
};

/** The paths of every file under `folder`, at any depth; none when the folder does not exist. */
export const filesUnder = async (folder: string): Promise<string[]> => {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
};

/** Removes the temporary files a killed process left under `folder`; answers how many. */
export const removePartialFiles = async (folder: string): Promise<number> => {
  const partials = (await filesUnder(folder)).filter((file) => file.endsWith(partialSuffix));
  await Promise.all(partials.map((file) => rm(file, { force: true })));
  return partials.length;
};
