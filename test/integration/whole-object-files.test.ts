/**
 * s3rver's store with whole-file writes (`writeObjectsWhole`): nothing of an object reaches the
 * bucket's folders until all of it was received. s3rver's listing walks those folders and fails on a
 * file that vanishes while it walks, as a temporary file renamed away beside the object would.
 * The start's sweep (`removeUnfinishedWrites`) reads metadata only in a store an earlier runtime may
 * have written in place, one without the marker.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import S3rver from 's3rver';
import { afterAll, describe, expect, it } from 'vitest';
import { removeUnfinishedWrites, sweptMarkerOf, writeObjectsWhole } from '#infra/local/whole-object-files';
import { filesUnder } from '#shared/adapters/whole-file';

const bucket = 'evidence-whole';
const directory = await mkdtemp(join(tmpdir(), 'whole-object-files-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

const filesOf = async (folder: string) =>
  (await filesUnder(folder)).map((file) => file.slice(folder.length + 1)).sort();

describe('writeObjectsWhole', () => {
  it('puts nothing in the bucket until the object was received whole, then its three files', async () => {
    // Arrange
    const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
    await s3rver.configureBuckets();
    await writeObjectsWhole(s3rver.store, directory);
    const body = new PassThrough();
    const bucketFolder = join(directory, bucket);
    const before = await filesOf(bucketFolder);

    // Act: half of the body, a look at the bucket, then the rest
    const stored = s3rver.store.putObject({
      bucket,
      key: 'incoming/owner/file',
      metadata: {},
      content: body,
    });
    body.write('half of the ');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const midway = await filesOf(bucketFolder);
    body.end('file');
    const { size } = await stored;

    // Assert
    expect(midway).toEqual(before);
    expect(size).toBe('half of the file'.length);
    expect(await filesOf(bucketFolder)).toEqual([
      ...before,
      'incoming/owner/file._S3rver_metadata.json',
      'incoming/owner/file._S3rver_object',
      'incoming/owner/file._S3rver_object.md5',
    ]);
  });
});

/** Writes a key's files in a bucket folder of `store` as s3rver lays them out; answers their base. */
const givenKey = async (
  store: string,
  name: string,
  files: { object?: string; md5?: string; metadata?: string },
) => {
  const folder = join(store, bucket, 'incoming', 'owner');
  await mkdir(folder, { recursive: true });
  const base = join(folder, name);
  if (files.object !== undefined) await writeFile(`${base}._S3rver_object`, files.object);
  if (files.md5 !== undefined) await writeFile(`${base}._S3rver_object.md5`, files.md5);
  if (files.metadata !== undefined) await writeFile(`${base}._S3rver_metadata.json`, files.metadata);
  return base;
};

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** A store folder of its own, removed after the tests; `swept` when a sweep already left its marker. */
const givenStore = async (swept: boolean) => {
  const store = await mkdtemp(join(directory, 'store-'));
  if (swept) await removeUnfinishedWrites(store);
  return store;
};

describe('removeUnfinishedWrites', () => {
  it('removes a key whose metadata was cut short, in a store without the marker', async () => {
    // Arrange
    const store = await givenStore(false);
    const cutShort = await givenKey(store, 'cut-short', {
      object: 'bytes',
      md5: 'abc',
      metadata: '{"content-ty',
    });

    // Act
    const removed = await removeUnfinishedWrites(store);

    // Assert
    expect(removed).toBe(1);
    expect(await exists(`${cutShort}._S3rver_object`)).toBe(false);
    expect(await exists(`${cutShort}._S3rver_metadata.json`)).toBe(false);
  });

  it('leaves the marker once it has swept, outside every bucket', async () => {
    // Arrange
    const store = await givenStore(false);
    await givenKey(store, 'whole', { object: 'bytes', md5: 'abc', metadata: '{}' });

    // Act
    await removeUnfinishedWrites(store);

    // Assert
    expect(await exists(sweptMarkerOf(store))).toBe(true);
    expect(sweptMarkerOf(store)).toBe(join(store, '.metadata-written-whole'));
  });

  it('does not read metadata once the marker is there', async () => {
    // Arrange: metadata that is not JSON, which a store without the marker would have removed
    const store = await givenStore(true);
    const unread = await givenKey(store, 'unread', { object: 'bytes', md5: 'abc', metadata: 'not JSON' });

    // Act
    const removed = await removeUnfinishedWrites(store);

    // Assert
    expect(removed).toBe(0);
    expect(await exists(`${unread}._S3rver_object`)).toBe(true);
    expect(await exists(`${unread}._S3rver_metadata.json`)).toBe(true);
  });

  it('still removes an object without metadata, and metadata without its object, once the marker is there', async () => {
    // Arrange
    const store = await givenStore(true);
    const noMetadata = await givenKey(store, 'no-metadata', { object: 'bytes', md5: 'abc' });
    const noObject = await givenKey(store, 'no-object', { metadata: '{}' });
    const whole = await givenKey(store, 'whole', { object: 'bytes', md5: 'abc', metadata: '{}' });

    // Act
    const removed = await removeUnfinishedWrites(store);

    // Assert
    expect(removed).toBe(2);
    expect(await exists(`${noMetadata}._S3rver_object`)).toBe(false);
    expect(await exists(`${noMetadata}._S3rver_object.md5`)).toBe(false);
    expect(await exists(`${noObject}._S3rver_metadata.json`)).toBe(false);
    expect(await exists(`${whole}._S3rver_object`)).toBe(true);
  });
});
