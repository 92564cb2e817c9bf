/**
 * Privacy canaries: complainants' names, phones, emails, descriptions, answers and the names of the
 * files they attach carry unique canary strings; after complete lifecycles on every path (a transferred case's included), no canary appears in the logs (at DEBUG),
 * the workflow inputs, outputs and histories, the stream-derived metric items, the association's
 * views, the notifications, the metrics, the open-data CSV, or the runtime's files (dead letters, checkpoints). Contact
 * details appear nowhere in the table either: they are sealed at rest. The association's views also
 * carry none of the regulators' internal reasons, nor a complaint's amount, charge date or filing
 * date, which its own billing records would match to a complainant.
 */

// Before any shared module creates its Powertools logger: everything a handler could log, is logged.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const { startTestRuntime } = await import('#test/support/runtime');
const { completeTask, decisions, openTaskOf, waitForStage } = await import('#test/support/campaign-actors');
const { newCast, scanAll } = await import('#test/security/support');
const { scanEntities } = await import('#test/support/metrics-truth');
const { givenCleanUpload } = await import('#test/support/evidence');
const { DynamoEvidenceUploads } = await import('#shared/adapters/dynamodb/evidence-uploads');

type Harness = Awaited<ReturnType<typeof startTestRuntime>>;
type Cast = Awaited<ReturnType<typeof newCast>>;
type ActorName = import('#test/security/support').ActorName;

/** What is captured while the lifecycles run: every write to stdout/stderr and every console call. */
const captured: string[] = [];
const capture = (...parts: unknown[]) => {
  captured.push(parts.map((part) => (typeof part === 'string' ? part : safeJson(part))).join(' '));
};
const safeJson = (value: unknown) => {
  try {
    return value instanceof Uint8Array
      ? Buffer.from(value).toString('utf8')
      : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
};
const spies: { mockRestore(): void }[] = [];

interface Canaries {
  /** Sealed at rest: must appear nowhere but the complaint as the owner, regulators and admins read it. */
  contact: string[];
  /** Identity of complainants who did not agree to be named, and what they wrote. */
  identity: string[];
  /**
   * For regulators only, searched in the association's views: the regulators' internal reasons, and
   * the amount (of a complaint that shares its case), charge date and filing date of each complaint
   * whose complainant did not agree to be named.
   */
  association: string[];
}
const canaries: Canaries = { contact: [], identity: [], association: [] };
/** Complaints whose complainant did not agree to be named: their filing dates become canaries. */
const undisclosed = new Set<string>();
/** Every complaint pays its own amount, so an amount shown can only be that complaint's. */
let nextAmountFen = randomInt(1_000_000, 2_000_000);
/** Every charge date is its own day of 2024, before any date the runtime writes. */
let nextChargeDay = randomInt(0, 200);

/** The regulator's internal reason for a decision, unique so that it can be searched for. */
const reason = (text: string) => {
  const canary = `Canary${randomUUID().slice(0, 8)} reason: ${text}`;
  canaries.association.push(canary);
  return canary;
};

const newContact = () => {
  const tag = randomUUID().replace(/-/g, '').slice(0, 12);
  const digits = `139${String(randomInt(10_000_000, 99_999_999))}`;
  const contact = { name: `Canary${tag} Name`, phone: `+86 ${digits}`, email: `canary${tag}@example.com` };
  canaries.contact.push(contact.name, `Canary${tag}`, contact.phone, digits, contact.email);
  return contact;
};

let harness: Harness;
let dataDir = '';

/**
 * A screened file of the enterprise (as the local sign-in names its user) whose name is a canary of a
 * complainant who stays anonymous: file names can say who complains.
 */
const canaryFile = async (enterpriseCode: string, purpose: 'COMPLAINT' | 'INFO', secret: boolean) => {
  const fileName = `Canary${randomUUID().slice(0, 8)} 张三的营业执照.pdf`;
  if (secret) canaries.identity.push(fileName.slice(0, 14));
  const upload = await givenCleanUpload(
    new DynamoEvidenceUploads(harness.documentClient, harness.tableName),
    {
      owner: `local:enterprise:${enterpriseCode}`,
      purpose,
      fileName,
    },
  );
  return upload.uploadId;
};
const caseIds: string[] = [];
const casts: Cast[] = [];
/** Every complaint's reference with its enterprise's credit code: what the public progress lookup takes. */
const lookups: { reference: string; creditCode: string }[] = [];
/** What a campaign admin was answered when writing typical cases about the closed cases. */
const typicalCaseAnswers: import('#test/support/runtime').TestResponse[] = [];
/** One complaint whose contact the positive control reads back as its regulator. */
let control: { complaintId: string; regulator: string; contact: ReturnType<typeof newContact> };

const file = async (
  cast: Cast,
  token: string,
  enterpriseCode: string,
  options: { feeName: string; facts?: Record<string, unknown>; disclose?: boolean; category?: string },
) => {
  const contact = newContact();
  const description = `Canary${randomUUID().slice(0, 8)} description: we had to join.`;
  nextAmountFen += 1_013;
  nextChargeDay += 1;
  const amountFen = nextAmountFen;
  const chargedOn = new Date(Date.UTC(2024, 0, 1 + nextChargeDay)).toISOString().slice(0, 10);
  if (!options.disclose) canaries.identity.push(enterpriseCode, description);
  if (!options.disclose) canaries.association.push(chargedOn);
  const attachments = [await canaryFile(enterpriseCode, 'COMPLAINT', !options.disclose)];
  const response = await harness.request('POST', '/api/complaints', {
    token,
    body: {
      association: { name: 'Canary Test Association', creditCode: cast.associationCode },
      fee: {
        name: options.feeName,
        category: options.category ?? 'MEMBERSHIP_DUES',
        amountFen,
        chargedOn,
        period: 'ANNUAL',
      },
      facts: options.facts ?? { forcedMembership: true },
      description,
      contact,
      attachments,
      discloseIdentityToAssociation: options.disclose ?? false,
    },
  });
  if (response.status !== 202) throw new Error(`complaint: ${response.status} ${response.text}`);
  control ??= { complaintId: response.body.complaintId, regulator: cast.tokens.regulator as string, contact };
  if (!options.disclose) undisclosed.add(response.body.complaintId);
  lookups.push({ reference: response.body.reference, creditCode: enterpriseCode });
  return { ...(response.body as { caseId: string; complaintId: string }), amountFen };
};

const ok = async (promise: Promise<{ status: number; text: string }>) => {
  const response = await promise;
  if (response.status !== 200) throw new Error(`${response.status} ${response.text}`);
};

const abolish = () => ({ ...decisions.abolish, reason: reason(decisions.abolish.reason) });

/** One case from complaint to CLOSED along one path of the workflow. */
const lifecycle = async (path: string): Promise<void> => {
  // Regulated facts fire R16 (unpublished standard), which SAMR regulates; the others go to MCA.
  const cast = await newCast(harness, path.startsWith('regulated') ? 'SAMR' : 'MCA');
  const t = cast.tokens as Record<ActorName, string>;
  const regulatedFacts = {
    compulsory: false,
    serviceProvided: 'YES',
    standardPublished: false,
    duesAdoptedByAssembly: true,
  };
  const facts = path.startsWith('regulated') ? regulatedFacts : undefined;
  const first = await file(cast, t.enterprise, cast.enterpriseCode, { feeName: `${path} fee`, facts });
  const { caseId } = first;
  caseIds.push(caseId);
  casts.push(cast);
  if (path === 'joined') {
    await file(cast, t.otherEnterprise, cast.otherEnterpriseCode, { feeName: `${path} fee`, disclose: true });
    // Alone in its case, a complaint's amount is the case's total claimed, which the association sees.
    canaries.association.push(`:${first.amountFen}`);
  }
  const review = await openTaskOf(harness, t.regulator, caseId, 'REVIEW');
  /** Who handles the case at its close: the office it was transferred to, if it was. */
  let handler = t.regulator;
  const rectifyAndVerify = async (rounds: boolean[]) => {
    for (const accepted of rounds) {
      const order = await openTaskOf(harness, t.association, caseId, 'RECTIFICATION');
      await ok(completeTask(harness, t.association, order.taskId, decisions.refunded(100_000)));
      const check = await openTaskOf(harness, t.regulator, caseId, 'VERIFICATION');
      await ok(
        completeTask(harness, t.regulator, check.taskId, accepted ? decisions.accept : decisions.reject),
      );
    }
  };
  switch (path) {
    case 'abolished':
    case 'joined':
      await ok(completeTask(harness, t.regulator, review.taskId, abolish()));
      await rectifyAndVerify([true]);
      break;
    case 'rejected-then-abolished':
      await ok(completeTask(harness, t.regulator, review.taskId, abolish()));
      await rectifyAndVerify([false, true]);
      break;
    case 'regulated-with-actions':
      await ok(
        completeTask(harness, t.regulator, review.taskId, {
          verdict: 'REGULATED',
          ruleIds: ['R16'],
          reason: reason('Publish the standard'),
          actions: ['PUBLISH_STANDARD'],
        }),
      );
      await rectifyAndVerify([true]);
      break;
    case 'regulated-without-actions':
      await ok(
        completeTask(harness, t.regulator, review.taskId, {
          verdict: 'REGULATED',
          ruleIds: ['R16'],
          reason: reason('Lawful'),
        }),
      );
      break;
    case 'dismissed':
      await ok(
        completeTask(harness, t.regulator, review.taskId, {
          verdict: 'DISMISSED',
          ruleIds: [],
          reason: reason('Voluntary'),
        }),
      );
      break;
    case 'transferred-then-dismissed': {
      await ok(
        harness.request('POST', `/api/tasks/${review.taskId}/assign`, {
          token: t.nationalRegulator,
          body: { assignee: 'local:regulator:MCA:11:officer' },
        }),
      );
      await ok(
        harness.request('POST', `/api/cases/${caseId}/transfer`, {
          token: t.regulator,
          body: { agency: 'SAMR', province: '44', reason: reason('Pricing is for market regulation') },
        }),
      );
      handler = await harness.token({ role: 'regulator', agency: 'SAMR', province: '44' });
      const moved = await openTaskOf(harness, handler, caseId, 'REVIEW');
      await ok(
        completeTask(harness, handler, moved.taskId, {
          verdict: 'DISMISSED',
          ruleIds: [],
          reason: reason('Voluntary, as the receiving office found'),
        }),
      );
      break;
    }
    case 'info-then-dismissed': {
      await ok(
        completeTask(harness, t.regulator, review.taskId, {
          verdict: 'NEEDS_INFO',
          ruleIds: [],
          reason: reason('Was it compulsory?'),
        }),
      );
      const info = await openTaskOf(harness, t.enterprise, caseId, 'INFO');
      const answer = `Canary${randomUUID().slice(0, 8)} answer: ask my colleague Wang on 13900001111`;
      canaries.identity.push(answer);
      const attachments = [await canaryFile(cast.enterpriseCode, 'INFO', true)];
      await ok(
        completeTask(harness, t.enterprise, info.taskId, {
          facts: { compulsory: false },
          note: answer,
          attachments,
        }),
      );
      const second = await openTaskOf(harness, t.regulator, caseId, 'REVIEW');
      await ok(
        completeTask(harness, t.regulator, second.taskId, {
          verdict: 'DISMISSED',
          ruleIds: [],
          reason: reason('Voluntary after all'),
        }),
      );
      break;
    }
  }
  await waitForStage(harness, handler, caseId, 'CLOSED');
  // The complainant's closing comment is for the regulators only.
  const comment = `Canary${randomUUID().slice(0, 8)} feedback: manager Li says it was slow`;
  canaries.identity.push(comment);
  await ok(
    harness.request('POST', `/api/complaints/${first.complaintId}/feedback`, {
      token: t.enterprise,
      body: { refundReceived: null, satisfaction: 4, comment },
    }),
  );
};

const paths = [
  'abolished',
  'rejected-then-abolished',
  'regulated-with-actions',
  'regulated-without-actions',
  'dismissed',
  'info-then-dismissed',
  'transferred-then-dismissed',
  'joined',
];

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    spies.push(
      vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        capture(chunk);
        return true;
      }),
    );
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    spies.push(vi.spyOn(console, method).mockImplementation(capture));
  }
  dataDir = await mkdtemp(join(tmpdir(), 'campaign-canaries-'));
  harness = await startTestRuntime({ dataDir, log: (line) => capture(line) });
  await Promise.all(paths.map(lifecycle));
  await harness.runtime.drainStreams();
  for (const [i, caseId] of caseIds.entries()) {
    // A campaign admin, who sees a transferred case too.
    const asRegulator = await harness.request('GET', `/api/cases/${caseId}`, {
      token: casts[i]?.tokens.admin,
    });
    for (const complaint of asRegulator.body.complaints as { complaintId: string; filedAt: string }[])
      if (undisclosed.has(complaint.complaintId)) canaries.association.push(complaint.filedAt);
  }
  // A campaign admin writes a typical case about the closed cases: naming a complainant (refused), then not.
  for (const summary of [`投诉企业联系电话 ${control.contact.phone}`, '协会违规收费已责令退还。'])
    typicalCaseAnswers.push(
      await harness.request('POST', '/api/admin/typical-cases', {
        token: casts[0]?.tokens.admin,
        body: { caseIds, title: '典型案例（隐私核查）', summary, publish: true },
      }),
    );
}, 120_000);

afterAll(async () => {
  for (const spy of spies) spy.mockRestore();
  const total = Object.values(findings).reduce((sum, finding) => sum + finding.found.length, 0);
  const report = Object.entries(findings)
    .map(
      ([source, finding]) =>
        `  ${source}: ${finding.bytes} characters searched, ${finding.found.length} found`,
    )
    .join('\n');
  console.log(
    `privacy canaries: ${canaries.contact.length + canaries.identity.length + canaries.association.length} canaries, ${paths.length} lifecycles (${paths.join(', ')}), ${captured.length} log writes captured (e.g. ${(captured.find((line) => line.includes('"level"')) ?? '').slice(0, 160)})\n${report}\ncanaries found = ${total}`,
  );
  await harness?.stop();
});

/** Every canary of the given kinds found in `text`. */
const found = (text: string, kinds: (keyof Canaries)[] = ['contact', 'identity']) =>
  kinds.flatMap((kind) => canaries[kind].filter((canary) => text.includes(canary)));

const findings: Record<string, { bytes: number; found: string[] }> = {};
const search = (source: string, text: string, kinds?: (keyof Canaries)[]) => {
  findings[source] = { bytes: text.length, found: found(text, kinds) };
  return findings[source].found;
};

describe('privacy canaries after complete lifecycles on every path', () => {
  it('reached CLOSED on every path, with the canaries stored where they belong (positive control)', async () => {
    // Arrange
    const path = `/api/complaints/${control.complaintId}`;

    // Act
    const asRegulator = await harness.request('GET', path, { token: control.regulator });
    const caseAsRegulator = await harness.request('GET', `/api/cases/${asRegulator.body.case.caseId}`, {
      token: control.regulator,
    });

    // Assert
    expect(caseIds).toHaveLength(paths.length);
    expect(asRegulator.body.complaint.contact).toEqual(control.contact);
    expect(asRegulator.body.complaint.attachments).toHaveLength(1);
    expect(found(asRegulator.text).length).toBeGreaterThan(0);
    expect(found(caseAsRegulator.text, ['association']).length).toBeGreaterThan(0);
  });

  it('leaves no canary in the logs, captured at DEBUG', () => {
    // Arrange
    const logs = captured.join('\n');

    // Act
    const inLogs = search('logs', logs);

    // Assert
    expect(captured.length).toBeGreaterThan(0);
    expect(inLogs).toEqual([]);
  });

  it('leaves no canary in any workflow input, output or history', () => {
    // Arrange
    const engine = harness.runtime.stepFunctions;
    const arn = harness.runtime.stateMachineArns['fee-case'] as string;
    const executions = engine.listExecutions({ stateMachineArn: arn }).executions;

    // Act
    const histories = executions.map((execution) =>
      JSON.stringify({
        description: engine.describeExecution({ executionArn: execution.executionArn }),
        events: engine.events(execution.executionArn),
      }),
    );
    const inWorkflows = search('workflow histories', histories.join('\n'));

    // Assert
    expect(executions.length).toBeGreaterThanOrEqual(paths.length);
    expect(inWorkflows).toEqual([]);
  });

  it('leaves no canary in the stream-derived metric items', async () => {
    // Arrange
    const items = [
      ...(await scanEntities(harness, 'MetricsShard')),
      ...(await scanEntities(harness, 'AppliedChange')),
    ];

    // Act
    const inMetrics = search('metric items', JSON.stringify(items));

    // Assert
    expect(items.length).toBeGreaterThan(0);
    expect(inMetrics).toEqual([]);
  });

  it('puts no canary in any notification, nor in the associations’ notification centres', async () => {
    // Arrange
    const items = await scanEntities(harness, 'Notification');
    const centres: string[] = [];

    // Act
    for (const cast of casts)
      centres.push(
        (await harness.request('GET', '/api/notifications?limit=100', { token: cast.tokens.association }))
          .text,
      );
    const found = [
      ...search('notification parameters', JSON.stringify(items.map((item) => item.params))),
      ...search('association notification centres', centres.join('\n'), [
        'contact',
        'identity',
        'association',
      ]),
    ];

    // Assert
    expect(items.length).toBeGreaterThan(casts.length);
    expect(centres.join('')).toContain('notificationId');
    expect(found).toEqual([]);
  });

  it('shows the associations no canary: not in their cases, nor in their task lists', async () => {
    // Arrange
    const views: string[] = [];

    // Act
    for (const [i, caseId] of caseIds.entries()) {
      const token = casts[i]?.tokens.association;
      views.push((await harness.request('GET', `/api/cases/${caseId}`, { token })).text);
      for (const status of ['OPEN', 'COMPLETED'])
        views.push((await harness.request('GET', `/api/tasks?status=${status}&limit=100`, { token })).text);
    }
    const inViews = search('association views', views.join('\n'), ['contact', 'identity', 'association']);

    // Assert
    expect(views.join('').length).toBeGreaterThan(1000);
    expect(inViews).toEqual([]);
  });

  it('puts no canary in the public metrics, the regulators’ and admins’ metrics, or the CSV', async () => {
    // Arrange
    const admin = casts[0]?.tokens.admin;
    const regulator = casts[0]?.tokens.regulator;

    // Act
    const publicMetrics = await harness.request('GET', '/api/public/metrics');
    const adminMetrics = await harness.request('GET', '/api/metrics', { token: admin });
    const regulatorMetrics = await harness.request('GET', '/api/metrics', { token: regulator });
    const csv = await harness.request('GET', '/api/public/outcomes.csv');
    const inAggregates = search(
      'metrics',
      [publicMetrics.text, adminMetrics.text, regulatorMetrics.text].join('\n'),
    );
    const inCsv = search('CSV', csv.text);

    // Assert
    expect(csv.text.split('\r\n').filter(Boolean).length).toBeGreaterThan(paths.length);
    expect(inAggregates).toEqual([]);
    expect(inCsv).toEqual([]);
  });

  it('puts no canary in a refused typical case, nor in the published ones or their feed', async () => {
    // Arrange
    const [refused, published] = typicalCaseAnswers;

    // Act
    const answers = await Promise.all(
      ['/api/public/typical-cases?limit=100', '/api/public/typical-cases.atom'].map((path) =>
        harness.request('GET', path),
      ),
    );
    const inTypicalCases = search(
      'typical cases',
      [refused?.text, published?.text, ...answers.map((answer) => answer.text)].join('\n'),
    );

    // Assert
    expect(refused?.body.error.details).toEqual([
      expect.objectContaining({ code: 'identifies_complainant' }),
    ]);
    expect(published?.status).toBe(201);
    expect(answers.map((answer) => answer.text).join('')).toContain(published?.body.typicalCaseId);
    expect(inTypicalCases).toEqual([]);
  });

  it('puts no canary in the public progress of any complaint', async () => {
    // Arrange: the lookup allows 20 a minute from one address, enough for one of each lifecycle.
    const asked = lookups.slice(0, 20);

    // Act
    const answers = await Promise.all(
      asked.map((lookup) => harness.request('GET', `/api/public/progress?${new URLSearchParams(lookup)}`)),
    );
    const inProgress = search('public progress', answers.map((answer) => answer.text).join('\n'));

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(asked.map(() => 200));
    expect(inProgress).toEqual([]);
  });

  it('puts no complainant canary in case search or the ledger', async () => {
    // Arrange
    const admin = casts[0]?.tokens.admin;
    const regulator = casts[0]?.tokens.regulator;

    // Act
    const answers = await Promise.all(
      [admin, regulator].flatMap((token) => [
        harness.request('GET', '/api/cases?limit=100', { token }),
        harness.request('GET', '/api/cases.csv', { token }),
      ]),
    );
    const inSearch = search('case search and ledger', answers.map((answer) => answer.text).join('\n'));

    // Assert
    expect(found(answers.map((answer) => answer.text).join('\n'), ['association']).length).toBeGreaterThan(0);
    expect(inSearch).toEqual([]);
  });

  it('writes no canary to the runtime’s files: dead letters, checkpoints, queued messages', async () => {
    // Arrange: the mail inbox and the SMS outbox are where contacts are meant to arrive, as a phone is
    const delivered = (name: string) => /^(mail|outbox)(\/|$)/.test(name);
    const names = (await readdir(dataDir, { recursive: true })).filter((name) => !delivered(name));

    // Act
    const contents = await Promise.all(
      names.map((name) => readFile(join(dataDir, name), 'utf8').catch(() => '')),
    );
    const inFiles = search('runtime files', contents.join('\n'));

    // Assert
    expect(names.some((name) => name.startsWith('stream-'))).toBe(true);
    expect(inFiles).toEqual([]);
  });

  it('stores no contact canary in plain text anywhere in the table', async () => {
    // Arrange
    const items = await scanAll(harness);

    // Act
    const inTable = search('table (contact details)', JSON.stringify(items), ['contact']);

    // Assert
    expect(items.length).toBeGreaterThan(50);
    expect(inTable).toEqual([]);
  });
});
