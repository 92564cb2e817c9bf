/**
 * `npm run bench`: runs every suite of bench/suites in a process of its own, one after the other, each
 * under a time limit and the whole run under ten minutes; prints one table of what was measured
 * against what (its floor, measured in the same run) and the issue's target; writes
 * bench/results.json and the tables in bench/README.md.
 *
 * Exits non-zero only when a suite fails or runs out of time: a missed target is a result (MISSED in
 * the table), not an error.
 *
 *   npm run bench                      everything but the suites run separately
 *   npm run bench -- bundles rulebook  only these suites (results.json and the README are then left alone)
 *   npm run bench:lighthouse           the portal's Lighthouse scores, too long for the ten minutes: its
 *                                      rows replace its last ones in results.json and its README table
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { version as esbuildVersion } from 'esbuild';
import {
  formatNumber,
  markdownTable,
  type Row,
  rowCells,
  type SuiteResult,
  tableColumns,
  textTable,
} from './lib/report.ts';
import type { PhaseSummary } from './suites/stored-cases.ts';

const benchDir = import.meta.dirname;
const resultsFile = join(benchDir, 'results.json');
const readmeFile = join(benchDir, 'README.md');

/** In running order; the long end-to-end suite last, so it gets whatever time the others left. */
const suites = [
  { name: 'rulebook', capMs: 30_000 },
  { name: 'audit-anchors', capMs: 30_000 },
  { name: 'evidence-screening', capMs: 60_000 },
  { name: 'intake-handler', capMs: 90_000 },
  { name: 'peer', capMs: 90_000 },
  { name: 'notification-fanout', capMs: 45_000 },
  { name: 'bundles', capMs: 120_000 },
  { name: 'cost-model', capMs: 120_000 },
  { name: 'hot-fee', capMs: 420_000 },
  { name: 'registry-import', capMs: 150_000 },
  { name: 'stored-cases', capMs: 510_000 },
  // Four pages, several Lighthouse runs each: minutes the ten-minute run does not have. Run it with
  // `npm run bench:lighthouse`; its last rows are kept in results.json and its own table below.
  { name: 'lighthouse', capMs: 480_000, separately: true },
] as const;
const separately = (name: string) =>
  suites.some((suite) => suite.name === name && 'separately' in suite && suite.separately);
const totalBudgetMs = 9.75 * 60_000;
const minimumSuiteMs = 15_000;

const selected = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = selected.filter((name) => !suites.some((suite) => suite.name === name));
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const partial = selected.length > 0;
/** Only suites run on their own (`npm run bench:lighthouse`): their rows are recorded all the same. */
const recordingSeparately = partial && selected.every(separately);

const started = performance.now();
const work = await mkdtemp(join(tmpdir(), 'fee-campaign-bench-'));
const logFile = join(work, 'product-output.log');
const logFd = openSync(logFile, 'a');
const running = new Set<number>();

const stopGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const pid of running) stopGroup(pid, 'SIGTERM');
    process.exit(130);
  });
}

const runSuite = async (name: string, capMs: number): Promise<SuiteResult> => {
  const resultFile = join(work, `${name}.json`);
  const suiteStart = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, 'suites', `${name}.ts`)], {
    cwd: join(benchDir, '..'),
    env: {
      ...process.env,
      BENCH_RESULT_FILE: resultFile,
      BENCH_BUDGET_MS: String(capMs),
      BENCH_LOG_FD: '3',
      // Powertools' "no metrics to publish" warnings and the like go to the log file, not the table.
      NODE_NO_WARNINGS: '1',
    },
    // Its own process group: a time-out stops the suite and what it started (DynamoDB Local).
    detached: true,
    stdio: ['ignore', logFd, logFd, 'pipe'],
  });
  if (child.pid) running.add(child.pid);
  const progress = child.stdio[3];
  if (progress) {
    createInterface({ input: progress as NodeJS.ReadableStream }).on('line', (line) => console.log(line));
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid) {
      stopGroup(child.pid, 'SIGTERM');
      setTimeout(() => child.pid && stopGroup(child.pid, 'SIGKILL'), 5_000).unref();
    }
  }, capMs);
  const code = await new Promise<number | null>((resolve) =>
    child.once('exit', (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  if (child.pid) {
    running.delete(child.pid);
    // Anything the suite left behind in its group (it stops DynamoDB Local itself on the way out).
    stopGroup(child.pid, 'SIGKILL');
  }
  const seconds = Math.round((performance.now() - suiteStart) / 100) / 10;
  let result: SuiteResult;
  try {
    result = JSON.parse(await readFile(resultFile, 'utf8')) as SuiteResult;
  } catch {
    result = { suite: name, seconds, rows: [], details: {}, error: `no result (exit code ${code})` };
  }
  if (timedOut) result.error = `${result.error ?? ''} time limit of ${capMs / 1000} s reached`.trim();
  else if (code !== 0 && !result.error) result.error = `exit code ${code}`;
  result.seconds = seconds;
  return result;
};

const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
  esbuild: esbuildVersion,
  loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
});

const machineAtStart = machine();
console.log(
  `Benchmarks on ${machineAtStart.cpu} x${machineAtStart.cores}, ${machineAtStart.memoryGiB} GiB, Node ${machineAtStart.node}; load average ${machineAtStart.loadAverage.join(' ')}`,
);
const results: SuiteResult[] = [];
for (const suite of suites) {
  if (partial ? !selected.includes(suite.name) : separately(suite.name)) continue;
  const remaining = totalBudgetMs - (performance.now() - started);
  const capMs = Math.min(suite.capMs, remaining);
  if (capMs < minimumSuiteMs) {
    results.push({
      suite: suite.name,
      seconds: 0,
      rows: [],
      details: {},
      error: 'no time left in the 10-minute run',
    });
    continue;
  }
  console.log(`\n== ${suite.name} (at most ${Math.round(capMs / 1000)} s)`);
  const result = await runSuite(suite.name, capMs);
  console.log(`   ${result.error ? `ERROR: ${result.error.split('\n')[0]}` : 'done'} in ${result.seconds} s`);
  results.push(result);
}
closeSync(logFd);

const rows: Row[] = results.flatMap((result) =>
  result.error && result.rows.length === 0
    ? [
        {
          id: `${result.suite}.error`,
          section: 0,
          benchmark: result.suite,
          status: 'ERROR' as const,
          note: result.error.split('\n')[0],
        },
      ]
    : result.rows,
);
rows.sort((a, b) => a.section - b.section);
const machineAtEnd = machine();
const durationSeconds = Math.round((performance.now() - started) / 1000);

// --- Tables -----------------------------------------------------------------------------------
const mainCells = rows.map(rowCells);
const details = Object.fromEntries(results.map((result) => [result.suite, result.details]));

interface BundleDetail {
  function: string;
  bytes: number;
  floorBytes: number;
  topContributors: { name: string; bytes: number }[];
}
const bundleDetails = (details.bundles?.bundles ?? []) as BundleDetail[];
const bundleHeader = ['function', 'KiB', 'SDK floor KiB', 'largest contributors (KiB)'];
const bundleCells = bundleDetails.map((b) => [
  b.function,
  (b.bytes / 1024).toFixed(0),
  (b.floorBytes / 1024).toFixed(0),
  b.topContributors
    .slice(0, 6)
    .map((c) => `${c.name} ${(c.bytes / 1024).toFixed(0)}`)
    .join(', '),
]);

interface CostDetail {
  path: string;
  transitions: number;
  lambdaInvocations: number;
  workflowLambdaInvocations: number;
  lambdaGbSeconds: number;
  readUnits: number;
  writeUnits: number;
  usdPer1000: { stepFunctions: number; lambda: number; dynamodb: number; total: number };
}
const costDetails = ((details['cost-model'] as { costModel?: { paths?: CostDetail[] } } | undefined)
  ?.costModel?.paths ?? []) as CostDetail[];
const costHeader = [
  'path',
  'transitions',
  'Lambda inv. (workflow)',
  'GB-s',
  'RRU',
  'WRU',
  'SFN $',
  'Lambda $',
  'DynamoDB $',
  'total $/1,000 cases',
];
const money = (value: number) => value.toFixed(value >= 1 ? 2 : 3);
const costCells = costDetails.map((c) => [
  c.path,
  formatNumber(c.transitions),
  `${formatNumber(c.lambdaInvocations)} (${formatNumber(c.workflowLambdaInvocations)})`,
  c.lambdaGbSeconds.toFixed(3),
  formatNumber(c.readUnits),
  formatNumber(c.writeUnits),
  money(c.usdPer1000.stepFunctions),
  money(c.usdPer1000.lambda),
  money(c.usdPer1000.dynamodb),
  money(c.usdPer1000.total),
]);

type PhaseDetail = Pick<
  PhaseSummary,
  'storedCasesAtStart' | 'concurrency' | 'completed' | 'perSecond' | 'p50Ms' | 'p99Ms'
>;
const phaseDetails = Object.values(
  ((details['stored-cases'] as { phases?: Record<string, PhaseDetail[]> } | undefined)?.phases ??
    {}) as Record<string, PhaseDetail[]>,
).flat();
const phaseHeader = ['stored cases', 'concurrency', 'requests', 'complaints/s', 'p50 ms', 'p99 ms'];
const phaseCells = phaseDetails.map((p) => [
  p.storedCasesAtStart.toLocaleString('en-US'),
  String(p.concurrency),
  String(p.completed),
  p.perSecond.toFixed(1),
  p.p50Ms.toFixed(1),
  p.p99Ms.toFixed(1),
]);

console.log('\n=== Results (measured vs floor measured in this run; ratio = measured / floor) ===\n');
console.log(textTable(tableColumns, mainCells));
for (const row of rows) {
  if (row.note && (row.status === 'MISSED' || row.status === 'ERROR' || row.status === 'SKIPPED')) {
    console.log(`${row.status === 'MISSED' ? 'MISSED' : row.status}: ${row.benchmark}: ${row.note}`);
  }
}
if (bundleCells.length > 0) console.log(`\nBundles\n${textTable(bundleHeader, bundleCells)}`);
if (phaseCells.length > 0) console.log(`\nEnd to end (local runtime)\n${textTable(phaseHeader, phaseCells)}`);
if (costCells.length > 0)
  console.log(`\nCost per case path (USD per 1,000 cases, us-east-1)\n${textTable(costHeader, costCells)}`);

const counts = {
  pass: rows.filter((row) => row.status === 'PASS').length,
  missed: rows.filter((row) => row.status === 'MISSED').length,
  info: rows.filter((row) => row.status === 'INFO').length,
  skipped: rows.filter((row) => row.status === 'SKIPPED').length,
  errors: results.filter((result) => result.error).length,
};
console.log(
  `\n${counts.pass} passed, ${counts.missed} MISSED, ${counts.skipped} skipped, ${counts.errors} suite error(s); ${durationSeconds} s; load average ${machineAtStart.loadAverage.join(' ')} at start, ${machineAtEnd.loadAverage.join(' ')} at the end`,
);
for (const result of results.filter((r) => r.error)) {
  console.log(`\nERROR in ${result.suite}:\n${result.error}`);
}
if (counts.errors > 0)
  console.log(`\nThe product's own output (Powertools, engine, DynamoDB Local) is in ${logFile}`);

// --- Files --------------------------------------------------------------------------------------
interface ResultsDocument {
  rows?: Row[];
  suites?: Record<string, unknown>;
  [key: string]: unknown;
}
const previousResults = async (): Promise<ResultsDocument> => {
  try {
    return JSON.parse(await readFile(resultsFile, 'utf8')) as ResultsDocument;
  } catch {
    return {};
  }
};
const writeResults = async (document: ResultsDocument) => {
  await writeFile(`${resultsFile}.tmp`, `${JSON.stringify(document, null, 2)}\n`);
  await rename(`${resultsFile}.tmp`, resultsFile);
};
/** Biome formats Markdown tables too (`npm run lint`): leave the README as it would. */
const formatReadme = () => {
  try {
    execFileSync(join(benchDir, '..', 'node_modules', '.bin', 'biome'), ['format', '--write', readmeFile], {
      stdio: 'ignore',
    });
  } catch {
    console.log(`(could not run biome format on ${readmeFile})`);
  }
};
/** A suite's rows are those whose id starts with its name (run.ts's error row does too). */
const rowsOf = (suite: string, all: readonly Row[]) => all.filter((row) => row.id.startsWith(`${suite}.`));

if (recordingSeparately) {
  // Only this suite's rows and entry change; the rest of the last full run stays as it was.
  const generatedAt = new Date().toISOString();
  const document = await previousResults();
  const names = results.map((result) => result.suite);
  document.rows = [
    ...(document.rows ?? []).filter((row) => !names.some((name) => row.id.startsWith(`${name}.`))),
    ...rows,
  ];
  document.suites = document.suites ?? {};
  for (const result of results) {
    document.suites[result.suite] = {
      generatedAt,
      command: `npm run bench -- ${result.suite}`,
      machine: { ...machineAtStart, loadAverageAtEnd: machineAtEnd.loadAverage },
      seconds: result.seconds,
      error: result.error,
      details: result.details,
    };
  }
  await writeResults(document);
  let readme = await readFile(readmeFile, 'utf8');
  for (const name of names) {
    const block = new RegExp(`(<!-- bench:${name}:start -->\n)[\\s\\S]*?(\n<!-- bench:${name}:end -->)`);
    const markdown = [
      `Run: ${generatedAt.slice(0, 16).replace('T', ' ')} UTC, ${durationSeconds} s, on ${machineAtStart.cpu} x${machineAtStart.cores}, Node ${machineAtStart.node}; load average ${machineAtStart.loadAverage.join(' ')} at start, ${machineAtEnd.loadAverage.join(' ')} at the end.`,
      '',
      markdownTable(tableColumns, rowsOf(name, rows).map(rowCells)),
    ].join('\n');
    if (block.test(readme))
      readme = readme.replace(block, (_, open: string, close: string) => `${open}${markdown}${close}`);
    else console.log(`${readmeFile} has no bench:${name} markers`);
  }
  await writeFile(readmeFile, readme);
  formatReadme();
  console.log(`\nRecorded the rows of ${names.join(', ')} in ${resultsFile} and ${readmeFile}`);
}

if (!partial) {
  const generatedAt = new Date().toISOString();
  // Suites run on their own keep their last rows (and their own table in the README).
  const previous = await previousResults();
  const kept = suites.filter((suite) => separately(suite.name)).map((suite) => suite.name);
  const document = {
    generatedAt,
    command: 'npm run bench',
    durationSeconds,
    machine: { ...machineAtStart, loadAverageAtEnd: machineAtEnd.loadAverage },
    summary: counts,
    rows: [...rows, ...kept.flatMap((name) => rowsOf(name, previous.rows ?? []))],
    suites: {
      ...Object.fromEntries(
        kept.flatMap((name) => (previous.suites?.[name] ? [[name, previous.suites[name]]] : [])),
      ),
      ...Object.fromEntries(
        results.map((result) => [
          result.suite,
          { seconds: result.seconds, error: result.error, details: result.details },
        ]),
      ),
    },
  };
  await writeResults(document);

  const markdown = [
    `Latest run: ${generatedAt.slice(0, 16).replace('T', ' ')} UTC, ${durationSeconds} s, on ${machineAtStart.cpu} x${machineAtStart.cores}, ${machineAtStart.memoryGiB} GiB, ${machineAtStart.os}, Node ${machineAtStart.node}, esbuild ${machineAtStart.esbuild}; load average ${machineAtStart.loadAverage.join(' ')} at start, ${machineAtEnd.loadAverage.join(' ')} at the end.`,
    '',
    markdownTable(tableColumns, mainCells),
    ...(bundleCells.length > 0 ? ['', '**Bundles**', '', markdownTable(bundleHeader, bundleCells)] : []),
    ...(phaseCells.length > 0
      ? ['', '**End to end (local runtime)**', '', markdownTable(phaseHeader, phaseCells)]
      : []),
    ...(costCells.length > 0
      ? [
          '',
          '**Cost per case path** (USD per 1,000 cases, us-east-1)',
          '',
          markdownTable(costHeader, costCells),
        ]
      : []),
  ].join('\n');
  try {
    const readme = await readFile(readmeFile, 'utf8');
    const block = /(<!-- bench:results:start -->\n)[\s\S]*?(\n<!-- bench:results:end -->)/;
    if (block.test(readme)) {
      await writeFile(
        readmeFile,
        readme.replace(block, (_, open: string, close: string) => `${open}${markdown}${close}`),
      );
      formatReadme();
      console.log(`\nWrote ${resultsFile} and the tables in ${readmeFile}`);
    } else console.log(`\nWrote ${resultsFile}; ${readmeFile} has no bench:results markers`);
  } catch {
    console.log(`\nWrote ${resultsFile}; no ${readmeFile}`);
  }
}
if (counts.errors === 0) await rm(work, { recursive: true, force: true });
process.exit(counts.errors > 0 ? 1 : 0);
