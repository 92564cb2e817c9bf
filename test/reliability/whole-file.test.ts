/**
 * `writeWholeFile` in a process killed with SIGKILL while it rewrites a file over and over, as the
 * stream consumers rewrite their checkpoints: the file left must always be one whole version. A
 * checkpoint written in place was cut short by such a kill, read as no checkpoint, and its consumer
 * replayed the whole stream.
 *
 * The kill moments come from a seeded generator (DURABILITY_SEED to replay them).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#test/support/seeded-random';

const seed = Number(process.env.DURABILITY_SEED ?? Date.now() % 1_000_000);
const kills = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const directory = await mkdtemp(join(tmpdir(), 'whole-file-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

const module = fileURLToPath(new URL('../../shared/adapters/whole-file.ts', import.meta.url));
/** Rewrites the file with ever larger versions (a checkpoint grows with its shards), forever. */
const rewriter = (file: string) => `const { writeWholeFile } = await import(${JSON.stringify(module)});
  for (let version = 0; ; version++) {
    await writeWholeFile(${JSON.stringify(file)}, JSON.stringify({ version, shards: 'x'.repeat(64 * 1024 + version) }));
    if (version === 0) console.log('writing');
  }`;

describe('writeWholeFile in a process killed with SIGKILL', () => {
  it('always leaves one whole version of the file', { timeout: 120_000 }, async () => {
    // Arrange
    console.log(`whole-file seed ${seed} (DURABILITY_SEED=${seed} replays the kill moments)`);
    const killAfter = seededRandom(seed);
    const file = join(directory, 'checkpoint.json');
    const left: string[] = [];

    // Act
    for (let kill = 0; kill < kills; kill++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', rewriter(file)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      await new Promise((writing) => child.stdout.once('data', writing));
      await sleep(20 + killAfter() * 80);
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
      left.push(await readFile(file, 'utf8'));
    }

    // Assert
    const cutShort = left.filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    });
    expect(cutShort).toEqual([]);
  });
});
