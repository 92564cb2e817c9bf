/**
 * Restart chaos: the real `npm start` (its own process group: npm, Node and DynamoDB Local's Java)
 * killed with SIGKILL three times at random moments of a seeded campaign run (`seedCampaign` from
 * infra/local/seed.ts, unchanged) and started again each time on the same data folder and port.
 *
 * The seeding client is made resilient the way a real client is: a filing carries an Idempotency-Key,
 * a request that meets a dead or starting server (no connection, reset, 503) is sent again as it was
 * once the server is back. After the last restart the test completes every task still open, then
 * reads the process's own DynamoDB Local (its endpoint is in the output) and checks: every accepted
 * complaint exists exactly once (and a retry of it, after all the restarts, is answered with its
 * receipt); every case reached its outcome; the table is whole; the counters equal the truth.
 *
 * The kill moments come from a seeded generator (CHAOS_SEED to replay one); the seed is printed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { secretsFile } from '#infra/local/runtime-record';
import { seedCampaign } from '#infra/local/seed';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import { figuresOf } from '#shared/metrics/figures';
import {
  checkTableInvariants,
  complaintsWithoutOutcome,
  scanTable,
} from '#test/reliability/support/table-invariants';
import { eventually } from '#test/support/eventually';
import { freePort, type LocalProcess, startLocalProcess } from '#test/support/local-process';
import { truthFromTable, withoutZeros } from '#test/support/metrics-truth';
import { seededRandom } from '#test/support/seeded-random';
import type { TestTable } from '#test/support/table';

const chaosSeed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const cases = 12;
const kills = 3;

/** Draws the kill moments only, so the same seed kills at the same moments whatever else happens. */
const killMoment = seededRandom(chaosSeed);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let running: LocalProcess | undefined;
afterAll(async () => {
  vi.unstubAllGlobals();
  await running?.interrupt().catch(() => running?.crash());
});

// --- the resilient client --------------------------------------------------------------------------

const realFetch = globalThis.fetch;

interface Filing {
  key: string;
  /** The start of the runtime (0 = first) that answered 202. */
  answeredBy?: number;
  headers: Record<string, string>;
  body: string;
  receipt?: { complaintId: string; caseId: string };
}

const chaos = {
  filings: new Map<string, Filing>(),
  /** Requests that met a dead, dying or starting server and were sent again. */
  retriedRequests: 0,
  /** Filings whose first attempt got no answer (cut by a kill, or sent while the server was down). */
  unanswered: new Set<string>(),
  requests: 0,
};
let filingSerial = 0;
let generation = 0;
const killTimes: number[] = [];

const headersOf = (init?: RequestInit): Record<string, string> => {
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
};

/** Sends the request again, as it was, while the server is down or starting: for at most 90 s. */
const resilientFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const url = new URL(String(input));
  const method = init?.method ?? 'GET';
  const headers = headersOf(init);
  const filing = method === 'POST' && url.pathname === '/api/complaints';
  let record: Filing | undefined;
  if (filing) {
    headers['idempotency-key'] ??= `chaos-${chaosSeed}-${++filingSerial}`;
    const key = headers['idempotency-key'] as string;
    record = { key, headers, body: String(init?.body) };
    chaos.filings.set(key, record);
  }
  const giveUpAt = Date.now() + 90_000;
  for (let attempt = 0; ; attempt++) {
    chaos.requests += 1;
    try {
      const response = await realFetch(url, { ...init, headers, signal: AbortSignal.timeout(20_000) });
      if (response.status === 503 || response.status === 429) {
        if (Date.now() > giveUpAt) return response;
        chaos.retriedRequests += 1;
        await sleep(250 + 500 * Math.random());
        continue;
      }
      if (record && response.status === 202) {
        record.receipt = await response.clone().json();
        record.answeredBy = generation;
      }
      return response;
    } catch (error) {
      // No answer: the server is gone (connection refused or reset) or the answer was cut off.
      if (Date.now() > giveUpAt) throw error;
      if (record && attempt === 0) chaos.unanswered.add(record.key);
      chaos.retriedRequests += 1;
      await sleep(250);
    }
  }
};

// --- the process and its table ---------------------------------------------------------------------

const dynamoEndpointOf = (output: string) => {
  const endpoints = [...output.matchAll(/DynamoDB Local\s+(http:\/\/127\.0\.0\.1:\d+)/g)];
  const endpoint = endpoints.at(-1)?.[1];
  if (!endpoint) throw new Error(`No DynamoDB Local endpoint in the output:\n${output}`);
  return endpoint;
};

const tableOf = (endpoint: string): TestTable => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    tableName: 'fee-campaign',
    client,
    documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  };
};

// biome-ignore lint/suspicious/noExplicitAny: the driver reads API answers loosely, by the fields it needs
type Json = Record<string, any>;

const api = async (url: string, method: string, path: string, token?: string, body?: unknown) => {
  const response = await resilientFetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
};

/** Completes every open task, as the people it waits on would, until every case is closed. */
const finishEveryCase = async (url: string, table: TestTable) => {
  const tokens = new Map<string, Promise<string>>();
  const token = (claims: Record<string, string>) => {
    const key = JSON.stringify(claims);
    if (!tokens.has(key))
      tokens.set(
        key,
        api(url, 'POST', '/local/token', undefined, claims).then((r) => r.body.token as string),
      );
    return tokens.get(key) as Promise<string>;
  };
  const admin = await token({ role: 'campaign-admin' });
  let completions = 0;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const open = (await scanTable(table)).filter(
      (item) => item.entity === 'FeeCase' && item.stage !== 'CLOSED',
    );
    if (open.length === 0) return completions;
    const tasks: Json[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(
        url,
        'GET',
        `/api/tasks?status=OPEN&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        admin,
      );
      tasks.push(...(page.body.items as Json[]));
      cursor = page.body.cursor as string | null;
    } while (cursor);
    for (const task of tasks) {
      const regulator = await token({ role: 'regulator', agency: task.agency, province: task.province });
      let actor = regulator;
      let body: unknown;
      switch (task.kind) {
        case 'REVIEW':
          body = {
            verdict: 'UNLAWFUL',
            ruleIds: ['R05'],
            reason: 'Finished after the chaos',
            actions: ['ABOLISH'],
          };
          break;
        case 'RECTIFICATION':
          // A regulator may report on the association's behalf.
          body = { abolished: true, refundedFen: 0, evidence: [{ kind: 'NOTICE', reference: 'chaos' }] };
          break;
        case 'VERIFICATION':
          body = { accepted: true };
          break;
        case 'EXTENSION':
          body = { granted: false };
          break;
        case 'SECOND_REVIEW':
          // Four eyes: not the regulator who decided.
          actor = await token({
            role: 'regulator',
            agency: task.agency,
            province: task.province,
            name: 'second',
          });
          body = { confirmed: true };
          break;
        case 'INFO': {
          const { Item } = await table.documentClient.send(
            new GetCommand({ TableName: table.tableName, Key: { pk: `TASK#${task.taskId}`, sk: 'TASK' } }),
          );
          actor = await token({ role: 'enterprise', creditCode: Item?.enterpriseCreditCode as string });
          body = { note: 'Answered after the chaos' };
          break;
        }
      }
      const done = await api(
        url,
        'POST',
        `/api/tasks/${encodeURIComponent(task.taskId)}/complete`,
        actor,
        body,
      );
      if (done.status === 200) completions += 1;
      else expect(done.status, JSON.stringify(done.body)).toBe(409);
    }
    await sleep(300);
  }
  const all = await scanTable(table);
  const stuck = all.filter((item) => item.entity === 'FeeCase' && item.stage !== 'CLOSED');
  const story = stuck.map((feeCase) => ({
    caseId: feeCase.caseId,
    stage: feeCase.stage,
    flags: feeCase.flags,
    currentTask: feeCase.currentTask,
    events: all
      .filter((item) => item.entity === 'CaseEvent' && item.caseId === feeCase.caseId)
      .map((item) => `${item.seq} ${item.at} ${item.type} ${JSON.stringify(item.data ?? {})}`),
    tasks: all
      .filter((item) => item.entity === 'Task' && item.caseId === feeCase.caseId)
      .map((item) => `${item.taskId} ${item.status} ${item.province} v${item.version}`),
  }));
  throw new Error(
    `Cases still open after 60 s:\n${JSON.stringify(story, null, 1)}\nkills at ${killTimes.map((t) => new Date(t).toISOString()).join(', ')}\nlast output:\n${running?.output()}`,
  );
};

describe('npm start killed with SIGKILL during a seeded run, again and again', () => {
  it(`loses no accepted complaint, finishes every case and keeps counters exact (seed ${chaosSeed})`, async () => {
    const started = Date.now();
    const env = {
      PORT: String(await freePort()),
      LOCAL_DATA_DIR: await mkdtemp(join(tmpdir(), 'campaign-chaos-')),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    running = await startLocalProcess(env);
    const url = running.url;
    vi.stubGlobal('fetch', resilientFetch);

    // The seeding runs on while the runtime is killed and started under it.
    const seeding = seedCampaign({ url, cases, concurrency: 4, run: 1_000 + (chaosSeed % 8_000) });
    const killedAt: number[] = [];
    for (let kill = 0; kill < kills; kill++) {
      const delay = 1_000 + Math.floor(killMoment() * 4_000);
      await sleep(delay);
      killedAt.push(delay);
      killTimes.push(Date.now());
      await running.crash();
      generation += 1;
      running = await startLocalProcess(env);
    }
    const seeded = await seeding;
    const table = tableOf(dynamoEndpointOf(running.output()));
    const completions = await finishEveryCase(url, table);
    // The last step of a closing case writes the outcome onto its complaints; let it finish.
    const withoutOutcome = await eventually(
      () => complaintsWithoutOutcome(table),
      (missing) => missing.length === 0,
      { timeoutMs: 20_000, intervalMs: 250 },
    ).catch(() => complaintsWithoutOutcome(table));

    // Every filing is sent once more, after all the restarts, with its key: its receipt comes back.
    const replays = await Promise.all(
      [...chaos.filings.values()].map(async (filing) => {
        const response = await realFetch(`${url}/api/complaints`, {
          method: 'POST',
          headers: filing.headers,
          body: filing.body,
        });
        return { filing, status: response.status, body: (await response.json()) as Json };
      }),
    );
    const accepted = [...chaos.filings.values()].filter((filing) => filing.receipt);
    const items = await scanTable(table);
    const stored = items.filter((item) => item.entity === 'Complaint');
    const copiesOf = (filing: Filing) =>
      stored.filter((item) => item.complaintId === filing.receipt?.complaintId).length;
    const lost = accepted.filter((filing) => copiesOf(filing) === 0);
    const feeCases = items.filter((item) => item.entity === 'FeeCase');
    const unfinished = feeCases.filter((item) => item.stage !== 'CLOSED' || !item.outcome);
    // The audit chains were linked with the key of the runtime's data folder.
    const { auditKey } = JSON.parse(await readFile(secretsFile(env.LOCAL_DATA_DIR), 'utf8'));
    const report = await checkTableInvariants({ ...table, auditSeal: new LocalKeyAuditSeal(auditKey) });

    // Counters: the stream catches up on its own; wait until the API reads what the table says.
    const truth = await truthFromTable(table);
    const expectedFigures = figuresOf(truth.ALL ?? {});
    const admin = (await api(url, 'POST', '/local/token', undefined, { role: 'campaign-admin' })).body
      .token as string;
    const readFigures = async () => (await api(url, 'GET', '/api/metrics', admin)).body.figures as Json;
    const figures = await eventually(
      readFigures,
      (read) => JSON.stringify(read) === JSON.stringify(expectedFigures),
      { timeoutMs: 30_000, intervalMs: 500 },
    ).catch(readFigures);
    const store = new DynamoMetricsStore(table.documentClient, table.tableName);
    const drift: string[] = [];
    for (const [scope, counters] of Object.entries(truth)) {
      const read = withoutZeros(await store.read(scope));
      if (JSON.stringify(Object.entries(read).sort()) !== JSON.stringify(Object.entries(counters).sort()))
        drift.push(scope);
    }
    console.log(
      `[restart-chaos] seed ${chaosSeed}: ${kills} SIGKILLs at ${killedAt.join(', ')} ms after each start; ` +
        `seed run ${seeded.cases - seeded.failed}/${seeded.cases} cases undisturbed, ${completions} tasks completed afterwards; ` +
        `${chaos.requests} requests, ${chaos.retriedRequests} sent again after a kill or during a start, ` +
        `${chaos.unanswered.size} filings unanswered at first; accepted ${accepted.length}, stored ${stored.length}, lost ${lost.length}; ` +
        `cases ${feeCases.length}, closed ${feeCases.length - unfinished.length}; ` +
        `counter scopes ${Object.keys(truth).length}, drifting ${drift.length}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    if (lost.length > 0 || unfinished.length > 0)
      console.log(
        `[restart-chaos] for the record: ${JSON.stringify({ lost, unfinished, killTimes, dataDir: env.LOCAL_DATA_DIR })}`,
      );

    expect(killedAt).toHaveLength(kills);
    // Every filing got its answer in the end, and every accepted complaint is stored exactly once.
    expect(accepted.length).toBe(chaos.filings.size);
    expect(accepted.length).toBeGreaterThanOrEqual(cases);
    expect(lost).toEqual([]);
    expect(accepted.filter((filing) => copiesOf(filing) !== 1)).toEqual([]);
    expect(stored).toHaveLength(accepted.length);
    for (const { filing, status, body } of replays) {
      expect(status, filing.key).toBe(202);
      expect(body).toMatchObject(filing.receipt ?? {});
    }
    // Every case reached its outcome, on the case and on each complaint; the table is whole.
    expect(feeCases.length).toBeGreaterThanOrEqual(cases);
    expect(unfinished).toEqual([]);
    expect(withoutOutcome).toEqual([]);
    expect(report.violations).toEqual([]);
    // The counters equal the truth, and the stream set nothing aside.
    expect(drift).toEqual([]);
    expect(figures).toEqual(expectedFigures);
    expect(existsSync(join(env.LOCAL_DATA_DIR, 'dead-letters-case-metrics.jsonl'))).toBe(false);
  }, 240_000);
});
