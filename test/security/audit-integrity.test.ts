/**
 * Audit integrity: every case's chain is linked with a key only the writers hold and its heads are
 * anchored outside the table, so altering, deleting, rewriting-and-recomputing or truncating a trail by
 * writing to the table is detected, by the verifier (`npm run audit:verify`, infra/local/verify-audit.ts)
 * and by the `auditIntegrity` field of `GET /api/cases/{id}` alike.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAnchorsFile } from '#infra/local/runtime-record';
import { main, verifyAuditTrails } from '#infra/local/verify-audit';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { FileAnchorLedger } from '#shared/adapters/file-anchor-ledger';
import { type CaseEvent, chainEvent, contentHash } from '#shared/domain/case-event';
import { type Cast, type DrivenCase, driveToOpenTask, type Item, newCast } from '#test/security/support';
import { completeTask, decisions, waitForStage } from '#test/support/campaign-actors';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { testAuditSeal } from '#test/support/table';

const repositoryRoot = resolve(import.meta.dirname, '../..');

let harness: TestRuntime;
let cast: Cast;
/** Cases by what the tests do to them. */
const cases = {} as Record<
  | 'intact'
  | 'altered'
  | 'middleDeleted'
  | 'latestDeleted'
  | 'caseDeleted'
  | 'rewritten'
  | 'downgraded'
  | 'forged'
  | 'truncated',
  DrivenCase
>;

/** Takes a case from an open VERIFICATION task to CLOSED/ABOLISHED. */
const close = async (driven: DrivenCase) => {
  await completeTask(harness, cast.tokens.regulator as string, driven.taskId, decisions.accept);
  await waitForStage(harness, cast.tokens.regulator as string, driven.caseId, 'CLOSED');
};

const eventItems = async (caseId: string): Promise<Item[]> =>
  (
    (
      await harness.documentClient.send(
        new QueryCommand({
          TableName: harness.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':event': 'EVENT#' },
          ConsistentRead: true,
        }),
      )
    ).Items ?? []
  ).sort((a, b) => (a.seq as number) - (b.seq as number));

const eventOfType = async (caseId: string, type: string): Promise<Item> => {
  const found = (await eventItems(caseId)).find((item) => item.type === type);
  if (!found) throw new Error(`case ${caseId} has no ${type} event`);
  return found;
};

const deleteItem = (item: Item) =>
  harness.documentClient.send(
    new DeleteCommand({ TableName: harness.tableName, Key: { pk: item.pk, sk: item.sk } }),
  );

/** Points the case item at a new latest event, as someone covering their tracks in the table would. */
const reanchorInTable = (caseId: string, latest: { seq: number; hash: string }) =>
  harness.documentClient.send(
    new UpdateCommand({
      TableName: harness.tableName,
      Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
      UpdateExpression: 'SET lastEventHash = :hash, eventSeq = :seq',
      ExpressionAttributeValues: { ':hash': latest.hash, ':seq': latest.seq },
    }),
  );

const eventFields = ({ pk: _pk, sk: _sk, entity: _entity, ...event }: Item) => event as unknown as CaseEvent;

/**
 * Rewrites a case's trail in the table from one event on: `edit` changes that event, `link` makes each
 * event's new link from the one before, and the case item is made to agree. What someone with table
 * write access (and, unless they stole it, no key) can do.
 */
const rewriteTrail = async (
  caseId: string,
  fromSeq: number,
  edit: (event: CaseEvent) => CaseEvent,
  link: (event: CaseEvent, previousHash: string) => Promise<CaseEvent>,
) => {
  const items = await eventItems(caseId);
  let previousHash =
    fromSeq === 1 ? '0'.repeat(64) : (eventFields(items[fromSeq - 2] as Item).hash as string);
  let latest = { seq: 0, hash: '' };
  for (const item of items.slice(fromSeq - 1)) {
    const original = eventFields(item);
    const relinked = await link(original.seq === fromSeq ? edit(original) : original, previousHash);
    await harness.documentClient.send(
      new PutCommand({
        TableName: harness.tableName,
        Item: { pk: item.pk, sk: item.sk, entity: item.entity, ...relinked },
      }),
    );
    previousHash = relinked.hash;
    latest = { seq: relinked.seq, hash: relinked.hash };
  }
  await reanchorInTable(caseId, latest);
};

/** The chain as it was before it was keyed: plain SHA-256 of the event, no scheme. */
const plainSha256 = async ({ hash: _hash, link: _link, ...event }: CaseEvent, previousHash: string) => {
  const unlinked = { ...event, previousHash };
  return { ...unlinked, hash: contentHash(unlinked) };
};

/** HMAC with a key of the attacker's own, scheme and all: what one can do without the writers' key. */
const attackerKey = new LocalKeyAuditSeal(randomBytes(32).toString('base64'));
const keyedByAttacker = (
  { type, actor, stage, publicNote, data, caseId, seq, at }: CaseEvent,
  previousHash: string,
) =>
  chainEvent(
    { caseId, eventSeq: seq - 1, lastEventHash: previousHash },
    {
      type,
      actor,
      ...(stage ? { stage } : {}),
      ...(publicNote ? { publicNote } : {}),
      ...(data ? { data } : {}),
    },
    at,
    attackerKey,
  );

/** The rectification report restated: another actor, a bigger refund. */
const inflatedRefund = (event: CaseEvent): CaseEvent => ({
  ...event,
  actor: { role: 'association', subject: 'someone-else' },
  data: { ...event.data, refundedFen: 9_999_999 },
});

const integrityOf = async (caseId: string) =>
  (await harness.request('GET', `/api/cases/${caseId}`, { token: cast.tokens.admin })).body.auditIntegrity;

const verify = () =>
  verifyAuditTrails({
    db: harness.documentClient,
    tableName: harness.tableName,
    seal: testAuditSeal(),
    ledger: new FileAnchorLedger(auditAnchorsFile(harness.runtime.dataDir)),
  });

const runCli = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/local/verify-audit.ts', ...args], {
    cwd: repositoryRoot,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );

beforeAll(async () => {
  harness = await startTestRuntime();
  cast = await newCast(harness);
  const atVerification = ['intact', 'altered', 'rewritten', 'downgraded', 'forged', 'truncated'] as const;
  const underReview = ['middleDeleted', 'latestDeleted', 'caseDeleted'] as const;
  const driven = await Promise.all([
    ...atVerification.map((name) =>
      driveToOpenTask(harness, cast, 'VERIFICATION', { feeName: `${name} fee` }),
    ),
    ...underReview.map((name) => driveToOpenTask(harness, cast, 'REVIEW', { feeName: `${name} fee` })),
  ]);
  Object.assign(
    cases,
    Object.fromEntries([...atVerification, ...underReview].map((name, i) => [name, driven[i]])),
  );
  await Promise.all(atVerification.map((name) => close(cases[name])));
  // What the runtime's timer does every 15 minutes: the heads go outside the table.
  await harness.runtime.runSchedules();
}, 90_000);

afterAll(async () => {
  await harness?.stop();
});

describe('audit trails of real cases', () => {
  it('all verify: every link made with the key, up to the link the case records and its anchored head', async () => {
    // Arrange: nine cases, six of them closed after review, rectification and verification, all anchored

    // Act
    const report = await verify();

    // Assert
    console.log(`audit integrity: ${report.cases} cases, ${report.events} events verified intact`);
    expect(report.broken).toEqual([]);
    expect(report.brokenAnchors).toBeUndefined();
    expect(report.unkeyed).toEqual([]);
    expect(report.cases).toBe(9);
    expect(report.anchors).toBe(1);
    expect(report.events).toBeGreaterThan(9 * 3);
  });

  it('are keyed: every event names its link scheme', async () => {
    const events = await eventItems(cases.intact.caseId);

    expect(new Set(events.map((event) => event.link))).toEqual(new Set(['hmac-sha256']));
  });

  it('are reported intact by GET /api/cases/{id}, with the events its anchor covers', async () => {
    // Arrange
    const events = (await eventItems(cases.intact.caseId)).length;

    // Act
    const integrity = await integrityOf(cases.intact.caseId);

    // Assert
    expect(integrity).toEqual({ intact: true, events, anchoredEvents: events });
  });

  it('make `npm run audit:verify` with the runtime’s URL print a summary and exit 0', async () => {
    // Arrange
    const lines: string[] = [];

    // Act
    const code = await main(['--endpoint', harness.url, '--data-dir', harness.runtime.dataDir], (line) =>
      lines.push(line),
    );

    // Assert
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^9 cases, \d+ events, 1 anchor checked: every audit trail is intact$/),
    ]);
  });
});

describe('tampering with the table', () => {
  it('is detected when one event’s data is altered (a decision rewritten from UNLAWFUL to DISMISSED)', async () => {
    // Arrange
    const decided = await eventOfType(cases.altered.caseId, 'REVIEW_DECIDED');
    await harness.documentClient.send(
      new UpdateCommand({
        TableName: harness.tableName,
        Key: { pk: decided.pk, sk: decided.sk },
        UpdateExpression: 'SET #data.verdict = :dismissed',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: { ':dismissed': 'DISMISSED' },
      }),
    );

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.altered.caseId);

    // Assert
    const expected = { brokenAtSeq: decided.seq, reason: 'event altered' };
    expect(report.broken).toContainEqual({ caseId: cases.altered.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('is detected when an event in the middle of the trail is deleted', async () => {
    // Arrange
    const classified = await eventOfType(cases.middleDeleted.caseId, 'CLASSIFIED');
    await deleteItem(classified);

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.middleDeleted.caseId);

    // Assert
    const expected = { brokenAtSeq: classified.seq, reason: 'event missing' };
    expect(report.broken).toContainEqual({ caseId: cases.middleDeleted.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('is detected when the latest event is deleted, by the link the case item records', async () => {
    // Arrange
    const latest = (await eventItems(cases.latestDeleted.caseId)).at(-1) as Item;
    await deleteItem(latest);

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.latestDeleted.caseId);

    // Assert
    const expected = { brokenAtSeq: latest.seq, reason: 'latest events missing' };
    expect(report.broken).toContainEqual({ caseId: cases.latestDeleted.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('is detected when a whole case item is deleted and its events are left behind', async () => {
    // Arrange
    await deleteItem({ pk: `CASE#${cases.caseDeleted.caseId}`, sk: 'CASE' });

    // Act
    const report = await verify();

    // Assert
    expect(report.broken).toContainEqual({
      caseId: cases.caseDeleted.caseId,
      brokenAtSeq: 0,
      reason: 'case item missing',
    });
  });

  it('is detected when a report’s actor and refund are rewritten and the chain recomputed with plain SHA-256', async () => {
    // Arrange
    const reported = await eventOfType(cases.rewritten.caseId, 'RECTIFICATION_REPORTED');
    await rewriteTrail(cases.rewritten.caseId, reported.seq as number, inflatedRefund, plainSha256);

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.rewritten.caseId);

    // Assert
    const expected = { brokenAtSeq: reported.seq, reason: 'unkeyed event after keyed ones' };
    expect(report.broken).toContainEqual({ caseId: cases.rewritten.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('is detected when the whole chain is recomputed with plain SHA-256, by its anchored head', async () => {
    // Arrange: every event rewritten as if it predated the keyed chain, the report's refund inflated
    const reportedSeq = (await eventOfType(cases.downgraded.caseId, 'RECTIFICATION_REPORTED')).seq;
    await rewriteTrail(
      cases.downgraded.caseId,
      1,
      (event) => event,
      (event, previousHash) =>
        plainSha256(event.seq === reportedSeq ? inflatedRefund(event) : event, previousHash),
    );
    const anchoredSeq = (await eventItems(cases.downgraded.caseId)).length;

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.downgraded.caseId);

    // Assert
    const expected = { brokenAtSeq: anchoredSeq, reason: 'event differs from its anchor' };
    expect(report.broken).toContainEqual({ caseId: cases.downgraded.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('is detected when the chain is rebuilt by someone without the key (HMAC with a key of their own)', async () => {
    // Arrange
    const reported = await eventOfType(cases.forged.caseId, 'RECTIFICATION_REPORTED');
    await rewriteTrail(cases.forged.caseId, reported.seq as number, inflatedRefund, keyedByAttacker);

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.forged.caseId);

    // Assert
    const expected = { brokenAtSeq: reported.seq, reason: 'event altered' };
    expect(report.broken).toContainEqual({ caseId: cases.forged.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('is detected when the latest events are deleted and the table re-anchored, by the external anchor', async () => {
    // Arrange: the last two events go, and the case item is made to point at what is left
    const events = await eventItems(cases.truncated.caseId);
    for (const item of events.slice(-2)) await deleteItem(item);
    const left = eventFields(events.at(-3) as Item);
    await reanchorInTable(cases.truncated.caseId, left);

    // Act
    const report = await verify();
    const integrity = await integrityOf(cases.truncated.caseId);

    // Assert
    const expected = { brokenAtSeq: left.seq + 1, reason: 'anchored events missing' };
    expect(report.broken).toContainEqual({ caseId: cases.truncated.caseId, ...expected });
    expect(integrity).toEqual({ intact: false, ...expected });
  });

  it('makes `npm run audit:verify` print one line per broken case, a summary, and exit 1', async () => {
    // Arrange
    const args = ['--endpoint', harness.url, '--data-dir', harness.runtime.dataDir];
    const alteredSeq = (await eventOfType(cases.altered.caseId, 'REVIEW_DECIDED')).seq;

    // Act
    const { code, stdout } = await runCli(args);

    // Assert
    const lines = stdout.trim().split('\n');
    console.log(`audit:verify output:\n${stdout}`);
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('BROKEN case '))).toHaveLength(8);
    expect(lines).toContain(`BROKEN case ${cases.altered.caseId}: event altered at event ${alteredSeq}`);
    expect(lines.at(-1)).toMatch(/^9 cases, \d+ events, 1 anchor checked: 8 broken$/);
    expect(lines.filter((line) => line.includes(cases.intact.caseId))).toEqual([]);
  });
});

describe('the command line', () => {
  it('answers a data folder where no runtime started with usage and exit 2', async () => {
    // Arrange
    const errors: string[] = [];
    const empty = await mkdtemp(join(tmpdir(), 'audit-verify-'));

    // Act
    const code = await main(
      ['--data-dir', empty],
      () => undefined,
      (line) => errors.push(line),
    );

    // Assert
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain(`No local runtime has started on the data folder ${empty}`);
  });

  it('refuses an endpoint that is not the runtime of the data folder', async () => {
    // Arrange
    const errors: string[] = [];

    // Act
    const code = await main(
      ['--endpoint', 'http://127.0.0.1:1', '--data-dir', harness.runtime.dataDir],
      () => undefined,
      (line) => errors.push(line),
    );

    // Assert
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain(
      `http://127.0.0.1:1 is not the runtime of ${harness.runtime.dataDir}`,
    );
  });

  it('asks for the table and the key beside an anchors bucket (AWS)', async () => {
    // Arrange
    const errors: string[] = [];

    // Act
    const code = await main(
      ['--anchors-bucket', 'fee-campaign-anchors'],
      () => undefined,
      (line) => errors.push(line),
    );

    // Assert
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain('--anchors-bucket needs --table and --audit-key');
  });
});
