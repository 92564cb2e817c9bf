/**
 * s3rver writes an object's file, its MD5 and its metadata where they are read, and answers once the
 * copy into the file was started rather than finished. A runtime killed mid-upload then left a
 * truncated file the bucket served as the whole object, or a truncated metadata file that failed
 * every listing of its folder, the one the runtime makes as it starts included: it could not start
 * again (test/reliability/object-storage-durability.test.ts). Here each file is written whole under
 * a temporary name and renamed into place (a rename is atomic), the metadata before the object's
 * file, so a new object appears only once everything it needs is there, and the upload is answered
 * only after that. Files outlive a killed process; nothing is fsync'ed, so a power cut is beyond this.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type S3rver from 's3rver';
import S3Object from 's3rver/lib/models/object.js';
import { partialFileOf, partialSuffix, writeWholeFile } from '#shared/adapters/whole-file';

const metadataSuffix = '._S3rver_metadata.json';

const kept = new Set<string>(S3Object.ALLOWED_METADATA);
/** The metadata s3rver keeps: S3's standard headers and the user's `x-amz-meta-*`. */
const storedMetadata = (metadata: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(metadata).filter(([name]) => kept.has(name) || name.startsWith('x-amz-meta-')),
  );

/** Replaces the store's writes of objects and metadata with whole-file writes. */
export const writeObjectsWhole = (files: S3rver['store']): void => {
  files.putMetadata = async (bucket, key, metadata, md5) => {
    if (md5) await writeWholeFile(files.getResourcePath(bucket, key, 'object.md5'), md5);
    await writeWholeFile(
      files.getResourcePath(bucket, key, 'metadata.json'),
      JSON.stringify(storedMetadata(metadata), null, 2),
    );
  };
  files.putObject = async (object) => {
    const file = files.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(file), { recursive: true });
    const partial = partialFileOf(file);
    const md5 = createHash('md5');
    let size = 0;
    try {
      await pipeline(
        Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            md5.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
      const digest = md5.digest('hex');
      await files.putMetadata(object.bucket, object.key, object.metadata, digest);
      await rename(partial, file);
      return { size, md5: digest };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  };
};

/**
 * Removes what a killed runtime left unfinished in the bucket's folder: temporary files, and objects
 * whose metadata an earlier runtime (writing in place) left truncated. Neither was ever answered.
 * Answers how many objects it removed.
 */
export const removeUnfinishedWrites = async (bucketDirectory: string): Promise<number> => {
  const entries = await readdir(bucketDirectory, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    if (entry.name.endsWith(partialSuffix)) {
      await rm(file, { force: true });
    } else if (entry.name.endsWith(metadataSuffix)) {
      try {
        JSON.parse(await readFile(file, 'utf8'));
      } catch {
        const object = `${file.slice(0, -metadataSuffix.length)}._S3rver_object`;
        await Promise.all([object, `${object}.md5`, file].map((path) => rm(path, { force: true })));
        removed += 1;
      }
    }
  }
  return removed;
};
