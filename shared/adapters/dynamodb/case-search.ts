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
import { caseKey } from '#shared/adapters/dynamodb/keys';
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

/** Where a search reads: keyed partitions of an index, or the one case a reference named. */
type Source = { index: 'gsi2' | 'gsi3' | 'gsi4'; partition: string } | { caseId: string };

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
  if (criteria.associationCreditCode !== undefined || criteria.caseId !== undefined) {
    conditions.push(`(${criteria.scopes.map((scope) => scopeCondition(scope, expression)).join(' OR ')})`);
  }
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

const sourcesOf = (criteria: CaseSearchCriteria): Source[] => {
  if (criteria.caseId !== undefined) return [{ caseId: criteria.caseId }];
  if (criteria.associationCreditCode !== undefined) {
    return [{ index: 'gsi3', partition: associationCasesPartition(criteria.associationCreditCode) }];
  }
  return criteria.scopes.map((scope) =>
    scope.province === undefined
      ? { index: 'gsi4', partition: agencyCasesPartition(scope.agency) }
      : { index: 'gsi2', partition: officeCasesPartition(scope.agency, scope.province) },
  );
};

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
      sourcesOf(criteria).map((source) => this.read(source, criteria, limit, after)),
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

  /**
   * One query of one source: its matches, and the position it read down to unless it ended. The one
   * case a reference named is read by its key; its position (in `gsi3sk`, as on every case item)
   * then filters rather than bounds the read, and nothing follows it.
   */
  private async read(source: Source, criteria: CaseSearchCriteria, limit: number, after?: string) {
    const expression = new Expression();
    const range = rangeOf(criteria, after, expression);
    const sortKey = 'caseId' in source ? 'gsi3sk' : `${source.index}sk`;
    if (range) expression.names['#sort'] = sortKey;
    const filter = filterOf(criteria, expression);
    // Only what a listing or a ledger row shows: a decided case's item is mostly its classification.
    const projection = foundCaseFields.map((field) => expression.name(field)).join(', ');
    const [keyConditions, filters] =
      'caseId' in source
        ? [
            Object.entries(caseKey(source.caseId)).map(
              ([key, value]) => `${expression.name(key)} = ${expression.value(value)}`,
            ),
            [range, ...filter],
          ]
        : [
            [`${expression.name(`${source.index}pk`)} = ${expression.value(source.partition)}`, range],
            filter,
          ];
    const conditions = filters.filter((condition): condition is string => condition !== undefined);
    const page = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...('caseId' in source ? {} : { IndexName: source.index, Limit: limit }),
          KeyConditionExpression: keyConditions.filter(Boolean).join(' AND '),
          ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
          ExpressionAttributeNames: expression.names,
          ExpressionAttributeValues: expression.values,
          ProjectionExpression: projection,
          ScanIndexForward: false,
        }),
      ),
    );
    const last = 'caseId' in source ? undefined : page.LastEvaluatedKey;
    return {
      cases: (page.Items ?? []) as FoundCase[],
      reached: last ? String(last[sortKey]) : undefined,
    };
  }
}
