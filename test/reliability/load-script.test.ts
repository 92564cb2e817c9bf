/**
 * The load script (`npm run load`, infra/local/load.ts) run in-process against the local runtime with
 * a small N: what it accepted was stored (read back by each owner, counted once by the counters), no
 * answer was a 5xx; and it refuses to aim anywhere but this machine's loopback, or beyond its bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, LoadRefusedError, loadPassed, runLoad } from '#infra/local/load';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;

beforeAll(async () => {
  harness = await startTestRuntime();
}, 60_000);
afterAll(() => harness?.stop());

describe('npm run load', () => {
  it('files 100 complaints at concurrency 16: accepted = stored, counted once, zero 5xx', async () => {
    const report = await runLoad({ url: harness.url, complaints: 100, concurrency: 16, maxSeconds: 60 });
    console.log(`[load]\n${formatReport(report)}`);

    expect(report.serverErrors).toBe(0);
    expect(report.transportErrors).toBe(0);
    expect(report.accepted).toBe(100);
    expect(report.stored).toBe(report.accepted);
    expect(report.lost).toBe(0);
    expect(report.counterGrowth).toBe(report.accepted);
    expect(report.latencyMs.p99).toBeGreaterThanOrEqual(report.latencyMs.p50);
    expect(report.throughput).toBeGreaterThan(0);
    expect(loadPassed(report)).toBe(true);
  }, 90_000);

  it.each([
    'http://10.0.0.5:3000',
    'http://example.com',
    'https://127.0.0.1:3000',
    'http://user:pw@127.0.0.1:3000',
    'http://127.0.0.1.example.com:3000',
    'not a url',
  ])('refuses %s before sending anything', async (url) => {
    await expect(runLoad({ url, complaints: 1, concurrency: 1 })).rejects.toBeInstanceOf(LoadRefusedError);
  });

  it.each([
    { complaints: 0, concurrency: 1 },
    { complaints: 9_001, concurrency: 1 },
    { complaints: 10, concurrency: 0 },
    { complaints: 10, concurrency: 257 },
    { complaints: 10, concurrency: 1, maxSeconds: 121 },
  ])(
    'refuses a run beyond its bounds: $complaints complaints at $concurrency, $maxSeconds s',
    async (bounds) => {
      await expect(runLoad({ url: harness.url, ...bounds })).rejects.toBeInstanceOf(LoadRefusedError);
    },
  );
});
