/**
 * `npm run audit:verify` and filings the case journal has not linked: a pending event younger than
 * the journal ever needs is left alone, one that stayed pending is reported, since the trail is not
 * whole without it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { describeReport, stalledAfterMs, verifyAuditTrails } from '#infra/local/verify-audit';
import { pendingEventPut } from '#shared/adapters/dynamodb/case-journal';
import { caseKey } from '#shared/adapters/dynamodb/keys';
import { testAuditSeal, useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const now = new Date('2026-12-03T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

/** A case with nothing linked yet, and pending filings filed at the given times. */
const caseWithPending = async (caseId: string, filedAt: readonly string[]) => {
  await documentClient.send(
    new PutCommand({ TableName: tableName, Item: { ...caseKey(caseId), entity: 'FeeCase', caseId } }),
  );
  for (const [n, at] of filedAt.entries()) {
    const { Put } = pendingEventPut(tableName, {
      caseId,
      id: `${caseId}-filing-${n}`,
      at,
      draft: { type: 'COMPLAINT_JOINED', actor: { role: 'enterprise', subject: 'enterprise-1' } },
    });
    await documentClient.send(new PutCommand({ TableName: tableName, Item: Put?.Item }));
  }
};

const verify = () =>
  verifyAuditTrails({
    db: documentClient,
    tableName,
    seal: testAuditSeal(),
    ledger: { all: async () => [] },
    now,
  });

describe('audit:verify on filings not yet linked', () => {
  it('reports a case whose filings stayed pending past the journal, oldest first, as stalled', async () => {
    // Arrange
    const stalledMinutes = stalledAfterMs / 60_000 + 5;
    await caseWithPending('case-stalled', [minutesAgo(stalledMinutes), minutesAgo(stalledMinutes + 1)]);

    // Act
    const report = await verify();

    // Assert
    expect(report.stalled).toContainEqual({
      caseId: 'case-stalled',
      events: 2,
      since: minutesAgo(stalledMinutes + 1),
    });
    expect(describeReport(report).join('\n')).toContain('STALLED case case-stalled: 2 filings not linked');
  });

  it('leaves alone a filing the journal is still about to link', async () => {
    // Arrange
    await caseWithPending('case-fresh', [minutesAgo(0)]);

    // Act
    const report = await verify();

    // Assert
    expect(report.stalled.map((trail) => trail.caseId)).not.toContain('case-fresh');
  });
});
