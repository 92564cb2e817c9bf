/**
 * The HTTP load generator of the end-to-end benchmark, in a process of its own so that the client's
 * work does not share an event loop with the runtime it measures. Driven over IPC by `LoadGenerator`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { benchComplaint } from './complaints.ts';

export interface LoadPhase {
  url: string;
  /** Enterprise tokens; request n uses tokens[n % length]. */
  tokens: string[];
  concurrency: number;
  count: number;
  /** Stops early after this long (the phase reports what it completed). */
  maxMs: number;
  /** Complaint numbers start here, with this fee-name tag: every request opens a new case. */
  firstNumber: number;
  tag: string;
  /** Every request about one fee instead (it opens one case; the others join it). */
  oneFee?: boolean;
}

export interface LoadResult {
  completed: number;
  elapsedMs: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  opened: number;
  firstError?: string;
}

const runPhase = async (phase: LoadPhase): Promise<LoadResult> => {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let opened = 0;
  let firstError: string | undefined;
  let next = 0;
  const start = performance.now();
  const bodies = Array.from({ length: phase.count }, (_, i) =>
    JSON.stringify(benchComplaint(phase.firstNumber + i, { tag: phase.tag, oneFee: phase.oneFee === true })),
  );
  const worker = async () => {
    while (next < phase.count && performance.now() - start < phase.maxMs) {
      const i = next++;
      const sent = performance.now();
      try {
        const response = await fetch(`${phase.url}/api/complaints`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${phase.tokens[i % phase.tokens.length]}`,
            'content-type': 'application/json',
          },
          body: bodies[i],
        });
        const text = await response.text();
        latenciesMs.push(performance.now() - sent);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 202) {
          if (!(JSON.parse(text) as { joinedExistingCase: boolean }).joinedExistingCase) opened += 1;
        } else firstError ??= `${response.status} ${text.slice(0, 300)}`;
      } catch (error) {
        statuses.network = (statuses.network ?? 0) + 1;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: phase.concurrency }, worker));
  return {
    completed: latenciesMs.length,
    elapsedMs: performance.now() - start,
    latenciesMs,
    statuses,
    opened,
    ...(firstError ? { firstError } : {}),
  };
};

if (process.send && process.argv.includes('--load-generator')) {
  process.on('message', (phase: LoadPhase) => {
    runPhase(phase).then(
      (result) => process.send?.({ result }),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

/** The parent's handle on the load generator process. */
export class LoadGenerator {
  private readonly child: ChildProcess;

  constructor() {
    this.child = fork(new URL(import.meta.url).pathname, ['--load-generator'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  run(phase: LoadPhase): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: { result?: LoadResult; error?: string }) => {
        this.child.off('exit', onExit);
        if (message.result) resolve(message.result);
        else reject(new Error(`load generator: ${message.error}`));
      });
      this.child.send(phase);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}
