/**
 * The truth the counters must equal, computed from the table itself: every case and task as it is
 * now, contributed once; and, independently of the figures kept on the cases, what the complaints
 * themselves say.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import {
  addCounters,
  caseContribution,
  type ScopedCounters,
  taskContribution,
} from '#shared/metrics/counters';
import type { TestTable } from '#test/support/table';

export const scanEntities = async (table: TestTable, entity: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'entity = :entity',
        ExpressionAttributeValues: { ':entity': entity },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

export const truthFromTable = async (table: TestTable): Promise<ScopedCounters> => {
  const truth: ScopedCounters = {};
  const add = (contribution: ScopedCounters) => addCounters(truth, contribution);
  for (const item of await scanEntities(table, 'FeeCase')) add(caseContribution(item as unknown as FeeCase));
  for (const item of await scanEntities(table, 'Task')) add(taskContribution(item as unknown as FeeTask));
  // A counter that went up and down again reads 0 in the table, and is absent from the truth.
  for (const counters of Object.values(truth))
    for (const [name, value] of Object.entries(counters)) if (value === 0) delete counters[name];
  return truth;
};

export const withoutZeros = (counters: Record<string, number>) =>
  Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0));

export interface FilingsTruth {
  /** One per enterprise and case, however often the enterprise filed about the case. */
  complaintsReceived: number;
  /** Per case: what each of its enterprises claimed in its first complaint, summed. */
  claimedFenByCase: Record<string, number>;
}

/** What the stored complaints say: an enterprise filing about a case again counts once, with its first figure. */
export const filingsTruth = async (table: TestTable): Promise<FilingsTruth> => {
  const complaints = (await scanEntities(table, 'Complaint')).sort((a, b) =>
    String(a.filedAt).localeCompare(String(b.filedAt)),
  );
  const firstClaims = new Map<string, { caseId: string; amountFen: number }>();
  for (const complaint of complaints) {
    const caseId = complaint.caseId as string;
    const filing = `${caseId}#${complaint.enterpriseCreditCode as string}`;
    const amountFen = (complaint.fee as { amountFen: number }).amountFen;
    if (!firstClaims.has(filing)) firstClaims.set(filing, { caseId, amountFen });
  }
  const claimedFenByCase: Record<string, number> = {};
  for (const { caseId, amountFen } of firstClaims.values())
    claimedFenByCase[caseId] = (claimedFenByCase[caseId] ?? 0) + amountFen;
  return { complaintsReceived: firstClaims.size, claimedFenByCase };
};

/** What the complaints' own feedback says, independently of the tallies kept on the cases. */
export const feedbackTruth = async (table: TestTable) => {
  const truth = { refundsConfirmed: 0, refundsDisputed: 0, satisfaction: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } };
  for (const complaint of await scanEntities(table, 'Complaint')) {
    const feedback = complaint.feedback as {
      refundReceived: boolean | null;
      satisfaction: 1 | 2 | 3 | 4 | 5;
    };
    if (!feedback) continue;
    if (feedback.refundReceived === true) truth.refundsConfirmed += 1;
    if (feedback.refundReceived === false) truth.refundsDisputed += 1;
    truth.satisfaction[feedback.satisfaction] += 1;
  }
  return truth;
};
