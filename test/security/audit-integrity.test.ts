/**
 * Audit integrity: the hash chain of every case verifies, and altering or deleting one event in the
 * table is detected, by the verifier (`npm run audit:verify`, infra/local/verify-audit.ts) and by
 * the `auditIntegrity` field of `GET /api/cases/{id}` alike.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, verifyAuditTrails } from '#infra/local/verify-audit';
import { type Cast, type DrivenCase, driveToOpenTask, type Item, newCast } from '#test/security/support';
import { completeTask, decisions, waitForStage } from '#test/support/campaign-actors';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

const repositoryRoot = resolve(import.meta.dirname, '../..');

let harness: TestRuntime;
let cast: Cast;
/** Cases by what the tests do to them. */
const cases = {} as Record<
  'intact' | 'altered' | 'middleDeleted' | 'latestDeleted' | 'caseDeleted',
  DrivenCase
>;

/** Takes a case from an open VERIFICATION task to CLOSED/ABOLISHED. */
const close = async (driven: DrivenCase) => {
  await completeTask(harness, cast.tokens.regulator as string, driven.taskId, decisions.accept);
  await waitForStage(harness, cast.tokens.regulator as string, driven.caseId, 'CLOSED');
};

const eventItems = async (caseId: string): Promise<Item[]> =>
  (
    await harness.documentClient.send(
      new QueryCommand({
        TableName: harness.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':event': 'EVENT#' },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const eventOfType = async (caseId: string, type: string): Promise<Item> => {
  const found = (await eventItems(caseId)).find((item) => item.type === type);
  if (!found) throw new Error(`case ${caseId} has no ${type} event`);
  return found;
};

const deleteItem = (item: Item) =>
  harness.documentClient.send(
    new DeleteCommand({ TableName: harness.tableName, Key: { pk: item.pk, sk: item.sk } }),
  );

const integrityOf = async (caseId: string) =>
  (await harness.request('GET', `/api/cases/${caseId}`, { token: cast.tokens.admin })).body.auditIntegrity;

const verify = () => verifyAuditTrails(harness.documentClient, harness.tableName);

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
  const [intact, altered, middleDeleted, latestDeleted, caseDeleted] = await Promise.all([
    driveToOpenTask(harness, cast, 'VERIFICATION', { feeName: 'Intact fee' }),
    driveToOpenTask(harness, cast, 'VERIFICATION', { feeName: 'Altered fee' }),
    driveToOpenTask(harness, cast, 'REVIEW', { feeName: 'Middle deleted fee' }),
    driveToOpenTask(harness, cast, 'REVIEW', { feeName: 'Latest deleted fee' }),
    driveToOpenTask(harness, cast, 'REVIEW', { feeName: 'Case deleted fee' }),
  ]);
  await Promise.all([close(intact as DrivenCase), close(altered as DrivenCase)]);
  Object.assign(cases, { intact, altered, middleDeleted, latestDeleted, caseDeleted });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('audit trails of real cases', () => {
  it('all verify: every event present, unaltered and linked up to the hash the case records', async () => {
    // Arrange: five cases, two of them closed after review, rectification and verification

    // Act
    const report = await verify();

    // Assert
    console.log(`audit integrity: ${report.cases} cases, ${report.events} events verified intact`);
    expect(report.broken).toEqual([]);
    expect(report.cases).toBe(5);
    expect(report.events).toBeGreaterThan(5 * 3);
  });

  it('are reported intact by GET /api/cases/{id}, with the number of events', async () => {
    // Arrange
    const events = (await eventItems(cases.intact.caseId)).length;

    // Act
    const integrity = await integrityOf(cases.intact.caseId);

    // Assert
    expect(integrity).toEqual({ intact: true, events });
  });

  it('make the command line print a summary and exit 0', async () => {
    // Arrange
    const lines: string[] = [];

    // Act
    const code = await main(['--endpoint', harness.endpoint, '--table', harness.tableName], (line) =>
      lines.push(line),
    );

    // Assert
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^5 cases, \d+ events checked: every audit trail is intact$/),
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

  it('is detected when the latest event is deleted, by the hash the case item records', async () => {
    // Arrange
    const events = await eventItems(cases.latestDeleted.caseId);
    const latest = events.reduce((a, b) => ((a.seq as number) > (b.seq as number) ? a : b));
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

  it('makes `npm run audit:verify` print one line per broken case, a summary, and exit 1', async () => {
    // Arrange
    const args = ['--endpoint', harness.endpoint, '--table', harness.tableName];
    const alteredSeq = (await eventOfType(cases.altered.caseId, 'REVIEW_DECIDED')).seq;

    // Act
    const { code, stdout } = await runCli(args);

    // Assert
    const lines = stdout.trim().split('\n');
    console.log(`audit:verify output:\n${stdout}`);
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('BROKEN case '))).toHaveLength(4);
    expect(lines).toContain(`BROKEN case ${cases.altered.caseId}: event altered at event ${alteredSeq}`);
    expect(lines.at(-1)).toMatch(/^5 cases, \d+ events checked: 4 broken$/);
    expect(lines.filter((line) => line.includes(cases.intact.caseId))).toEqual([]);
  });

  it('answers a missing --endpoint with usage and exit 2', async () => {
    // Arrange
    const errors: string[] = [];

    // Act
    const code = await main(
      [],
      () => undefined,
      (line) => errors.push(line),
    );

    // Assert
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain('--endpoint is required');
  });
});
