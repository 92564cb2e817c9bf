/**
 * The local evidence bucket started on a folder an earlier runtime left mid-write when it was
 * killed: that runtime wrote metadata in place, so a kill could leave it truncated, and every
 * listing of its folder then failed, the runtime's own start included.
 */
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoopbackObjectStorage } from '#test/support/object-storage';

const bucket = 'evidence-restart';
const credentials = { accessKeyId: 'restart-key', secretAccessKey: 'restart-secret' };
const directory = await mkdtemp(join(tmpdir(), 'object-storage-restart-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

const start = () => startLoopbackObjectStorage({ bucket, credentials, region: 'us-east-1', directory });

describe('the local evidence bucket started after a kill', () => {
  it('removes what was left half-written, keeps the rest, and lists its uploads', async () => {
    // Arrange: two uploads, then one's metadata truncated and a temporary file left, as a kill leaves them
    const before = await start();
    for (const key of ['incoming/owner/whole', 'incoming/owner/cut-short']) {
      await before.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    await before.stop();
    const folder = join(directory, bucket, 'incoming', 'owner');
    await truncate(join(folder, 'cut-short._S3rver_metadata.json'), 0);
    await writeFile(join(folder, 'next._S3rver_object.0b1c.partial'), 'half a fi');

    // Act
    const after = await start();
    const unscreened = await after.storage.redeliverUnscreened();
    const whole = await after.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'incoming/owner/whole' }));
    const cutShort = after.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'incoming/owner/cut-short' }));
    const left = await readdir(folder);

    // Assert
    try {
      expect(unscreened).toBe(1);
      expect(await whole.Body?.transformToString()).toBe('incoming/owner/whole');
      await expect(cutShort).rejects.toMatchObject({ name: 'NoSuchKey' });
      expect(left.filter((name) => name.startsWith('cut-short') || name.endsWith('.partial'))).toEqual([]);
    } finally {
      await after.stop();
    }
  });
});
