/**
 * s3rver's store with whole-file writes (`writeObjectsWhole`): nothing of an object reaches the
 * bucket's folders until all of it was received. s3rver's listing walks those folders and fails on a
 * file that vanishes while it walks, as a temporary file renamed away beside the object would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import S3rver from 's3rver';
import { afterAll, describe, expect, it } from 'vitest';
import { writeObjectsWhole } from '#infra/local/whole-object-files';
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
