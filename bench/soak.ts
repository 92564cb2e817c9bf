/**
 * `npm run soak -- --minutes N [--seed S] [--concurrency C]`: a long restart-chaos run. Starts the
 * local runtime (`npm start`, its own process group, data in a fresh temporary LOCAL_DATA_DIR, a free
 * loopback port), sends mixed traffic for N minutes (filings, task completions, evidence uploads,
 * reads), SIGKILLs the whole runtime at random moments and starts it again on the same data. Clients
 * behave as real ones do: a request that meets a dead or starting server is sent again as it was (a
 * filing with its Idempotency-Key).
 *
 * At the end it lets the runtime settle and checks that every acknowledged write exists exactly once:
 * each filing answered 202 is one stored complaint (with its receipt, case and intake event), each
 * completion answered 200 is a completed task with one decision, each upload whose form was accepted
 * is one upload record, screened; and the whole table keeps its invariants (case counts, audit chains,
 * no duplicates). Prints the figures and exits non-zero when anything was lost or doubled.
 *
 * Bounded: loopback only, at most 120 minutes, at most 16 clients.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { associationCode, claimsOf, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { sendJsonRequest } from '#infra/local/json-request';
import { loopbackUrl } from '#infra/local/load';
import { secretsFile } from '#infra/local/runtime-record';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { checkTableInvariants, scanTable } from '#test/reliability/support/table-invariants';
import { pdfFile, pdfPageObjects } from '#test/support/evidence-files';
import { freePort, type LocalProcess, startLocalProcess } from '#test/support/local-process';
import { seededRandom } from '#test/support/seeded-random';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    /** Seconds between restarts: a random pause in [min, max]. */
    'min-restart': { type: 'string', default: '15' },
    'max-restart': { type: 'string', default: '60' },
  },
});
const minutes = Number(values.minutes);
const concurrency = Number(values.concurrency);
const minRestartMs = Number(values['min-restart']) * 1000;
const maxRestartMs = Number(values['max-restart']) * 1000;
if (!(minutes > 0 && minutes <= 120)) throw new Error('--minutes must be from 1 to 120');
if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 16))
  throw new Error('--concurrency must be a whole number from 1 to 16');
if (!(minRestartMs >= 2_000 && maxRestartMs >= minRestartMs))
  throw new Error('--min-restart must be at least 2 s and at most --max-restart');
const seed = Number(values.seed ?? Date.now() % 1_000_000);

const restartPause = seededRandom(seed);
const choose = seededRandom(seed + 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

// --- the runtime, killed and started again --------------------------------------------------------

const dataDir = await mkdtemp(join(tmpdir(), 'campaign-soak-'));
const env = {
  PORT: String(await freePort()),
  LOCAL_DATA_DIR: dataDir,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
let runtime: LocalProcess = await startLocalProcess(env, 120_000);
const base = loopbackUrl(runtime.url).origin;
let restarts = 0;
let restarting = false;
/** When each SIGKILL was sent. */
const killedAt: number[] = [];

// --- resilient clients ------------------------------------------------------------------------------

const figures = {
  requests: {} as Record<string, number>,
  answered: {} as Record<string, number>,
  resent: 0,
};
// biome-ignore lint/suspicious/noExplicitAny: the soak reads API answers loosely, by the fields it needs
type Json = Record<string, any>;

/** Sends the request again, as it was, while the server is down or starting (or busy): up to 3 min. */
const call = async (
  kind: string,
  method: string,
  path: string,
  init: { token?: string; body?: unknown; key?: string } = {},
): Promise<{ status: number; body: Json }> => {
  figures.requests[kind] = (figures.requests[kind] ?? 0) + 1;
  const giveUpAt = Date.now() + 180_000;
  for (;;) {
    try {
      const response = await sendJsonRequest(base, method, path, init);
      const text = await response.text();
      if ((response.status === 503 || response.status === 429) && Date.now() < giveUpAt) {
        figures.resent += 1;
        await sleep(250 + 500 * Math.random());
        continue;
      }
      const key = `${kind} ${response.status}`;
      figures.answered[key] = (figures.answered[key] ?? 0) + 1;
      return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      figures.resent += 1;
      await sleep(300);
    }
  }
};

const tokens = new Map<string, Promise<string>>();
const token = (claims: Record<string, string>) => {
  const key = JSON.stringify(claims);
  if (!tokens.has(key))
    tokens.set(
      key,
      call('token', 'POST', '/local/token', { body: claims }).then((r) => {
        if (r.status !== 200) throw new Error(`no development token: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.token as string;
      }),
    );
  return tokens.get(key) as Promise<string>;
};

// --- what was acknowledged ----------------------------------------------------------------------------

const acknowledged = {
  filings: [] as {
    key: string;
    complaintId: string;
    caseId: string;
    creditCode: string;
    /** When the 202 arrived: a loss is told against the kill that followed it. */
    at: number;
  }[],
  completions: [] as { taskId: string; kind: string }[],
  uploads: [] as { uploadId: string }[],
};

const provinces = ['11', '31', '44'];
const enterprises = Array.from({ length: 24 }, (_, i) =>
  enterpriseCode(provinces[i % provinces.length] as string, seed * 100 + i),
);
let filingSerial = 0;

const file = async () => {
  const n = ++filingSerial;
  const creditCode = enterprises[n % enterprises.length] as string;
  const province = provinces[n % provinces.length] as string;
  const key = `soak-${seed}-${n}`;
  const response = await call('filing', 'POST', '/api/complaints', {
    token: await token(claimsOf.enterprise(creditCode)),
    key,
    body: complaintBody({
      associationCode: associationCode(province, seed * 100 + (n % 7)),
      associationName: `Soak association ${n % 7}`,
      // A few fees many complain about (joined cases), and many fees of their own.
      feeName: n % 3 === 0 ? `Soak shared fee ${seed}-${n % 5}` : `Soak fee ${seed}-${n}`,
      chargedOn: '2026-01-15',
      description: `Soak complaint ${n} of run ${seed}.`,
    }),
  });
  if (response.status === 202)
    acknowledged.filings.push({
      key,
      complaintId: response.body.complaintId as string,
      caseId: response.body.caseId as string,
      creditCode,
      at: Date.now(),
    });
};

const read = async () => {
  const filing = acknowledged.filings[Math.floor(choose() * acknowledged.filings.length)];
  if (!filing) return;
  await call('read', 'GET', `/api/complaints/${filing.complaintId}`, {
    token: await token(claimsOf.enterprise(filing.creditCode)),
  });
};

/** Decides one open review (or answers one verification) in an office's inbox. */
const complete = async () => {
  const admin = await token(claimsOf.admin());
  const page = await call('read', 'GET', '/api/tasks?status=OPEN&limit=20', { token: admin });
  const tasks = ((page.body.items ?? []) as Json[]).filter((task) =>
    ['REVIEW', 'VERIFICATION'].includes(task.kind),
  );
  const task = tasks[Math.floor(choose() * tasks.length)];
  if (!task) return;
  const regulator = await token(claimsOf.regulator(task.agency, task.province));
  const body =
    task.kind === 'REVIEW'
      ? { verdict: 'UNLAWFUL', ruleIds: ['R05'], reason: 'Decided during the soak', actions: ['ABOLISH'] }
      : { accepted: true };
  const done = await call('completion', 'POST', `/api/tasks/${encodeURIComponent(task.taskId)}/complete`, {
    token: regulator,
    body,
  });
  if (done.status === 200) acknowledged.completions.push({ taskId: task.taskId, kind: task.kind });
};

/** A one-page PDF with nothing active: screened CLEAN. */
const pdf = new Uint8Array(pdfFile(pdfPageObjects()));

/** Asks for a form and sends the file with it, as the portal does; acknowledged once the form is taken. */
const upload = async () => {
  const creditCode = enterprises[Math.floor(choose() * enterprises.length)] as string;
  const asked = await call('upload', 'POST', '/api/uploads', {
    token: await token(claimsOf.enterprise(creditCode)),
    body: {
      purpose: 'COMPLAINT',
      fileName: '收费通知.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
    },
  });
  if (asked.status !== 201) return;
  const form = new FormData();
  for (const [name, value] of Object.entries(asked.body.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), '收费通知.pdf');
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const sent = await fetch(asked.body.url as string, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
      figures.answered[`form ${sent.status}`] = (figures.answered[`form ${sent.status}`] ?? 0) + 1;
      if (sent.ok) acknowledged.uploads.push({ uploadId: asked.body.uploadId as string });
      return;
    } catch {
      figures.resent += 1;
      await sleep(1_000);
    }
  }
};

// --- the run ---------------------------------------------------------------------------------------------

const endsAt = Date.now() + minutes * 60_000;
log(
  `seed ${seed}: ${minutes} min, ${concurrency} clients, restarts every ${minRestartMs / 1000}-${maxRestartMs / 1000} s; runtime ${base}, data ${dataDir}`,
);
const client = async () => {
  while (Date.now() < endsAt) {
    const draw = choose();
    const work = draw < 0.45 ? file : draw < 0.7 ? read : draw < 0.9 ? complete : upload;
    try {
      await work();
    } catch (error) {
      log(`client: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
};
let selfExits = 0;
/** How long each restart took until the runtime was ready again. */
const restartMs: number[] = [];
const chaos = async () => {
  for (;;) {
    const pause = minRestartMs + Math.floor(restartPause() * (maxRestartMs - minRestartMs));
    if (Date.now() + pause >= endsAt) return;
    await sleep(pause);
    restarting = true;
    killedAt.push(Date.now());
    if (!(await runtime.crash())) {
      // Nobody killed it: a crash of the runtime itself, the soak's most important finding.
      selfExits += 1;
      log(`the runtime had exited on its own; its last output:\n${runtime.output().slice(-4000)}`);
    }
    const restartedAt = Date.now();
    // Ready once it serves; its open cases are resumed meanwhile (with thousands open, a minute or more).
    runtime = await startLocalProcess(env, 600_000);
    restartMs.push(Date.now() - restartedAt);
    restarting = false;
    restarts += 1;
    log(
      `SIGKILL and restart ${restarts}: ${acknowledged.filings.length} filings, ${acknowledged.completions.length} completions, ${acknowledged.uploads.length} uploads acknowledged so far`,
    );
  }
};
await Promise.all([chaos(), ...Array.from({ length: concurrency }, client)]);
if (restarting) throw new Error('the runtime did not come back');

// --- the checks --------------------------------------------------------------------------------------------

log('traffic over; letting the runtime settle (workflows, streams, screening)');
const endpoint = [...runtime.output().matchAll(/DynamoDB Local\s+(http:\/\/127\.0\.0\.1:\d+)/g)].at(-1)?.[1];
if (!endpoint) throw new Error(`No DynamoDB Local endpoint in the output:\n${runtime.output()}`);
const documentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);
const table = { documentClient, tableName: 'fee-campaign' };
const { auditKey } = JSON.parse(await readFile(secretsFile(dataDir), 'utf8')) as { auditKey: string };
const auditSeal = new LocalKeyAuditSeal(auditKey);

/** Stored copies of what was acknowledged, and what is still settling. */
const census = async () => {
  const items = await scanTable(table);
  const copies = (entity: string, field: string) => {
    const counts = new Map<string, number>();
    for (const item of items)
      if (item.entity === entity)
        counts.set(item[field] as string, (counts.get(item[field] as string) ?? 0) + 1);
    return counts;
  };
  const complaints = copies('Complaint', 'complaintId');
  const uploads = copies('EvidenceUpload', 'uploadId');
  const openCases = new Map<string, number>();
  for (const item of items)
    if (item.entity === 'FeeCase' && item.stage !== 'CLOSED')
      openCases.set(item.feeKey as string, (openCases.get(item.feeKey as string) ?? 0) + 1);
  const tasks = new Map(items.filter((item) => item.entity === 'Task').map((item) => [item.taskId, item]));
  const uploadStatus = new Map(
    items.filter((item) => item.entity === 'EvidenceUpload').map((item) => [item.uploadId, item.status]),
  );
  return {
    lost: {
      filings: acknowledged.filings.filter((f) => !complaints.has(f.complaintId)).map((f) => f.complaintId),
      completions: acknowledged.completions
        .filter((c) => tasks.get(c.taskId)?.status !== 'COMPLETED')
        .map((c) => c.taskId),
      uploads: acknowledged.uploads.filter((u) => !uploads.has(u.uploadId)).map((u) => u.uploadId),
    },
    duplicates: [
      ...[...complaints, ...uploads].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`),
      // One fee has one open case at a time: a later case follows only a closed one.
      ...[...openCases].filter(([, n]) => n > 1).map(([feeKey, n]) => `${n} open cases of fee ${feeKey}`),
    ],
    pendingUploads: acknowledged.uploads.filter((u) => uploadStatus.get(u.uploadId) === 'PENDING').length,
    // Case events the journal has not yet linked: counts and workflow starts still to come.
    pendingCaseEvents: items.filter((item) => item.entity === pendingCaseEventEntity).length,
  };
};
// Counts, screening and stream consumers catch up after the last restart, for up to 10 minutes. The
// table is checked when the case journal's checkpoint has stood still for 10 s, and at least every
// 30 s (other consumers, delivering notifications, keep the stream moving), but no sooner than three
// times as long as the last check took after it: the checks scan the whole table twice (the census
// and the invariants), about 80 s for the 90,000 items of a 10-minute run, and checked back to back
// they starved the journal they waited for (it then drained in two minutes once they stopped).
const settleStarted = Date.now();
const settleBy = settleStarted + 600_000;
const journalCheckpoint = join(dataDir, 'stream-fee-campaign-case-journal.json');
const journalAtRest = async () => {
  const until = Math.min(settleBy, Date.now() + 30_000);
  let seen = '';
  let stillSince = Date.now();
  while (Date.now() < until) {
    await sleep(1_000);
    const now = await readFile(journalCheckpoint, 'utf8').catch(() => '');
    if (now !== seen) [seen, stillSince] = [now, Date.now()];
    else if (Date.now() - stillSince >= 10_000) return;
  }
};
let checkedAt = Date.now();
let checkMs = 0;
const check = async () => {
  await sleep(Math.max(0, Math.min(checkedAt + 3 * checkMs, settleBy) - Date.now()));
  await journalAtRest();
  const started = Date.now();
  const checked = { report: await census(), invariants: await checkTableInvariants({ ...table, auditSeal }) };
  [checkedAt, checkMs] = [Date.now(), Date.now() - started];
  return checked;
};
let { report, invariants } = await check();
while (
  (invariants.violations.length > 0 ||
    report.pendingUploads > 0 ||
    report.pendingCaseEvents > 0 ||
    report.lost.filings.length > 0) &&
  Date.now() < settleBy
) {
  ({ report, invariants } = await check());
}

const lost = report.lost.filings.length + report.lost.completions.length + report.lost.uploads.length;
const duplicates = report.duplicates.length;
console.log(
  [
    '',
    `soak seed ${seed}: ${minutes} min, ${concurrency} clients, ${restarts} SIGKILL restarts (ready again after ${restartMs.map((ms) => `${Math.round(ms / 1000)} s`).join(', ')}), ${selfExits} exits of the runtime on its own`,
    `requests     ${Object.entries(figures.requests)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')}; sent again after no answer or 429/503: ${figures.resent}`,
    `answers      ${Object.entries(figures.answered)
      .sort()
      .map(([key, n]) => `${key} x${n}`)
      .join(', ')}`,
    `acknowledged filings ${acknowledged.filings.length} (202), completions ${acknowledged.completions.length} (200), uploads ${acknowledged.uploads.length} (form accepted)`,
    `table        ${Object.entries(invariants.census)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}`,
    `settled in ${Math.round((Date.now() - settleStarted) / 1000)} s; case events the journal had not linked: ${report.pendingCaseEvents}`,
    `lost=${lost} (filings ${report.lost.filings.length}, completions ${report.lost.completions.length}, uploads ${report.lost.uploads.length}) duplicates=${duplicates} uploads still PENDING=${report.pendingUploads} invariant violations=${invariants.violations.length}`,
    ...report.lost.filings.map((id) => {
      const filing = acknowledged.filings.find((f) => f.complaintId === id);
      const nextKill = killedAt.find((at) => at >= (filing?.at ?? 0));
      return `  lost complaint ${id} (${filing?.key}): acknowledged ${filing ? new Date(filing.at).toISOString() : '?'}, ${nextKill === undefined ? 'after the last SIGKILL' : `${nextKill - (filing?.at ?? 0)} ms before SIGKILL ${killedAt.indexOf(nextKill) + 1}`}`;
    }),
    ...report.lost.completions.map((id) => `  lost completion of ${id}`),
    ...report.lost.uploads.map((id) => `  lost upload ${id}`),
    ...report.duplicates.map((line) => `  duplicate ${line}`),
    ...invariants.violations.slice(0, 30).map((line) => `  ${line}`),
  ].join('\n'),
);
await runtime.interrupt().catch(() => runtime.crash());
const failed =
  selfExits > 0 ||
  lost > 0 ||
  duplicates > 0 ||
  invariants.violations.length > 0 ||
  report.pendingUploads > 0 ||
  report.pendingCaseEvents > 0;
if (failed) console.log(`\nThe data is kept for inspection in ${dataDir}`);
else await rm(dataDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
