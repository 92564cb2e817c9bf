/**
 * Benchmark 1: every Lambda bundled as deployed (the house esbuild options), its size and largest
 * contributors, against a floor bundle of only the SDK clients that function uses; and every
 * function's cold import time in fresh `node` processes, each interleaved with its own floor's: 20 of
 * each for the intake function (judged), 4 of each for the others (reported).
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functions } from '#infra/system';
import { interleavedImportTimes, lambdaEnvironment } from '../lib/cold-import.ts';
import { type BundleReport, bundle, floorSource, houseBundlingDrift, repoRoot } from '../lib/house-bundle.ts';
import { median } from '../lib/stats.ts';
import { runSuite, type SuiteContext } from '../lib/suite.ts';

const KiB = 1024;
const maxKiB = 500;
const coldImportRuns = Number(process.env.BENCH_COLD_RUNS ?? 20);
/** Fewer for the functions not judged: their ratio is reported, and the run stays short. */
const otherColdImportRuns = Number(process.env.BENCH_COLD_RUNS_OTHERS ?? 4);
const maxColdImportRatio = 1.2;
const layerRuns = Number(process.env.BENCH_COLD_RUNS ?? 12);
/** `BENCH_FUNCTIONS=complaints-api,meta-api` measures only those functions, while iterating on them. */
const only = process.env.BENCH_FUNCTIONS?.split(',').map((name) => name.trim());
const measured = functions.filter((fn) => !only || only.includes(fn.name));

/**
 * Where the intake function's import goes above its floor, layer by layer: each layer is the floor
 * plus one module of the function (and what it imports), bundled the same way and imported
 * interleaved with the others. What the house stack costs before any filing code runs.
 */
const intakeLayers = [
  {
    id: 'zod',
    label: 'zod/mini',
    // Not `export *`: that would keep all of zod/mini, where a function keeps what it uses.
    source: "import * as z from '#shared/domain/schema';\nexport const probe = z.string();",
  },
  {
    id: 'complaint-schemas',
    label: 'complaint schemas',
    source: "export * from '#shared/domain/complaint';",
  },
  {
    id: 'api-layer',
    label: 'complaint schemas + API layer (middy, logger, routes)',
    source: "export * from '#shared/domain/complaint';\nexport * from '#shared/http/api-handler';",
  },
] as const;

const measureIntakeLayers = async (
  context: SuiteContext,
  dir: string,
  intake: (typeof functions)[number],
  { report: intakeReport, floor: { outfile: floorOutfile } }: { report: BundleReport; floor: BundleReport },
): Promise<void> => {
  if (performance.now() > context.deadline) return;
  const floor = floorSource(intakeReport.sdkPackages).source;
  const layerOutfiles = await Promise.all(
    intakeLayers.map(
      async (layer) =>
        (
          await bundle(
            { source: `${floor}${layer.source}\n`, name: `layer-${layer.id}.ts` },
            join(dir, `layer-${layer.id}`, 'index.mjs'),
          )
        ).outfile,
    ),
  );
  const times = await interleavedImportTimes(
    [floorOutfile, ...layerOutfiles],
    lambdaEnvironment(intake),
    layerRuns,
  );
  const [floorCpu = Number.NaN, ...layersCpu] = times.map((each) => median(each.map((t) => t.cpuMs)));
  for (const [n, layer] of intakeLayers.entries()) {
    const measured = layersCpu[n] as number;
    context.row({
      id: `cold-import.intake-layer.${layer.id}`,
      section: 1,
      benchmark: `cold import, floor + ${layer.label}`,
      measured,
      unit: 'CPU ms',
      floor: floorCpu,
      floorLabel: 'SDK clients only',
      ratio: measured / floorCpu,
      note: `median of ${layerRuns} fresh processes each, the layers and the floor interleaved; the whole ${intake.name} is the row above`,
    });
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
    for (const fn of measured) {
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

    // Cold imports: each function interleaved with its own floor, the intake function at length.
    // Native modules (sharp) are beside the bundle on AWS: here the repository's node_modules is.
    await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const intake = functions.find((fn) => (fn.operations as readonly string[]).includes('fileComplaint'));
    if (!intake) throw new Error('No function serves fileComplaint');
    const intakeName = intake.name;
    const ordered = [...reports].sort(
      (a, b) => Number(b.fn.name === intakeName) - Number(a.fn.name === intakeName),
    );
    const coldImports: {
      function: string;
      runs: number;
      functionMs: { wallMs: number; cpuMs: number }[];
      floorMs: { wallMs: number; cpuMs: number }[];
    }[] = [];
    for (const { fn, report, floor } of ordered) {
      const judgedHere = fn.name === intakeName;
      // The judged function comes first; on a machine too busy to finish, the others are skipped.
      if (!judgedHere && performance.now() > context.deadline) {
        context.row({
          id: `cold-import.${fn.name}`,
          section: 1,
          benchmark: `cold import ${fn.name}`,
          status: 'SKIPPED',
          note: "no time left in the suite's share of the run",
        });
        continue;
      }
      const runs = judgedHere ? coldImportRuns : otherColdImportRuns;
      const env = lambdaEnvironment(fn);
      const hasFloor = report.sdkPackages.length > 0;
      const [fnTimes = [], floorTimes = []] = await interleavedImportTimes(
        hasFloor ? [report.outfile, floor.outfile] : [report.outfile],
        env,
        runs,
      );
      const times = { fn: fnTimes, floor: floorTimes };
      const fnCpu = median(times.fn.map((t) => t.cpuMs));
      const fnWall = median(times.fn.map((t) => t.wallMs));
      const floorCpu = median(times.floor.map((t) => t.cpuMs));
      const floorWall = median(times.floor.map((t) => t.wallMs));
      coldImports.push({ function: fn.name, runs, functionMs: times.fn, floorMs: times.floor });
      context.log(
        `cold import ${fn.name}: ${fnCpu.toFixed(0)} CPU ms${hasFloor ? ` vs ${floorCpu.toFixed(0)} (${(fnCpu / floorCpu).toFixed(2)}x)` : ''}`,
      );
      context.row({
        id: judgedHere ? 'cold-import.intake' : `cold-import.${fn.name}`,
        section: 1,
        benchmark: `cold import ${fn.name}`,
        measured: fnCpu,
        unit: 'CPU ms',
        ...(hasFloor
          ? { floor: floorCpu, floorLabel: 'SDK clients only', ratio: fnCpu / floorCpu }
          : { floorLabel: 'uses no SDK client' }),
        ...(judgedHere
          ? { target: { on: 'ratio' as const, op: '<=' as const, value: maxColdImportRatio } }
          : {}),
        note: `median of ${runs} fresh node ${process.version} processes each, interleaved with its floor, deployed environment (no NODE_OPTIONS: a stack is source-mapped when formatted); wall ${fnWall.toFixed(0)}${hasFloor ? ` vs ${floorWall.toFixed(0)} ms (${(fnWall / floorWall).toFixed(2)}x)` : ' ms'}`,
      });
    }
    const intakeBundles = reports.find(({ fn }) => fn.name === intakeName);
    if (intakeBundles) await measureIntakeLayers(context, dir, intake, intakeBundles);
    context.detail('coldImport', {
      judged: intakeName,
      environment: Object.keys(lambdaEnvironment(intake)).filter((key) => !['PATH', 'HOME'].includes(key)),
      functions: coldImports,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
