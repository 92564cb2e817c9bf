/**
 * `npm run seed -- --cases N`: fills a running local runtime with realistic cases across provinces,
 * categories and outcomes, driven through the real API and workflow (the same calls people make).
 * Some cases are left waiting at each stage, so inboxes and open-task figures have something to show.
 * Its parties sign in with development tokens (`LOCAL_DEV_TOKENS=1`); with `--demo-accounts` the
 * seed first makes demo accounts through the provider (demo-accounts.ts), which then play the
 * Beijing cases (every case, when the runtime has no development tokens).
 */
import { parseArgs } from 'node:util';
import {
  associationCode,
  claimsOf,
  complaintBody,
  enterpriseCode,
  serialOf,
} from '#infra/local/campaign-fixtures';
import {
  defaultDemoPassword,
  demoAccountsTable,
  demoCast,
  ensureDemoAccounts,
} from '#infra/local/demo-accounts';
import { firstAdminEmail } from '#infra/local/identity-provider/first-admin';
import { meetsPasswordPolicy } from '#infra/local/identity-provider/interactions';
import { SignInRefusedError, signIn } from '#infra/local/identity-provider/sign-in';
import { readPostOfficeInbox } from '#infra/local/post-office-inbox';
import { readRuntimeRecord } from '#infra/local/runtime-record';

interface Plan {
  province: string;
  category: string;
  facts: Record<string, unknown>;
  amountFen: number;
  /** What the regulator does; `wait` leaves the case at that point. */
  path:
    | 'abolish'
    | 'abolish-after-rejection'
    | 'abolish-after-extension'
    | 'transfer-then-regulate'
    | 'regulate-with-actions'
    | 'regulate'
    | 'dismiss'
    | 'ask-then-dismiss'
    | 'wait-review'
    | 'wait-rectification';
}

const provinces = ['11', '12', '31', '32', '33', '35', '37', '41', '42', '44', '50', '51', '61'];
const templates: Omit<Plan, 'province' | 'amountFen' | 'path'>[] = [
  { category: 'MEMBERSHIP_DUES', facts: { forcedMembership: true } },
  { category: 'MEMBERSHIP_DUES', facts: { chargedByBranch: true } },
  { category: 'RATING_AWARD', facts: {} },
  { category: 'MEETING_TRAINING', facts: { compulsory: true } },
  { category: 'SPONSORSHIP_DONATION', facts: { compulsory: true } },
  { category: 'PUBLICATION_SUBSCRIPTION', facts: { compulsory: true, serviceProvided: 'NO' } },
  {
    category: 'MARKET_SERVICE',
    facts: { compulsory: false, serviceProvided: 'YES', standardPublished: false },
  },
  {
    category: 'MARKET_SERVICE',
    facts: { compulsory: false, serviceProvided: 'YES', standardPublished: true, monopolyService: true },
  },
  { category: 'EXHIBITION', facts: {} },
];
const paths: Plan['path'][] = [
  'abolish',
  'abolish',
  'abolish-after-extension',
  'abolish-after-rejection',
  'transfer-then-regulate',
  'regulate-with-actions',
  'regulate',
  'dismiss',
  'ask-then-dismiss',
  'wait-review',
  'wait-rectification',
];

/** A deterministic mix, so two seeds of the same size look alike; in `among` the provinces given. */
export const planCase = (i: number, among: readonly string[] = provinces): Plan => {
  const template = templates[i % templates.length] as (typeof templates)[number];
  return {
    ...template,
    province: among[(i * 7) % among.length] as string,
    amountFen: 10_000 * (1 + ((i * 37) % 500)),
    path: paths[(i * 3) % paths.length] as Plan['path'],
  };
};

/**
 * Accounts signed in through the provider that play the parties of one province's cases: its
 * enterprise files every complaint there, against its association, and its regulators decide.
 */
export interface SeedCast {
  province: string;
  enterpriseCode: string;
  associationCode: string;
  /** The ID token of each account, by the development-token claims of the party it plays. */
  tokens: { claims: Record<string, string>; token: string }[];
}

export interface SeedOptions {
  url: string;
  cases: number;
  /** Plays its province's cases (and signs in as the admin); development tokens sign in the rest. */
  cast?: SeedCast;
  /** Only cases in these provinces (default: thirteen across the country). */
  provinces?: readonly string[];
  concurrency?: number;
  /** Seeds with different runs never collide in credit codes. */
  run?: number;
  onProgress?: (done: number, total: number) => void;
}

// biome-ignore lint/suspicious/noExplicitAny: the seed reads API answers loosely, by the fields it needs
type Json = Record<string, any>;

export const seedCampaign = async (options: SeedOptions): Promise<{ cases: number; failed: number }> => {
  const run = options.run ?? Math.floor(Math.random() * 9_000) + 1_000;
  const tokens = new Map<string, Promise<string>>(
    options.cast?.tokens.map(({ claims, token }) => [JSON.stringify(claims), Promise.resolve(token)]),
  );
  const call = async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${options.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const token = (claims: Record<string, string>) => {
    const key = JSON.stringify(claims);
    if (!tokens.has(key))
      tokens.set(
        key,
        call('POST', '/local/token', undefined, claims).then((r) => {
          if (r.status !== 200)
            throw new Error(
              'No development token: start the runtime with LOCAL_DEV_TOKENS=1 (docs/accounts.md)',
            );
          return r.body.token as string;
        }),
      );
    return tokens.get(key) as Promise<string>;
  };
  const admin = await token(claimsOf.admin());

  const openTask = async (caseId: string, kind: string): Promise<Json> => {
    for (let attempt = 0; attempt < 400; attempt++) {
      const { body } = await call('GET', `/api/cases/${caseId}`, admin);
      const task = (body.tasks as Json[] | undefined)?.find(
        (candidate) => candidate.kind === kind && candidate.status === 'OPEN',
      );
      if (task) return { task, detail: body };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`case ${caseId}: no open ${kind} task`);
  };
  const post = async (token_: string, path: string, body: unknown, expected = 200): Promise<Json> => {
    const response = await call('POST', path, token_, body);
    if (response.status !== expected)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const complete = (token_: string, taskId: string, body: unknown) =>
    post(token_, `/api/tasks/${encodeURIComponent(taskId)}/complete`, body);

  const seedOne = async (i: number) => {
    const plan = planCase(i, options.provinces);
    const number = run * 10_000 + i;
    const serial = serialOf(number);
    const cast = options.cast?.province === plan.province ? options.cast : undefined;
    const associationCreditCode = cast?.associationCode ?? associationCode(plan.province, number);
    const enterprise = await token(
      claimsOf.enterprise(cast?.enterpriseCode ?? enterpriseCode(plan.province, number)),
    );
    const association = await token(claimsOf.association(associationCreditCode));
    const filed = await call(
      'POST',
      '/api/complaints',
      enterprise,
      complaintBody({
        associationCode: associationCreditCode,
        associationName: `Seed association ${serial}`,
        // One association charges every fee of the cast: a fee of the same name would join an open case.
        feeName: `${plan.category.toLowerCase().replaceAll('_', ' ')} fee${cast ? ` ${serial}` : ''}`,
        category: plan.category,
        amountFen: plan.amountFen,
        chargedOn: '2026-06-01',
        facts: plan.facts,
        description: 'Seeded complaint for the local dashboard.',
        contact: { name: `Seed contact ${serial}`, phone: `1380${serial}` },
      }),
    );
    if (filed.status !== 202) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
    const caseId = filed.body.caseId as string;
    const review = await openTask(caseId, 'REVIEW');
    const suggested = review.detail.classification.suggested as Json;
    const regulator = await token(claimsOf.regulator(review.task.agency, review.task.province));
    const ruleIds = (suggested.rules as Json[]).map((rule) => rule.id as string);
    const taskId = review.task.taskId as string;

    if (plan.path === 'wait-review') return;
    if (plan.path === 'transfer-then-regulate') {
      // Misrouted: the office sends it to the market regulators of the same province (转办).
      const to = { agency: review.task.agency === 'SAMR' ? 'MCA' : 'SAMR', province: review.task.province };
      const moved = await post(regulator, `/api/cases/${caseId}/transfer`, {
        ...to,
        reason: '该收费属于经营服务性收费，转交市场监管部门办理',
      });
      const receiving = await token(claimsOf.regulator(to.agency, to.province));
      return complete(receiving, moved.task.taskId as string, {
        verdict: 'REGULATED',
        ruleIds: ruleIds.length ? ruleIds : ['R16'],
        reason: 'Lawful, supervised',
      });
    }
    if (plan.path === 'dismiss')
      return complete(regulator, taskId, { verdict: 'DISMISSED', ruleIds: [], reason: 'Voluntary service' });
    if (plan.path === 'regulate') {
      return complete(regulator, taskId, {
        verdict: 'REGULATED',
        ruleIds: ruleIds.length ? ruleIds : ['R16'],
        reason: 'Lawful, supervised',
      });
    }
    if (plan.path === 'ask-then-dismiss') {
      await complete(regulator, taskId, {
        verdict: 'NEEDS_INFO',
        ruleIds: [],
        reason: 'Was the fee compulsory?',
      });
      const info = await openTask(caseId, 'INFO');
      await complete(enterprise, info.task.taskId, {
        facts: { compulsory: false },
        note: 'It was optional in the end',
      });
      const second = await openTask(caseId, 'REVIEW');
      return complete(regulator, second.task.taskId, {
        verdict: 'DISMISSED',
        ruleIds: [],
        reason: 'Optional fee',
      });
    }
    const regulated = plan.path === 'regulate-with-actions';
    await complete(
      regulator,
      taskId,
      regulated
        ? {
            verdict: 'REGULATED',
            ruleIds: ruleIds.length ? ruleIds : ['R16'],
            reason: 'Publish the standard',
            orderText: 'Publish the standard of this fee where your members can read it.',
            actions: ['PUBLISH_STANDARD'],
          }
        : {
            verdict: 'UNLAWFUL',
            ruleIds: ruleIds.length ? ruleIds : ['R05'],
            reason: 'Unlawful fee',
            orderText: 'Stop charging this fee and refund what each enterprise paid for it.',
            actions: ['ABOLISH', 'REFUND'],
          },
    );
    const report = {
      abolished: !regulated,
      refundedFen: regulated ? 0 : plan.amountFen,
      evidence: [{ kind: regulated ? 'PUBLISHED_STANDARD' : 'REFUND_RECEIPT', reference: `seed-${serial}` }],
    };
    const order = await openTask(caseId, 'RECTIFICATION');
    if (plan.path === 'wait-rectification') return;
    if (plan.path === 'abolish-after-extension') {
      const asked = await post(
        association,
        `/api/tasks/${encodeURIComponent(order.task.taskId)}/extension`,
        { days: 10, reason: '退费涉及会员较多，需逐户核对账目' },
        201,
      );
      await complete(regulator, asked.task.taskId as string, { granted: true, note: '同意延期' });
    }
    await complete(association, order.task.taskId, report);
    const verification = await openTask(caseId, 'VERIFICATION');
    if (plan.path === 'abolish-after-rejection') {
      await complete(regulator, verification.task.taskId, {
        accepted: false,
        note: 'Refund receipts missing',
      });
      const again = await openTask(caseId, 'RECTIFICATION');
      await complete(association, again.task.taskId, report);
      const recheck = await openTask(caseId, 'VERIFICATION');
      return complete(regulator, recheck.task.taskId, { accepted: true });
    }
    await complete(regulator, verification.task.taskId, { accepted: true });
  };

  let next = 0;
  let done = 0;
  let failed = 0;
  const worker = async () => {
    while (next < options.cases) {
      const i = next++;
      try {
        await seedOne(i);
      } catch (error) {
        failed += 1;
        if (failed <= 3) process.stderr.write(`\nseed: case ${i} failed: ${String(error)}\n`);
      }
      done += 1;
      options.onProgress?.(done, options.cases);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { cases: options.cases, failed };
};

/** Redrawn in place on a terminal; every tenth of the way otherwise (logs, CI). */
const progressBar = (done: number, total: number) => {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} cases`;
  if (process.stderr.isTTY) process.stderr.write(`\r${bar}`);
  else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0)
    process.stderr.write(`${bar}\n`);
};

const usage = `Usage: npm run seed -- [--cases N] [--url URL] [--concurrency C]
       npm run seed -- --demo-accounts [--admin-email E] [--admin-password P] [--demo-password P]
                       [--data-dir DIR] [--cases N] [--url URL]`;

/** Stops the script with a message for people (2 for a wrong command line). */
function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

interface DemoCommandLine {
  adminEmail: string;
  adminPassword: string | undefined;
  demoPassword: string;
  dataDir: string | undefined;
}

/** Makes the demo accounts, prints them, and answers them with the admin's token. */
const demoAccountsOf = async (url: string, given: DemoCommandLine) => {
  const adminPassword = given.adminPassword ?? process.env.CAMPAIGN_PASSWORD;
  if (!adminPassword)
    fail(`--demo-accounts signs the admin in: pass --admin-password or set CAMPAIGN_PASSWORD\n${usage}`, 2);
  const password = given.demoPassword;
  if (!meetsPasswordPolicy(password))
    fail('--demo-password: at least 12 characters with lower and upper case, a digit and a symbol', 2);
  const dataDir = given.dataDir ?? process.env.LOCAL_DATA_DIR ?? '.local';
  const record = await readRuntimeRecord(dataDir);
  const inbox = await readPostOfficeInbox(dataDir);
  if (!record || !inbox || new URL(record.url).origin !== new URL(url).origin)
    fail(
      `The runtime at ${url} did not start on the data folder ${dataDir}, where its mail inbox is named: pass --data-dir`,
    );
  const admin = await signIn({ url, email: given.adminEmail, password: adminPassword }).catch(
    (error: unknown) =>
      fail(
        !(error instanceof SignInRefusedError)
          ? `Cannot reach the runtime at ${url}: ${String(error)}`
          : error.reason === 'password_change_required'
            ? `${given.adminEmail} still has its one-time password: sign in once in the portal and set your own`
            : `${given.adminEmail} cannot sign in: wrong e-mail or password (five in a row lock it for 15 minutes)`,
      ),
  );
  const accounts = await ensureDemoAccounts({ url, adminToken: admin.idToken, inbox, password }).catch(
    (error: unknown) => fail(`Demo accounts: ${String(error)}`),
  );
  console.log(demoAccountsTable(accounts, password));
  return { admin: admin.idToken, accounts };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      url: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      'demo-accounts': { type: 'boolean', default: false },
      'admin-email': { type: 'string', default: firstAdminEmail },
      'admin-password': { type: 'string' },
      'demo-password': { type: 'string', default: defaultDemoPassword },
      'data-dir': { type: 'string' },
    },
  });
  const demo = values['demo-accounts'];
  // The demo accounts alone unless cases are asked for; 50 cases otherwise, as before.
  const cases = Number(values.cases ?? (demo ? 0 : 50));
  if (!Number.isInteger(cases) || cases < (demo ? 0 : 1) || cases > 100_000)
    fail(`--cases must be a whole number from 1 to 100000\n${usage}`, 2);
  const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const health = await fetch(`${url}/api/health`).catch(() => undefined);
  if (!health?.ok)
    fail(`No local runtime answers at ${url}: start it with \`npm start\` first (or pass --url).`);
  const { devTokens } = (await (await fetch(`${url}/config.json`)).json()) as { devTokens?: boolean };
  const made = demo
    ? await demoAccountsOf(url, {
        adminEmail: values['admin-email'],
        adminPassword: values['admin-password'],
        demoPassword: values['demo-password'],
        dataDir: values['data-dir'],
      })
    : undefined;
  if (cases === 0) process.exit(0);
  if (!made && !devTokens)
    fail(
      'Seeding cases signs in many parties with development tokens: start the runtime with LOCAL_DEV_TOKENS=1, or add --demo-accounts to seed Beijing cases as the demo accounts (docs/accounts.md)',
    );
  let cast: SeedCast | undefined;
  try {
    cast = made ? demoCast(made.admin, made.accounts) : undefined;
  } catch (error) {
    fail(`Cannot seed cases as the demo accounts: ${(error as Error).message}`);
  }
  if (cast)
    console.log(
      devTokens
        ? "Beijing cases are played by the demo accounts; the other provinces' parties sign in with development tokens."
        : 'Every case is a Beijing case played by the demo accounts (without LOCAL_DEV_TOKENS=1 no one else can sign in).',
    );
  const started = Date.now();
  const result = await seedCampaign({
    url,
    cases,
    concurrency: Number(values.concurrency),
    onProgress: progressBar,
    ...(cast ? { cast, ...(devTokens ? {} : { provinces: [cast.province] }) } : {}),
  });
  process.stderr.write('\n');
  console.log(
    `seeded ${result.cases - result.failed} of ${result.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exit(result.failed > 0 ? 1 : 0);
}
