/**
 * Benchmark 9: our intake function beside the peer (bench/peer/intake.ts: middy, Powertools Logger and
 * idempotency, classic zod, one DocumentClient put), both built with the house esbuild options and
 * run on the same filings in this process:
 *   - bundle size, and cold import against each one's own SDK-only floor (fresh processes, the four
 *     bundles interleaved);
 *   - CPU per filing in-process with every SDK call answered at once by a bare `send` (the handler's
 *     own code);
 *   - CPU per filing through the real SDK stack (serialize, endpoint rules, SigV4, retry, parse), only
 *     the HTTP exchange answered at once (bench/lib/canned-http.ts): what a filing costs in a Lambda
 *     but the network.
 * Ours is judged on the last: at most the peer's CPU per filing, measured in the same run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { functions } from '#infra/system';
import { answerHttpAtOnce, httpCalls } from '../lib/canned-http.ts';
import { interleavedImportTimes, lambdaEnvironment } from '../lib/cold-import.ts';
import { benchComplaint, filingEvent } from '../lib/complaints.ts';
import { bundle, floorSource } from '../lib/house-bundle.ts';
import { installStubs, stateMachineArn } from '../lib/instant-sdk.ts';
import { interleavedRounds, median } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const maxFullStackRatio = 1;
const coldImportRuns = Number(process.env.BENCH_PEER_COLD_RUNS ?? 10);
const KiB = 1024;

const intake = functions.find((fn) => (fn.operations as readonly string[]).includes('fileComplaint'));
if (!intake) throw new Error('No function serves fileComplaint');
const environment = {
  ...lambdaEnvironment(intake),
  STATE_MACHINE_ARN: stateMachineArn,
  IDEMPOTENCY_TABLE_NAME: 'fee-campaign-bench-idempotency',
  POWERTOOLS_TRACE_ENABLED: 'false',
};
Object.assign(process.env, environment);
delete process.env.LOCAL_CONTACT_KEY;
delete process.env.LOCAL_AUDIT_KEY;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

runSuite('peer', async (context) => {
  // --- Bundles and cold imports ----------------------------------------------------------------
  const dir = await mkdtemp(join(tmpdir(), 'fee-campaign-bench-peer-'));
  const built: Record<string, { file: string; bytes: number; floorFile: string; floorBytes: number }> = {};
  try {
    for (const [name, entry] of [
      ['ours', intake.entry],
      ['peer', 'bench/peer/intake.ts'],
    ] as const) {
      const report = await bundle(entry, join(dir, name, 'index.mjs'));
      const floor = await bundle(
        { source: floorSource(report.sdkPackages).source, name: `floor-${name}.ts` },
        join(dir, `${name}.floor`, 'index.mjs'),
      );
      built[name] = {
        file: report.outfile,
        bytes: report.bytes,
        floorFile: floor.outfile,
        floorBytes: floor.bytes,
      };
      context.detail(`${name}Bundle`, {
        entry,
        bytes: report.bytes,
        floorBytes: floor.bytes,
        sdkPackages: report.sdkPackages,
        topContributors: report.contributors.slice(0, 12),
      });
    }
    const ours = built.ours as NonNullable<(typeof built)['ours']>;
    const peer = built.peer as NonNullable<(typeof built)['peer']>;
    context.row({
      id: 'peer.bundle',
      section: 9,
      benchmark: `bundle: ours (${intake.name}) vs the peer`,
      measured: ours.bytes / KiB,
      unit: 'KiB',
      floor: peer.bytes / KiB,
      floorLabel: 'the peer',
      ratio: ours.bytes / peer.bytes,
      note: `SDK floors ${(ours.floorBytes / KiB).toFixed(0)} and ${(peer.floorBytes / KiB).toFixed(0)} KiB`,
    });

    const files = [ours.file, ours.floorFile, peer.file, peer.floorFile];
    const cpu = (await interleavedImportTimes(files, environment, coldImportRuns)).map((each) =>
      each.map((t) => t.cpuMs),
    );
    const [oursMs, oursFloorMs, peerMs, peerFloorMs] = cpu.map((times) => median(times)) as [
      number,
      number,
      number,
      number,
    ];
    for (const [who, ms, floorMs] of [
      ['ours', oursMs, oursFloorMs],
      ['peer', peerMs, peerFloorMs],
    ] as const) {
      context.row({
        id: `peer.cold-import.${who}`,
        section: 9,
        benchmark: `cold import, ${who === 'ours' ? `ours (${intake.name})` : 'the peer'}`,
        measured: ms,
        unit: 'CPU ms',
        floor: floorMs,
        floorLabel: 'its SDK clients only',
        ratio: ms / floorMs,
        note: `median of ${coldImportRuns} fresh processes each, the four bundles interleaved, deployed environment`,
      });
    }
    context.detail('coldImportCpuMs', { ours: cpu[0], oursFloor: cpu[1], peer: cpu[2], peerFloor: cpu[3] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // --- CPU per filing in-process --------------------------------------------------------------
  // Nothing leaves this process: the canned HTTP answers stay installed under the instant phase too.
  const restoreHttp = answerHttpAtOnce();
  const { lambdaContext } = await import('#infra/local/lambda-context');
  // Always a fresh invocation's time left (a local context's runs out after its timeout).
  const lambda = {
    ...lambdaContext(intake.name, 10, intake.memoryMiB),
    getRemainingTimeInMillis: () => 10_000,
  };
  const handlers = {
    ours: ((await import('#functions/api/complaints')) as { handler: Handler }).handler,
    peer: ((await import('../peer/intake.ts')) as { handler: Handler }).handler,
  };
  // The same filings for both, each with its own Idempotency-Key (both honour the header).
  const events = Array.from({ length: 64 }, (_, n) =>
    filingEvent(n, JSON.stringify(benchComplaint(n, { tag: 'peer' })), {
      'Idempotency-Key': `peer-bench-${n}`,
    }),
  );
  const file = (handler: Handler) => async (i: number) => {
    const response = await handler(events[i % events.length] as APIGatewayProxyEvent, lambda);
    if (response.statusCode !== 202) throw new Error(`answered ${response.statusCode}: ${response.body}`);
  };
  const contenders = { ours: file(handlers.ours), peer: file(handlers.peer) };

  // What one filing of a warm function asks of the SDK, through the real stack (the first one also
  // reads what the function caches, such as the calendar).
  const callsOf = async (run: (i: number) => Promise<void>) => {
    await run(0);
    httpCalls.clear();
    await run(1);
    return Object.fromEntries(httpCalls);
  };
  const sdkCalls = { ours: await callsOf(contenders.ours), peer: await callsOf(contenders.peer) };
  const count = (calls: Record<string, number>) => Object.values(calls).reduce((sum, n) => sum + n, 0);
  const named = (calls: Record<string, number>) =>
    Object.entries(calls)
      .map(([target, n]) => `${target.split('.')[1]}${n > 1 ? ` x${n}` : ''}`)
      .join(', ');
  context.detail('sdkCallsPerFiling', sdkCalls);

  const phase = async (opsPerRound: number, rounds: number) => {
    await interleavedRounds(contenders, { rounds: 2, opsPerRound, deadline: Number.POSITIVE_INFINITY });
    const times = await interleavedRounds(contenders, { rounds, opsPerRound, deadline: context.deadline });
    return {
      times,
      ours: median(times.ours?.cpuUs ?? []),
      peer: median(times.peer?.cpuUs ?? []),
    };
  };
  const fullStack = await phase(200, 10);
  const removeStubs = installStubs();
  const instant = await phase(1_000, 10);
  removeStubs();
  restoreHttp();

  context.row({
    id: 'peer.in-process',
    section: 9,
    benchmark: 'intake in-process per filing, SDK answering at once: ours vs the peer',
    measured: instant.ours,
    unit: 'us/req',
    floor: instant.peer,
    floorLabel: 'the peer',
    ratio: instant.ours / instant.peer,
    note: "CPU per filing, median of interleaved rounds; the SDK clients' send() answering at once",
  });
  context.row({
    id: 'peer.full-stack',
    section: 9,
    benchmark: 'intake through the real SDK stack per filing: ours vs the peer',
    measured: fullStack.ours,
    unit: 'us/req',
    floor: fullStack.peer,
    floorLabel: 'the peer',
    ratio: fullStack.ours / fullStack.peer,
    target: { on: 'ratio', op: '<=', value: maxFullStackRatio },
    note: `CPU per filing, only the HTTP exchange answered at once; SDK calls per filing: ours ${count(sdkCalls.ours)} (${named(sdkCalls.ours)}), the peer ${count(sdkCalls.peer)} (${named(sdkCalls.peer)})`,
  });
  context.detail('perFiling', { fullStack: fullStack.times, instant: instant.times });
});
