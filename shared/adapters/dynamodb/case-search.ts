/**
 * Case search over the single table: each scope is one keyed partition sorted newest first
 * (`gsi2` per office, `gsi4` per agency nationally, `gsi3` per association); the partitions are read
 * side by side and merged. Filters the keys do not cover are FilterExpressions, so a page reads a
 * bounded number of items whatever the table holds (docs/data-model.md, "Case search").
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import {
  agencyCasesPartition,
  associationCasesPartition,
  officeCasesPartition,
} from '#shared/adapters/dynamodb/items';
import {
  type CaseScope,
  type CaseSearch,
  type CaseSearchCriteria,
  type CaseSearchPage,
  type FoundCase,
  foundCaseFields,
  searchPosition,
  UNCLASSIFIED,
} from '#shared/ports/case-search';

interface Partition {
  index: 'gsi2' | 'gsi3' | 'gsi4';
  value: string;
}

/** Builds an expression's placeholders as conditions are added. */
class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private count = 0;

  value(value: unknown): string {
    const placeholder = `:v${this.count++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  name(...path: string[]): string {
    return path
      .map((segment) => {
        this.names[`#${segment}`] = segment;
        return `#${segment}`;
      })
      .join('.');
  }
}

const scopeCondition = (scope: CaseScope, expression: Expression): string => {
  const agency =
    scope.agency === UNCLASSIFIED
      ? `attribute_not_exists(${expression.name('agency')})`
      : `${expression.name('agency')} = ${expression.value(scope.agency)}`;
  return scope.province === undefined
    ? agency
    : `(${agency} AND ${expression.name('province')} = ${expression.value(scope.province)})`;
};

/** What the partitions' keys do not already decide. */
const filterOf = (criteria: CaseSearchCriteria, expression: Expression): string[] => {
  const equal = (value: unknown, ...path: string[]) =>
    `${expression.name(...path)} = ${expression.value(value)}`;
  const conditions: string[] = [];
  if (criteria.associationCreditCode !== undefined) {
    conditions.push(`(${criteria.scopes.map((scope) => scopeCondition(scope, expression)).join(' OR ')})`);
  }
  if (criteria.reference !== undefined) conditions.push(equal(criteria.reference, 'reference'));
  if (criteria.associationName !== undefined) {
    conditions.push(
      `contains(${expression.name('association', 'name')}, ${expression.value(criteria.associationName)})`,
    );
  }
  if (criteria.feeName !== undefined) {
    conditions.push(`contains(${expression.name('fee', 'name')}, ${expression.value(criteria.feeName)})`);
  }
  if (criteria.stage !== undefined) conditions.push(equal(criteria.stage, 'stage'));
  if (criteria.verdict !== undefined) conditions.push(equal(criteria.verdict, 'verdict'));
  if (criteria.outcome !== undefined) conditions.push(equal(criteria.outcome, 'outcome'));
  if (criteria.category !== undefined) conditions.push(equal(criteria.category, 'fee', 'category'));
  if (criteria.overdue !== undefined) {
    const flagged = `contains(${expression.name('flags')}, ${expression.value('overdue')})`;
    conditions.push(criteria.overdue ? flagged : `NOT ${flagged}`);
  }
  return conditions;
};

const partitionsOf = (criteria: CaseSearchCriteria): Partition[] =>
  criteria.associationCreditCode !== undefined
    ? [{ index: 'gsi3', value: associationCasesPartition(criteria.associationCreditCode) }]
    : criteria.scopes.map((scope) =>
        scope.province === undefined
          ? { index: 'gsi4', value: agencyCasesPartition(scope.agency) }
          : { index: 'gsi2', value: officeCasesPartition(scope.agency, scope.province) },
      );

/** Sort-key condition: opened in [from, before), and before the previous page's last position. */
const rangeOf = (criteria: CaseSearchCriteria, after: string | undefined, expression: Expression) => {
  const upper = [after, criteria.openedBefore]
    .filter((bound): bound is string => bound !== undefined)
    .sort()[0];
  const sortKey = '#sort';
  if (criteria.openedFrom !== undefined && upper !== undefined) {
    // BETWEEN includes its upper end; the one item that can sit on it (the previous page's last) is dropped later.
    return `${sortKey} BETWEEN ${expression.value(criteria.openedFrom)} AND ${expression.value(upper)}`;
  }
  if (criteria.openedFrom !== undefined) return `${sortKey} >= ${expression.value(criteria.openedFrom)}`;
  if (upper !== undefined) return `${sortKey} < ${expression.value(upper)}`;
  return undefined;
};

export class DynamoCaseSearch implements CaseSearch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One query per partition, each evaluating at most `limit` items newest first; the partitions'
   * matches are merged. Everything at or after the deepest position some unfinished partition reached
   * has been evaluated everywhere, so the page is the matches up to there (at most `limit`), and the
   * next page starts where it ends. A filter that passes over most items leaves a page short, even
   * empty, with a cursor: the reads per page stay the same whatever the table holds.
   */
  async searchCases(criteria: CaseSearchCriteria, limit: number, after?: string): Promise<CaseSearchPage> {
    const reads = await Promise.all(
      partitionsOf(criteria).map((partition) => this.read(partition, criteria, limit, after)),
    );
    const reached = reads.flatMap((read) => (read.reached === undefined ? [] : [read.reached]));
    const edge = reached.length === 0 ? undefined : reached.sort().at(-1);
    const positions = new Map<string, FoundCase>();
    for (const feeCase of reads.flatMap((read) => read.cases)) {
      const position = searchPosition(feeCase);
      if ((after === undefined || position < after) && (edge === undefined || position >= edge))
        positions.set(position, feeCase);
    }
    const ordered = [...positions.keys()].sort().reverse();
    const page = ordered.slice(0, limit);
    const next = ordered.length > limit ? page.at(-1) : edge;
    return {
      cases: page.map((position) => positions.get(position) as FoundCase),
      ...(next !== undefined ? { next } : {}),
    };
  }

  /** One query of one partition: its matches, and the position it read down to unless it ended. */
  private async read(partition: Partition, criteria: CaseSearchCriteria, limit: number, after?: string) {
    const expression = new Expression();
    const range = rangeOf(criteria, after, expression);
    if (range) expression.names['#sort'] = `${partition.index}sk`;
    const filter = filterOf(criteria, expression);
    // Only what a listing or a ledger row shows: a decided case's item is mostly its classification.
    const projection = foundCaseFields.map((field) => expression.name(field)).join(', ');
    const page = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: partition.index,
          KeyConditionExpression: [`#partition = ${expression.value(partition.value)}`, range]
            .filter(Boolean)
            .join(' AND '),
          ...(filter.length > 0 ? { FilterExpression: filter.join(' AND ') } : {}),
          ExpressionAttributeNames: { ...expression.names, '#partition': `${partition.index}pk` },
          ExpressionAttributeValues: expression.values,
          ProjectionExpression: projection,
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    const last = page.LastEvaluatedKey;
    return {
      cases: (page.Items ?? []) as FoundCase[],
      reached: last ? String(last[`${partition.index}sk`]) : undefined,
    };
  }
}
