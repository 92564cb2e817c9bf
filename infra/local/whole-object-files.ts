/**
 * s3rver writes an object's file, its MD5 and its metadata where they are read, and answers once the
 * copy into the file was started rather than finished. A runtime killed mid-upload then left a
 * truncated file the bucket served as the whole object, or a truncated metadata file that failed
 * every listing of its folder, the one the runtime makes as it starts included: it could not start
 * again (test/reliability/object-storage-durability.test.ts). Here each file is written whole under
 * a temporary name outside the bucket's folders (s3rver's listing walks them and fails on a file that
 * vanishes under it) and renamed into place, the metadata before the object's
 * file: a new key appears only once everything it needs is there, and the upload is answered after
 * that. An overwrite of an existing key (a form posted again, a screening redelivered) switches the
 * metadata a moment before the bytes; both are whole.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type S3rver from 's3rver';
import S3Object from 's3rver/lib/models/object.js';
import { privateDirectoryMode, privateFileMode } from '#infra/local/data-dir';
import { filesUnder, partialFileOf, writeWholeFile } from '#shared/adapters/whole-file';

// s3rver's names for a key's files: `<last segment>._S3rver_<kind>`.
const objectSuffix = '._S3rver_object';
const metadataSuffix = '._S3rver_metadata.json';
const md5Suffix = '._S3rver_object.md5';

/**
 * Where the store's files are written before they are renamed into the bucket's folders: in the
 * store's own folder, where s3rver keeps buckets, under a name no bucket can have.
 */
export const unfinishedFolderOf = (storeDirectory: string) => join(storeDirectory, '.unfinished');

const kept = new Set<string>(S3Object.ALLOWED_METADATA);
/** The metadata s3rver keeps: S3's standard headers and the user's `x-amz-meta-*`. */
const storedMetadata = (metadata: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(metadata).filter(([name]) => kept.has(name) || name.startsWith('x-amz-meta-')),
  );

/** Replaces the store's writes of objects and metadata with whole-file writes. */
export const writeObjectsWhole = async (files: S3rver['store'], storeDirectory: string): Promise<void> => {
  const unfinished = unfinishedFolderOf(storeDirectory);
  await mkdir(unfinished, { recursive: true, mode: privateDirectoryMode });
  const written = { mode: privateFileMode, partialIn: unfinished };
  files.putMetadata = async (bucket, key, metadata, md5) => {
    if (md5) await writeWholeFile(files.getResourcePath(bucket, key, 'object.md5'), md5, written);
    await writeWholeFile(
      files.getResourcePath(bucket, key, 'metadata.json'),
      JSON.stringify(storedMetadata(metadata), null, 2),
      written,
    );
  };
  files.putObject = async (object) => {
    const file = files.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(file), { recursive: true, mode: privateDirectoryMode });
    const partial = partialFileOf(file, unfinished);
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
        createWriteStream(partial, { mode: privateFileMode }),
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

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * A file in the store's own folder, beside the buckets: s3rver takes only folders there for buckets
 * and no bucket's name starts with a dot. Its presence means a sweep has finished since this runtime
 * writes metadata whole.
 */
export const sweptMarkerOf = (storeDirectory: string) => join(storeDirectory, '.metadata-written-whole');

/**
 * Removes what a killed runtime left unfinished: its temporary files, and the keys it left
 * incomplete, an object without metadata or metadata without its object (whole metadata is renamed
 * into place before the object, so an answered key has both). A store without the marker
 * (`sweptMarkerOf`: a fresh one, or one an earlier runtime wrote in place, object, then MD5, then
 * metadata) also has each metadata file read, and a key whose metadata was cut short removed; the
 * marker is then written, and later starts only list the files. Answers how many keys it removed.
 */
export const removeUnfinishedWrites = async (storeDirectory: string): Promise<number> => {
  await rm(unfinishedFolderOf(storeDirectory), { recursive: true, force: true });
  const marker = sweptMarkerOf(storeDirectory);
  // Only a runtime writing in place cut metadata short; reading every file at every start took about
  // 2.5 s with 20,000 uploads.
  const metadataMayBeCutShort = !existsSync(marker);
  const names = new Set(await filesUnder(storeDirectory));
  const incomplete = new Set<string>();
  for (const name of names) {
    if (name.endsWith(objectSuffix)) {
      const base = name.slice(0, -objectSuffix.length);
      if (!names.has(`${base}${metadataSuffix}`)) incomplete.add(base);
    } else if (name.endsWith(metadataSuffix)) {
      const base = name.slice(0, -metadataSuffix.length);
      const whole = !metadataMayBeCutShort || (await readFile(name, 'utf8').then(isJson, () => false));
      if (!whole || !names.has(`${base}${objectSuffix}`)) incomplete.add(base);
    }
  }
  for (const base of incomplete) {
    await Promise.all(
      [objectSuffix, md5Suffix, metadataSuffix].map((suffix) => rm(`${base}${suffix}`, { force: true })),
    );
  }
  // Written once the cut-short keys are gone: a kill before it leaves the next start a full sweep.
  if (metadataMayBeCutShort) {
    await writeWholeFile(marker, 'Metadata here is written whole; the start no longer reads it.\n', {
      mode: privateFileMode,
    });
  }
  return incomplete.size;
};
