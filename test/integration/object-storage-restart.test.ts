/**
 * The local evidence bucket started on a folder a killed runtime left mid-write. An earlier runtime
 * wrote in place (the object, then its MD5, then its metadata): a kill could leave metadata cut
 * short, on which every listing of its folder failed, the runtime's own start included, or an object
 * without metadata. Such writes were never answered; a whole object must survive the clean-up.
 */
import { mkdir, mkdtemp, readdir, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweptMarkerOf, unfinishedFolderOf } from '#infra/local/whole-object-files';
import { partialFileOf } from '#shared/adapters/whole-file';
import { type LoopbackObjectStorage, startLoopbackObjectStorage } from '#test/support/object-storage';

const bucket = 'evidence-restart';
const credentials = { accessKeyId: 'restart-key', secretAccessKey: 'restart-secret' };
const directory = await mkdtemp(join(tmpdir(), 'object-storage-restart-'));
const folder = join(directory, bucket, 'incoming', 'owner');
const start = () => startLoopbackObjectStorage({ bucket, credentials, region: 'us-east-1', directory });
let after: LoopbackObjectStorage;
let unscreened: number;

beforeAll(async () => {
  // Three uploads, then what a kill mid-write leaves: one's metadata cut short, another's missing,
  // and a temporary file
  const before = await start();
  try {
    for (const key of ['whole', 'cut-short', 'no-metadata']) {
      await before.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `incoming/owner/${key}`, Body: key }));
    }
  } finally {
    await before.stop();
  }
  await truncate(join(folder, 'cut-short._S3rver_metadata.json'), 0);
  // An earlier runtime, which wrote in place, left no marker: the start reads the metadata again
  await rm(sweptMarkerOf(directory));
  await unlink(join(folder, 'no-metadata._S3rver_metadata.json'));
  await mkdir(unfinishedFolderOf(directory), { recursive: true });
  await writeFile(
    partialFileOf(join(folder, 'next._S3rver_object'), unfinishedFolderOf(directory)),
    'half a fi',
  );

  after = await start();
  unscreened = await after.storage.redeliverUnscreened();
});

afterAll(async () => {
  await after?.stop();
  await rm(directory, { recursive: true, force: true });
});

const read = (key: string) =>
  after.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `incoming/owner/${key}` }));

describe('the local evidence bucket started after a kill', () => {
  it('lists its uploads as the runtime does at start', () => {
    expect(unscreened).toBe(1);
  });

  it('keeps an object written whole', async () => {
    const whole = await read('whole');

    expect(await whole.Body?.transformToString()).toBe('whole');
  });

  it('removes an object whose metadata was cut short, and one without metadata', async () => {
    await expect(read('cut-short')).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(read('no-metadata')).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect((await readdir(folder)).filter((name) => !name.startsWith('whole'))).toEqual([]);
  });

  it('removes the temporary files of writes that never ended', async () => {
    expect(await readdir(unfinishedFolderOf(directory))).toEqual([]);
  });
});
