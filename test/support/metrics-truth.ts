/**
 * The truth the counters must equal, computed from the table itself: every case and task as it is
 * now, contributed once.
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
