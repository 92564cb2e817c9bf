/**
 * The harness of one suite: each suite runs in a process of its own (bench/run.ts starts it), so SDK
 * mocks, handler modules that read their configuration at import, and DynamoDB Local never leak into
 * another benchmark. The suite writes its result to BENCH_RESULT_FILE and exits; a SIGTERM (the
 * runner's time limit) exits through the 'exit' hooks, which stop DynamoDB Local.
 */
import { writeFileSync, writeSync } from 'node:fs';
import { judged, type Row, type SuiteResult } from './report.ts';

export interface SuiteContext {
  /** Adds a row; rows with a target are judged PASS/MISSED, others are INFO. */
  row(row: Omit<Row, 'status'> & { status?: Row['status'] }): void;
  detail(key: string, value: unknown): void;
  log(line: string): void;
  /** performance.now() by which the suite should wrap up (its share of the run's time). */
  deadline: number;
}

export const runSuite = async (suite: string, body: (context: SuiteContext) => Promise<void>) => {
  const started = performance.now();
  const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 120_000);
  const resultFile = process.env.BENCH_RESULT_FILE;
  const result: SuiteResult = { suite, seconds: 0, rows: [], details: {} };
  const write = () => {
    result.seconds = Math.round((performance.now() - started) / 100) / 10;
    const text = `${JSON.stringify(result, null, 2)}\n`;
    if (resultFile) writeFileSync(resultFile, text);
    else process.stdout.write(text);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    result.error = `stopped by ${signal} (time limit)`;
    write();
    // process.exit runs the 'exit' hooks (DynamoDB Local is stopped there); a bare SIGTERM would not.
    process.exit(2);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const context: SuiteContext = {
    row: (row) => {
      result.rows.push(judged(row));
    },
    detail: (key, value) => {
      result.details[key] = value;
    },
    // The runner reads progress on fd 3 and sends the product's own output (Powertools warnings, the
    // engine's log) to a log file; run alone, a suite logs to stderr.
    log: (line) => {
      const text = `  [${suite}] ${line}\n`;
      if (process.env.BENCH_LOG_FD) writeSync(Number(process.env.BENCH_LOG_FD), text);
      else process.stderr.write(text);
    },
    deadline: started + budgetMs * 0.85,
  };
  let code = 0;
  try {
    await body(context);
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    code = 1;
  }
  write();
  process.exit(code);
};
