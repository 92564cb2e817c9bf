/**
 * The local evidence bucket under concurrent writes and deletes in one folder, as the screener (which
 * deletes a screened upload) and further uploads of the same enterprise (the same `incoming/<owner>/`
 * folder) do at once. s3rver prunes a folder it has emptied; a write into that folder at that moment
 * must still succeed, and must never take the process down.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackObjectStorage, startLoopbackObjectStorage } from '#test/support/object-storage';

const bucket = 'evidence-folders';
const credentials = { accessKeyId: 'folders-key', secretAccessKey: 'folders-secret' };
let local: LoopbackObjectStorage;
let s3: S3Client;

beforeAll(async () => {
  local = await startLoopbackObjectStorage({ bucket, credentials, region: 'us-east-1' });
  s3 = local.s3;
});

afterAll(async () => {
  await local?.stop();
});

describe('the local evidence bucket', () => {
  it('keeps every object written into a folder while the only other object of that folder is deleted', async () => {
    // Arrange: folders of one object each
    const rounds = Array.from({ length: 100 }, (_, n) => `incoming/owner-${n}`);
    for (const folder of rounds) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${folder}/screened`, Body: 'old' }));
    }

    // Act: a new upload lands in each folder as the screened one leaves it
    const written: PromiseSettledResult<unknown>[] = [];
    for (const folder of rounds) {
      const [put] = await Promise.allSettled([
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${folder}/next`, Body: folder })),
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${folder}/screened` })),
      ]);
      written.push(put);
    }

    // Assert: every write was answered and is there to read
    expect(written.filter((result) => result.status === 'rejected')).toEqual([]);
    const read = await Promise.all(
      rounds.map(async (folder) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${folder}/next` }));
        return object.Body?.transformToString();
      }),
    );
    expect(read).toEqual(rounds);
  });
});
