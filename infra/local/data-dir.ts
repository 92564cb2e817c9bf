/**
 * LOCAL_DATA_DIR holds the database with every complainant's sealed contact, the keys that open them
 * and sign tokens, and the workflow's bookkeeping: only the user running the runtime may read it.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';

export const privateDirectoryMode = 0o700;
export const privateFileMode = 0o600;

/**
 * Creates `dir` as 0700, or narrows an existing one that others may enter to 0700. Returns the mode it
 * had when it was narrowed, so the runtime can say so.
 */
export const ensurePrivateDirectory = async (dir: string): Promise<number | undefined> => {
  await mkdir(dir, { recursive: true, mode: privateDirectoryMode });
  const mode = (await stat(dir)).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  await chmod(dir, privateDirectoryMode);
  return mode;
};
