/**
 * Benchmark 1: every Lambda bundled as deployed (the house esbuild options), its size and largest
 * contributors, against a floor bundle of only the SDK clients that function uses; and the intake
 * function's cold import time, median of 20 fresh `node` processes, against its floor's.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { functions } from '#infra/system';
import { type BundleReport, bundle, floorSource, houseBundlingDrift } from '../lib/house-bundle.ts';
import { median } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const run = promisify(execFile);
const KiB = 1024;
const maxKiB = 500;
const coldImportRuns = Number(process.env.BENCH_COLD_RUNS ?? 20);
const maxColdImportRatio = 1.3;

/**
 * What a deployed function finds in its environment at init: the construct's variables (NODE_OPTIONS
 * with source maps, Powertools, the table, the key, the state machine) and Lambda's own.
 */
const lambdaEnvironment = (fn: (typeof functions)[number]): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'fee-campaign',
  POWERTOOLS_METRICS_NAMESPACE: 'FeeCampaign',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  TABLE_NAME: 'fee-campaign-bench',
  ...('contactKey' in fn.access && fn.access.contactKey
    ? { CONTACT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' }
    : {}),
  ...('auditKey' in fn.access && fn.access.auditKey
    ? { AUDIT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111' }
    : {}),
  ...('auditAnchors' in fn.access && fn.access.auditAnchors
    ? { AUDIT_ANCHORS_BUCKET: 'fee-campaign-audit-anchors-111122223333-us-east-1' }
    : {}),
  ...('workflow' in fn.access && fn.access.workflow
    ? { STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:fee-case' }
    : {}),
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: `bench-${fn.name}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMiB),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
});

/**
 * Milliseconds a fresh Node process spends in `await import(bundle)`: wall clock, and CPU (all the
 * process's threads: parsing, compiling, running the module bodies, GC). A 512 MB Lambda gets about a
 * third of a vCPU, so its init time follows the CPU time; and on a shared machine CPU time is what
 * stays put while other processes stretch the wall clock.
 */
const importTime = async (
  file: string,
  env: Record<string, string>,
): Promise<{ wallMs: number; cpuMs: number }> => {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const wallMs = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wallMs, cpuMs: (u.user + u.system) / 1000 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env,
    timeout: 30_000,
  });
  try {
    return JSON.parse(stdout.trim()) as { wallMs: number; cpuMs: number };
  } catch {
    throw new Error(`import of ${file} printed ${stdout}`);
  }
};

runSuite('bundles', async (context) => {
  const drift = await houseBundlingDrift();
  context.detail('houseBundlingDrift', drift);
  if (drift.length > 0)
    context.log(`bundling options drifted from campaign-function.ts: ${drift.join('; ')}`);

  const dir = await mkdtemp(join(tmpdir(), 'fee-campaign-bench-bundles-'));
  try {
    const reports: { fn: (typeof functions)[number]; report: BundleReport; floor: BundleReport }[] = [];
    for (const fn of functions) {
      const report = await bundle(
        fn.entry,
        join(dir, fn.name, 'index.mjs'),
        [],
        'nativeModules' in fn ? fn.nativeModules : [],
      );
      const { source, unknown } = floorSource(report.sdkPackages);
      const floor = await bundle(
        { source, name: `floor-${fn.name}.ts` },
        join(dir, `${fn.name}.floor`, 'index.mjs'),
      );
      reports.push({ fn, report, floor });
      const top = report.contributors
        .slice(0, 3)
        .map((c) => `${c.name} ${Math.round(c.bytes / KiB)}`)
        .join(', ');
      context.row({
        id: `bundle.${fn.name}`,
        section: 1,
        benchmark: `bundle ${fn.name}`,
        measured: report.bytes / KiB,
        unit: 'KiB',
        ...(report.sdkPackages.length > 0
          ? {
              floor: floor.bytes / KiB,
              floorLabel: `SDK clients only (${report.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join(', ')})`,
              ratio: report.bytes / floor.bytes,
            }
          : { floorLabel: 'uses no SDK client' }),
        target: { on: 'measured', op: '<=', value: maxKiB },
        note: `top KiB: ${top}${unknown.length ? `; floor lacks ${unknown.join(', ')}` : ''}`,
      });
      context.log(
        `${fn.name}: ${(report.bytes / KiB).toFixed(0)} KiB (floor ${(floor.bytes / KiB).toFixed(0)} KiB)`,
      );
    }
    context.detail(
      'bundles',
      reports.map(({ fn, report, floor }) => ({
        function: fn.name,
        entry: fn.entry,
        bytes: report.bytes,
        sourceMapBytes: report.mapBytes,
        floorBytes: floor.bytes,
        sdkPackages: report.sdkPackages,
        topContributors: report.contributors.slice(0, 12),
        floorTopContributors: floor.contributors.slice(0, 6),
      })),
    );

    // Cold import of the intake function (the one that files complaints), interleaved with its floor.
    const intake = reports.find(({ fn }) => (fn.operations as readonly string[]).includes('fileComplaint'));
    if (!intake) throw new Error('No function serves fileComplaint');
    const env = lambdaEnvironment(intake.fn);
    const times = {
      intake: [] as { wallMs: number; cpuMs: number }[],
      floor: [] as { wallMs: number; cpuMs: number }[],
    };
    // One untimed round each warms the page cache, as a Lambda's code is on local disk at init.
    await importTime(intake.report.outfile, env);
    await importTime(intake.floor.outfile, env);
    for (let i = 0; i < coldImportRuns; i++) {
      times.intake.push(await importTime(intake.report.outfile, env));
      times.floor.push(await importTime(intake.floor.outfile, env));
    }
    const intakeCpu = median(times.intake.map((t) => t.cpuMs));
    const floorCpu = median(times.floor.map((t) => t.cpuMs));
    const intakeWall = median(times.intake.map((t) => t.wallMs));
    const floorWall = median(times.floor.map((t) => t.wallMs));
    context.row({
      id: 'cold-import.intake',
      section: 1,
      benchmark: `cold import ${intake.fn.name}`,
      measured: intakeCpu,
      unit: 'CPU ms',
      floor: floorCpu,
      floorLabel: 'SDK clients only',
      ratio: intakeCpu / floorCpu,
      target: { on: 'ratio', op: '<=', value: maxColdImportRatio },
      note: `median of ${coldImportRuns} fresh node ${process.version} processes each, interleaved, deployed environment (NODE_OPTIONS=--enable-source-maps); wall ${intakeWall.toFixed(0)} vs ${floorWall.toFixed(0)} ms (${(intakeWall / floorWall).toFixed(2)}x)`,
    });
    context.detail('coldImport', {
      function: intake.fn.name,
      runs: coldImportRuns,
      intakeMs: times.intake,
      floorMs: times.floor,
      environment: Object.keys(env).filter((key) => !['PATH', 'HOME'].includes(key)),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
