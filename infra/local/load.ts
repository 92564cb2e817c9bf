/**
 * `npm run load -- --complaints N --concurrency C [--url http://127.0.0.1:PORT]`: files N complaints,
 * C at a time, against a running local runtime (`npm start`), then checks that what was accepted was
 * stored: every accepted complaint is read back by its owner, and the campaign's complaint counter
 * grew by exactly the number accepted. Prints throughput and p50/p99 latency.
 *
 * It only ever talks to the loopback interface, and it is bounded: at most 9,000 complaints and
 * 20,000 requests in all (tokens, filings, retries, read-backs), at most 120 seconds.
 */

import { parseArgs } from 'node:util';
import { associationCode, claimsOf, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { sendJsonRequest } from '#infra/local/json-request';

export const loadLimits = {
  maxComplaints: 9_000,
  maxConcurrency: 256,
  /** Every request counts: tokens, filings, retries, read-backs, metrics reads. */
  maxRequests: 20_000,
  maxSeconds: 120,
} as const;

export interface LoadOptions {
  url: string;
  complaints: number;
  concurrency: number;
  /** Overall time limit in seconds (at most 120). */
  maxSeconds?: number;
  /** Tells this run's enterprises and fees from earlier runs' (default: random). */
  run?: number;
  log?: (line: string) => void;
}

export interface LoadReport {
  complaints: number;
  concurrency: number;
  /** Complaints answered 202. */
  accepted: number;
  /** Accepted complaints their owner could read back. */
  stored: number;
  /** Accepted but not read back: must be 0. */
  lost: number;
  /** Answers with status >= 500 (filing and read-back): must be 0. */
  serverErrors: number;
  /** Filings answered 429/503 and sent again with the same Idempotency-Key. */
  retried: number;
  /** Requests that got no HTTP answer at all. */
  transportErrors: number;
  statuses: Record<string, number>;
  requests: number;
  seconds: number;
  /** Accepted complaints per second of the filing phase. */
  throughput: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** How much the campaign's complaintsReceived counter grew once the stream caught up. */
  counterGrowth: number | null;
  stoppedEarly?: string;
}

export class LoadRefusedError extends Error {
  override name = 'LoadRefusedError';
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The load only ever goes to this machine's loopback interface, over plain HTTP. */
export const loopbackUrl = (raw: string): URL => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LoadRefusedError(`Not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname) || url.username || url.password) {
    throw new LoadRefusedError(
      `Refusing ${url.origin}: the load runs only against the local runtime on 127.0.0.1 or localhost`,
    );
  }
  return url;
};

const percentile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runLoad = async (options: LoadOptions): Promise<LoadReport> => {
  const base = loopbackUrl(options.url).origin;
  const { complaints, concurrency } = options;
  if (!Number.isInteger(complaints) || complaints < 1 || complaints > loadLimits.maxComplaints)
    throw new LoadRefusedError(`--complaints must be a whole number from 1 to ${loadLimits.maxComplaints}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > loadLimits.maxConcurrency)
    throw new LoadRefusedError(`--concurrency must be a whole number from 1 to ${loadLimits.maxConcurrency}`);
  const maxSeconds = options.maxSeconds ?? loadLimits.maxSeconds;
  if (!Number.isFinite(maxSeconds) || maxSeconds < 1 || maxSeconds > loadLimits.maxSeconds)
    throw new LoadRefusedError(`--max-seconds must be from 1 to ${loadLimits.maxSeconds}`);
  const log = options.log ?? (() => undefined);
  const run = options.run ?? Math.floor(Math.random() * 9_000) + 1_000;
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  // Filing gets three quarters of the time; the checks need the rest.
  const filingDeadline = started + maxSeconds * 750;
  const statuses: Record<string, number> = {};
  let requests = 0;
  let serverErrors = 0;
  let transportErrors = 0;
  let stoppedEarly: string | undefined;

  const call = async (
    method: string,
    path: string,
    init: { token?: string; body?: unknown; key?: string } = {},
  ) => {
    if (requests >= loadLimits.maxRequests) {
      stoppedEarly ??= `request cap of ${loadLimits.maxRequests} reached`;
      return undefined;
    }
    requests += 1;
    try {
      const response = await sendJsonRequest(base, method, path, init);
      const text = await response.text();
      if (response.status >= 500) serverErrors += 1;
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
    } catch {
      transportErrors += 1;
      return undefined;
    }
  };

  // Who files: one enterprise per 20 complaints, about the fees of 50 associations (unique fee names).
  const provinces = ['11', '31', '32', '33', '44', '51'];
  const number = (i: number) => run * 100_000 + i;
  const enterprises = Array.from({ length: Math.ceil(complaints / 20) }, (_, i) =>
    enterpriseCode(provinces[i % provinces.length] as string, number(i)),
  );
  const associations = Array.from({ length: Math.min(50, complaints) }, (_, i) =>
    associationCode(provinces[i % provinces.length] as string, number(i)),
  );
  const tokenOf = async (claims: Record<string, string>) => {
    const response = await call('POST', '/local/token', { body: claims });
    if (response?.status !== 200)
      throw new Error(
        `No development token from ${base}: is it \`npm start\` with LOCAL_DEV_TOKENS=1 (docs/accounts.md)?`,
      );
    return response.body.token as string;
  };
  const admin = await tokenOf(claimsOf.admin());
  const tokens: string[] = [];
  for (let i = 0; i < enterprises.length; i += 32) {
    const batch = enterprises.slice(i, i + 32);
    tokens.push(...(await Promise.all(batch.map((creditCode) => tokenOf(claimsOf.enterprise(creditCode))))));
  }

  const complaintsReceived = async (): Promise<number | undefined> => {
    const response = await call('GET', '/api/metrics', { token: admin });
    return response?.status === 200 ? (response.body.figures.complaintsReceived as number) : undefined;
  };
  /** The counter once the stream has caught up with everything so far: two equal reads in a row. */
  const settledCounter = async (until: number, target?: number) => {
    let previous = await complaintsReceived();
    while (performance.now() < until) {
      await sleep(400);
      const current = await complaintsReceived();
      if (current !== undefined && current === previous && (target === undefined || current >= target))
        return current;
      previous = current;
    }
    return previous;
  };
  const counterBefore = await settledCounter(started + 15_000);

  // Filing: C workers take the next complaint until all are filed or time is up.
  const latencies: number[] = [];
  const accepted: { complaintId: string; token: string }[] = [];
  let retried = 0;
  let next = 0;
  const fileOne = async (i: number) => {
    const token = tokens[Math.floor(i / 20)] as string;
    const body = complaintBody({
      associationCode: associations[i % associations.length] as string,
      associationName: `Load association ${i % associations.length}`,
      feeName: `Load test fee ${run}-${i}`,
      category: 'MEETING_TRAINING',
      amountFen: 10_000 + (i % 1_000) * 100,
      chargedOn: '2026-01-15',
      period: 'ONE_OFF',
      facts: { compulsory: true },
      description: `Load test complaint ${i} of run ${run}.`,
      contact: { name: `Load contact ${i}`, phone: '13800000000' },
    });
    for (let attempt = 0; attempt < 4; attempt++) {
      const sent = performance.now();
      const response = await call('POST', '/api/complaints', { token, body, key: `load-${run}-${i}` });
      latencies.push(performance.now() - sent);
      const status = response ? String(response.status) : 'no answer';
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (response?.status === 202) {
        accepted.push({ complaintId: response.body.complaintId as string, token });
        return;
      }
      if (response?.status !== 429 && response?.status !== 503) return;
      retried += 1;
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000 * Math.random());
    }
  };
  const worker = async () => {
    while (next < complaints) {
      if (performance.now() > filingDeadline) {
        stoppedEarly ??= `time limit: filed ${next} of ${complaints}`;
        return;
      }
      const i = next++;
      await fileOne(i);
      if (i > 0 && i % Math.max(1, Math.floor(complaints / 10)) === 0) log(`filed ${i} of ${complaints}`);
    }
  };
  const filingStarted = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, complaints) }, worker));
  const filingSeconds = (performance.now() - filingStarted) / 1000;

  // Check: every accepted complaint can be read back by its owner.
  let stored = 0;
  let cursor = 0;
  const reader = async () => {
    while (cursor < accepted.length && performance.now() < deadline) {
      const { complaintId, token } = accepted[cursor++] as (typeof accepted)[number];
      const response = await call('GET', `/api/complaints/${complaintId}`, { token });
      if (response?.status === 200 && response.body.complaint?.complaintId === complaintId) stored += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, 32) }, reader));
  if (cursor < accepted.length) stoppedEarly ??= `time limit: read back ${cursor} of ${accepted.length}`;

  // Check: the counter grew by exactly what was accepted, once the stream caught up.
  const counterAfter =
    counterBefore === undefined ? undefined : await settledCounter(deadline, counterBefore + accepted.length);

  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    complaints,
    concurrency,
    accepted: accepted.length,
    stored,
    lost: accepted.length - stored,
    serverErrors,
    retried,
    transportErrors,
    statuses,
    requests,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    throughput: Math.round((accepted.length / Math.max(filingSeconds, 0.001)) * 10) / 10,
    latencyMs: {
      p50: round(percentile(sorted, 0.5)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted.at(-1) ?? 0),
    },
    counterGrowth:
      counterBefore === undefined || counterAfter === undefined ? null : counterAfter - counterBefore,
    ...(stoppedEarly ? { stoppedEarly } : {}),
  };
};

export const formatReport = (report: LoadReport): string =>
  [
    `complaints   ${report.complaints} at concurrency ${report.concurrency}: ${report.accepted} accepted, ${report.stored} read back, lost ${report.lost}`,
    `answers      ${Object.entries(report.statuses)
      .map(([status, count]) => `${status} x${count}`)
      .join(
        ', ',
      )}; 5xx ${report.serverErrors}; retried ${report.retried}; no answer ${report.transportErrors}`,
    `throughput   ${report.throughput} complaints/s; latency p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `counters     complaintsReceived grew by ${report.counterGrowth ?? 'unknown'} (accepted ${report.accepted})`,
    `requests     ${report.requests} in ${report.seconds} s${report.stoppedEarly ? `; stopped early: ${report.stoppedEarly}` : ''}`,
  ].join('\n');

/** Accepted = stored, the counter agrees, and no answer was a 5xx. */
export const loadPassed = (report: LoadReport) =>
  report.lost === 0 &&
  report.serverErrors === 0 &&
  report.transportErrors === 0 &&
  report.counterGrowth === report.accepted &&
  report.stoppedEarly === undefined;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      complaints: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '16' },
      url: { type: 'string' },
      'max-seconds': { type: 'string', default: String(loadLimits.maxSeconds) },
    },
  });
  const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  try {
    loopbackUrl(url);
    const health = await fetch(`${new URL(url).origin}/api/health`).catch(() => undefined);
    if (!health?.ok) {
      console.error(`No local runtime answers at ${url}: start it with \`npm start\` first (or pass --url).`);
      process.exit(1);
    }
    const report = await runLoad({
      url,
      complaints: Number(values.complaints),
      concurrency: Number(values.concurrency),
      maxSeconds: Number(values['max-seconds']),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    console.log(formatReport(report));
    process.exit(loadPassed(report) ? 0 : 1);
  } catch (error) {
    if (!(error instanceof LoadRefusedError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
