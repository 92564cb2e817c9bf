/**
 * The per-association figures the aggregator must reach, computed from the cases as they are now and
 * the register: each case contributes once, and recurrences are found by comparing every pair of cases.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { associationFiguresKey, countersOf, profileOf } from '#shared/adapters/dynamodb/association-figures';
import type { RegisteredAssociation } from '#shared/domain/association';
import type { FeeCase } from '#shared/domain/fee-case';
import { normalizeFeeName } from '#shared/domain/fee-identity';
import {
  type AssociationFigures,
  associationContribution,
  associationFiguresOf,
  associationScope,
} from '#shared/metrics/association-figures';
import { addCounters, type ScopedCounters } from '#shared/metrics/counters';
import type { TestTable } from '#test/support/table';

const twoYearsMs = 730 * 86_400_000;

export const associationTruth = (
  cases: readonly FeeCase[],
  register: readonly RegisteredAssociation[],
): Record<string, AssociationFigures> => {
  const registered = new Map(register.map((association) => [association.creditCode, association]));
  const familyOf = (code: string) => registered.get(code)?.parentCreditCode ?? code;
  const counters: ScopedCounters = {};
  for (const feeCase of cases) addCounters(counters, associationContribution(feeCase));
  const sameFee = (a: FeeCase, b: FeeCase) =>
    familyOf(a.association.creditCode ?? '') === familyOf(b.association.creditCode ?? '') &&
    a.fee.category === b.fee.category &&
    normalizeFeeName(a.fee.name) === normalizeFeeName(b.fee.name);
  for (const charged of cases) {
    const code = charged.association.creditCode;
    if (!code) continue;
    const followed = cases.filter((abolished) => {
      if (abolished === charged || abolished.outcome !== 'ABOLISHED' || !abolished.closedAt) return false;
      const since = Date.parse(charged.openedAt) - Date.parse(abolished.closedAt);
      return sameFee(abolished, charged) && since >= 0 && since <= twoYearsMs;
    });
    if (followed.length === 0) continue;
    const own = followed.some((abolished) => abolished.association.creditCode === code);
    const other = followed.some((abolished) => abolished.association.creditCode !== code);
    addCounters(counters, {
      [associationScope(code)]: {
        recurrences: 1,
        ...(own ? { 'recurrences.sameAssociation': 1 } : {}),
        ...(other ? { 'recurrences.otherBranch': 1 } : {}),
      },
    });
    addCounters(counters, { [associationScope(familyOf(code))]: { familyRecurrences: 1 } });
  }
  const truth: Record<string, AssociationFigures> = {};
  for (const [scope, counted] of Object.entries(counters)) {
    const creditCode = scope.slice(associationScope('').length);
    const entry = registered.get(creditCode);
    const named = cases.find((feeCase) => feeCase.association.creditCode === creditCode);
    const profile = entry
      ? {
          creditCode,
          name: entry.name,
          province: entry.province,
          memberCount: entry.memberCount,
          ...(entry.parentCreditCode ? { parentCreditCode: entry.parentCreditCode } : {}),
          registered: true,
        }
      : {
          creditCode,
          name: named?.association.name ?? '',
          province: named?.province ?? '',
          registered: false,
        };
    truth[creditCode] = associationFiguresOf(profile, counted);
  }
  return truth;
};

/** An association's figures as its item in the table holds them; nothing when it has no item. */
export const storedFigures = async (
  table: TestTable,
  creditCode: string,
): Promise<AssociationFigures | undefined> => {
  const { Item } = await table.documentClient.send(
    new GetCommand({
      TableName: table.tableName,
      Key: associationFiguresKey(creditCode),
      ConsistentRead: true,
    }),
  );
  return Item ? associationFiguresOf(profileOf(Item), countersOf(Item)) : undefined;
};
