/**
 * Per-association figures and the repeat-offence records in the single table (docs/data-model.md,
 * "Associations"). One figures item per association, not sharded: only a case opening or closing
 * moves it, never a complaint joining a case. The ranking reads the figures items of a province from
 * one gsi1 partition.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { allItems, type Item, type TransactItem, transact } from '#shared/adapters/dynamodb/table-io';
import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { ConflictError } from '#shared/domain/errors';
import {
  type AssociationFigures,
  type AssociationProfile,
  associationFiguresOf,
  associationScope,
  recurrenceCounters,
} from '#shared/metrics/association-figures';
import type { Counters } from '#shared/metrics/counters';
import type { AssociationFiguresReader } from '#shared/metrics/rank-associations';
import {
  type AbolishedFee,
  type ChargedFee,
  type FamilyFee,
  type Recurrence,
  type RepeatOffenceStore,
  windowAfter,
  windowBefore,
} from '#shared/metrics/recurrences';

export const associationFiguresKey = (creditCode: string) => ({
  pk: associationScope(creditCode),
  sk: 'FIGURES',
});
/** The ranking's partition of one province (gsi1), holding the figures items of its associations. */
export const associationRankingPartition = (province: string) => `ASSOCIATION_FIGURES#PROVINCE#${province}`;
/** One fee of one family of associations: its abolitions, the cases charging it, its recurrences. */
export const familyFeePartition = (fee: FamilyFee) =>
  `ABOLISHED_FEE#${fee.family}#${fee.category}#${fee.feeName}`;

const daySeconds = 86_400;
/** Stream records live 24 hours: a charge is looked up by an abolition delivered late for days at most. */
const chargeTtlSeconds = 3 * daySeconds;

/** The update adding `counters` (names as `c.<name>`) to an association's figures item. */
export const figuresUpdate = (tableName: string, creditCode: string, counters: Counters) => {
  const entries = Object.entries(counters);
  return {
    TableName: tableName,
    Key: associationFiguresKey(creditCode),
    UpdateExpression: `SET entity = :entity, creditCode = :code ADD ${entries.map((_, i) => `#c${i} :v${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, `c.${name}`])),
    ExpressionAttributeValues: {
      ':entity': 'AssociationFigures',
      ':code': creditCode,
      ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
    },
  };
};

/** The counters of a figures item. */
export const countersOf = (item: Item): Counters => {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item))
    if (name.startsWith('c.') && typeof value === 'number') counters[name.slice(2)] = value;
  return counters;
};

export const profileOf = (item: Item): AssociationProfile => ({
  creditCode: item.creditCode as string,
  name: item.name as string,
  province: item.province as string,
  ...(typeof item.memberCount === 'number' ? { memberCount: item.memberCount } : {}),
  ...(typeof item.parentCreditCode === 'string' ? { parentCreditCode: item.parentCreditCode } : {}),
  registered: item.registered === true,
});

export class DynamoAssociationFigures implements RepeatOffenceStore, AssociationFiguresReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async describe(profile: AssociationProfile, options: { onlyIfCounted?: boolean } = {}): Promise<void> {
    const { creditCode, name, province, memberCount, parentCreditCode, registered, registryUpdatedAt } =
      profile;
    const optional = { memberCount, parentCreditCode, registryUpdatedAt };
    const kept = Object.entries(optional).filter(([, value]) => value !== undefined);
    const dropped = Object.entries(optional).filter(([, value]) => value === undefined);
    const set = [
      'entity = :entity',
      'creditCode = :code',
      '#name = :name',
      'province = :province',
      'registered = :registered',
      'gsi1pk = :ranking',
      'gsi1sk = :code',
      ...kept.map(([attribute]) => `${attribute} = :${attribute}`),
    ];
    const conditions = [
      ...(options.onlyIfCounted ? ['attribute_exists(pk)'] : []),
      ...(registryUpdatedAt
        ? ['(attribute_not_exists(registryUpdatedAt) OR registryUpdatedAt <= :registryUpdatedAt)']
        : []),
    ];
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: associationFiguresKey(creditCode),
            UpdateExpression: `SET ${set.join(', ')}${dropped.length > 0 ? ` REMOVE ${dropped.map(([attribute]) => attribute).join(', ')}` : ''}`,
            ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: {
              ':entity': 'AssociationFigures',
              ':code': creditCode,
              ':name': name,
              ':province': province,
              ':registered': registered,
              ':ranking': associationRankingPartition(province),
              ...Object.fromEntries(kept.map(([attribute, value]) => [`:${attribute}`, value])),
            },
          }),
        ),
      );
    } catch (error) {
      // No figures yet, or a newer copy kept: nothing to change.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async recordAbolition(abolished: AbolishedFee): Promise<ChargedFee[]> {
    const { closedAt } = abolished;
    // Kept while a case opened within the window may still arrive.
    const expiresAt = Math.floor(Date.parse(windowAfter(closedAt)) / 1000) + chargeTtlSeconds;
    const record = { sk: `ABOLISHED#${closedAt}#${abolished.caseId}`, entity: 'AbolishedFee', expiresAt };
    const found = await this.recordThenFind(abolished, record, [
      `CHARGED#${closedAt}`,
      `CHARGED#${windowAfter(closedAt)}~`,
    ]);
    return found as ChargedFee[];
  }

  async recordCharge(charged: ChargedFee): Promise<AbolishedFee[]> {
    const { openedAt } = charged;
    const expiresAt = Math.floor(this.now().getTime() / 1000) + chargeTtlSeconds;
    const record = { sk: `CHARGED#${openedAt}#${charged.caseId}`, entity: 'ChargedFee', expiresAt };
    const found = await this.recordThenFind(charged, record, [
      `ABOLISHED#${windowBefore(openedAt)}`,
      `ABOLISHED#${openedAt}~`,
    ]);
    return found as AbolishedFee[];
  }

  /**
   * Puts the record (a redelivery puts the same one again), then reads the other side's records
   * between the sort keys `[from, to]`, strongly consistent: one the other side wrote just before
   * must be seen.
   */
  private async recordThenFind(
    fee: AbolishedFee | ChargedFee,
    record: { sk: string; entity: string; expiresAt: number },
    [from, to]: [string, string],
  ): Promise<(AbolishedFee | ChargedFee)[]> {
    const pk = familyFeePartition(fee);
    await callDependency('DynamoDB', () =>
      this.db.send(new PutCommand({ TableName: this.tableName, Item: { pk, ...record, ...fee } })),
    );
    const found = await allItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
      ConsistentRead: true,
    });
    return found.map(feeRecordOf);
  }

  async countRecurrence(recurrence: Recurrence): Promise<'counted' | 'duplicate'> {
    const { charged, kind } = recurrence;
    const { charging, family } = recurrenceCounters;
    // One update per item: the head charging again adds both counters to its own item.
    const total =
      charged.family === charged.creditCode
        ? [figuresUpdate(this.tableName, charged.creditCode, { ...charging, ...family })]
        : [
            figuresUpdate(this.tableName, charged.creditCode, charging),
            figuresUpdate(this.tableName, charged.family, family),
          ];
    const once = await this.countOnce(recurrence, `RECURRENCE#${charged.caseId}`, total);
    const ofKind = await this.countOnce(recurrence, `RECURRENCE#${charged.caseId}#${kind}`, [
      figuresUpdate(this.tableName, charged.creditCode, recurrenceCounters.kind(kind)),
    ]);
    return once === 'counted' || ofKind === 'counted' ? 'counted' : 'duplicate';
  }

  /** Applies `updates` with a marker (`sk`) recording the recurrence, unless the marker exists. */
  private async countOnce(
    { charged, abolished, kind }: Recurrence,
    sk: string,
    updates: ReturnType<typeof figuresUpdate>[],
  ): Promise<'counted' | 'duplicate'> {
    const marker: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: familyFeePartition(charged),
          sk,
          entity: 'Recurrence',
          kind,
          chargedCaseId: charged.caseId,
          chargedBy: charged.creditCode,
          openedAt: charged.openedAt,
          abolishedCaseId: abolished.caseId,
          abolishedBy: abolished.creditCode,
          closedAt: abolished.closedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const outcome = await transact(this.db, [marker, ...updates.map((Update) => ({ Update }))]);
    if (outcome.committed) return 'counted';
    if (outcome.reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw new ConflictError('Figures were busy; the recurrence will be counted on the retry');
  }

  /** The figures of one province's associations, or of every province's (`00` included) when none is given. */
  async ranked(province?: string): Promise<AssociationFigures[]> {
    const provinces = province ? [province] : [NATIONAL_PROVINCE, ...provinceCodes];
    const found = await Promise.all(
      provinces.map((code) =>
        allItems(this.db, {
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': associationRankingPartition(code) },
        }),
      ),
    );
    return found.flat().map((item) => associationFiguresOf(profileOf(item), countersOf(item)));
  }
}

const feeRecordOf = (item: Item): AbolishedFee | ChargedFee => {
  const { pk: _pk, sk: _sk, entity: _entity, expiresAt: _expiresAt, ...record } = item;
  return record as unknown as AbolishedFee | ChargedFee;
};
