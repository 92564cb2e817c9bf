/**
 * The local evidence bucket (s3rver behind the runtime's gateway) killed with SIGKILL while uploads
 * keep it busy, then started again on the same folder: it must start (the runtime lists the
 * unscreened uploads as it starts), and every upload it answered must read back byte for byte. An
 * answered upload whose file a crash can truncate, or a half-written file that stops the runtime
 * from starting, is evidence lost.
 *
 * The kill moments come from a seeded generator (DURABILITY_SEED to replay them), the file sizes from
 * another.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#test/support/seeded-random';

const seed = Number(process.env.DURABILITY_SEED ?? Date.now() % 1_000_000);
const kills = 12;
const writers = 12;
const answeredPerLife = 40;
const bucket = 'evidence-durability';
const credentials = { accessKeyId: 'durability-key', secretAccessKey: 'durability-secret' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const directory = await mkdtemp(join(tmpdir(), 'object-storage-durability-'));
let running: ChildProcess | undefined;
afterAll(async () => {
  running?.kill('SIGKILL');
  await rm(directory, { recursive: true, force: true });
});

/** Starts the bucket's process on the folder; rejects with its output if it exits before ready. */
const startStorage = () =>
  new Promise<{ child: ChildProcess; endpoint: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/reliability/support/object-storage-process.ts'],
      {
        env: { ...process.env, OBJECT_STORAGE_DIR: directory },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    running = child;
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const ready = /^ready (\S+)$/m.exec(output);
      if (ready?.[1]) resolve({ child, endpoint: ready[1] });
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });

const clientOf = (endpoint: string) =>
  new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });

describe('the local evidence bucket killed with SIGKILL', () => {
  it('starts again and keeps every upload it answered, byte for byte', { timeout: 240_000 }, async () => {
    // Arrange
    console.log(`durability seed ${seed} (DURABILITY_SEED=${seed} replays the kill moments)`);
    const killAfter = seededRandom(seed);
    const sizeOf = seededRandom(seed + 1);
    const answered = new Map<string, string>();
    let sent = 0;

    // Act
    for (let kill = 0; kill < kills; kill++) {
      const { child, endpoint } = await startStorage();
      const s3 = clientOf(endpoint);
      let killed = false;
      const writing = Array.from({ length: writers }, async (_, writer) => {
        while (!killed) {
          const key = `incoming/${String(writer).padStart(32, '0')}/upload-${sent++}`;
          const body = Buffer.alloc(1_024 + Math.floor(sizeOf() * 256 * 1_024), key);
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })).then(
            () => answered.set(key, sha256(body)),
            () => undefined,
          );
        }
      });
      // Killed in the middle of writing: once this life has answered some, then at a seeded moment.
      const answeredBefore = answered.size;
      while (answered.size - answeredBefore < answeredPerLife) await sleep(5);
      await sleep(killAfter() * 200);
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      killed = true;
      await Promise.all(writing);
      await exited;
      s3.destroy();
    }
    const { endpoint } = await startStorage();
    const s3 = clientOf(endpoint);
    const differing: string[] = [];
    for (const [key, digest] of answered) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      const bytes = await object?.Body?.transformToByteArray();
      if (!bytes || sha256(bytes) !== digest) differing.push(key);
    }
    s3.destroy();

    // Assert
    expect(differing).toEqual([]);
  });
});
