/** Mapping between domain values and table items; the only place that knows item attribute names. */

import { registryEntryFromItem } from '#shared/adapters/dynamodb/association-registry';
import { caseEventKey, caseKey, complaintKey, taskKey } from '#shared/adapters/dynamodb/keys';
import type { CaseEvent } from '#shared/domain/case-event';
import type { ComplaintOutcome } from '#shared/domain/closing-figures';
import type { FeeCase } from '#shared/domain/fee-case';
import { enterpriseIdOf } from '#shared/domain/ownership';
import type { CountedItem } from '#shared/metrics/aggregate';
import { searchPosition, UNCLASSIFIED } from '#shared/ports/case-search';
import type { StoredTask } from '#shared/ports/cases';
import type { ComplaintRecord } from '#shared/ports/complaints';

type Item = Record<string, unknown>;

const withoutKeys = (item: Item): Item => {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    gsi3pk: _e,
    gsi3sk: _f,
    gsi4pk: _g,
    gsi4sk: _h,
    ...rest
  } = item;
  return rest;
};

/** Cases of one association, for its rectification orders and the regulator's "related cases". */
export const associationPartition = (association: FeeCase['association']) =>
  associationCasesPartition(association.creditCode ?? `${association.province}:${association.name}`);
/** The same partition, named by the association's credit code (or `<province>:<name>` without one). */
export const associationCasesPartition = (association: string) => `ASSOCIATION#${association}`;

/** Closed cases, by closing time, for the open-data export. */
export const closedCasesPartition = 'CLOSED_CASES';

/** Cases of one agency (or the unclassified ones) in one province, newest first, for case search. */
export const officeCasesPartition = (agency: string, province: string) => `CASES#${agency}#${province}`;
/** Cases of one agency (or the unclassified ones) in every province, for national searches. */
export const agencyCasesPartition = (agency: string) => `CASES#${agency}`;

export const caseItem = (feeCase: FeeCase): Item => {
  const position = searchPosition(feeCase);
  const agency = feeCase.agency ?? UNCLASSIFIED;
  return {
    ...caseKey(feeCase.caseId),
    entity: 'FeeCase',
    ...feeCase,
    // Search keys move with the case: classification or a transfer rewrites them with the item.
    gsi2pk: officeCasesPartition(agency, feeCase.province),
    gsi2sk: position,
    gsi3pk: associationPartition(feeCase.association),
    gsi3sk: position,
    gsi4pk: agencyCasesPartition(agency),
    gsi4sk: position,
    ...(feeCase.stage === 'CLOSED' && feeCase.closedAt
      ? { gsi1pk: closedCasesPartition, gsi1sk: `${feeCase.closedAt}#${feeCase.caseId}` }
      : {}),
  };
};

/** The put of a case's next state, on condition nobody moved it since `expectedVersion`. */
export const versionedCasePut = (TableName: string, feeCase: FeeCase, expectedVersion: number) => ({
  Put: {
    TableName,
    Item: caseItem(feeCase),
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':expected': expectedVersion },
  },
});

export const feeCaseFromItem = (item: Item): FeeCase => withoutKeys(item) as unknown as FeeCase;

export const eventItem = (event: CaseEvent): Item => ({
  ...caseEventKey(event.caseId, event.at, event.seq),
  entity: 'CaseEvent',
  ...event,
});

export const eventFromItem = (item: Item): CaseEvent => withoutKeys(item) as unknown as CaseEvent;

export const complaintFromItem = (item: Item): ComplaintRecord & { version: number } => {
  const complaint = withoutKeys(item) as unknown as ComplaintRecord & { version: number };
  return { ...complaint, enterpriseId: enterpriseIdOf(complaint) };
};

/** The write of a case's closing onto one of its complaints, alone or in a transaction. */
export const complaintOutcomeUpdate = (
  TableName: string,
  complaintId: string,
  outcome: ComplaintOutcome,
) => ({
  TableName,
  Key: complaintKey(complaintId),
  UpdateExpression:
    'SET outcome = :outcome, verdict = :verdict, caseRefundedFen = :refunded, caseReducedAnnualFen = :reduced, closedAt = :closedAt',
  ConditionExpression: 'attribute_exists(pk)',
  ExpressionAttributeValues: {
    ':outcome': outcome.outcome,
    ':verdict': outcome.verdict,
    ':refunded': outcome.caseRefundedFen,
    ':reduced': outcome.caseReducedAnnualFen,
    ':closedAt': outcome.closedAt,
  },
});

/** Inbox of a regulator's agency and province, by due date. */
export const inboxPartition = (agency: string, province: string, status: string) =>
  `INBOX#${agency}#${province}#${status}`;
export const associationTasksPartition = (creditCode: string, status: string) =>
  `ASSOCIATION_TASKS#${creditCode}#${status}`;
/** INFO tasks of one enterprise account (`enterpriseId`), by due date. */
export const enterpriseTasksPartition = (enterpriseId: string, status: string) =>
  `ENTERPRISE_TASKS#${enterpriseId}#${status}`;
/**
 * Every task of a status, for the campaign admin. One partition: tasks change a few times a case, far
 * below what a partition takes.
 */
export const allTasksPartition = (status: string) => `TASKS#${status}`;

export const taskItem = (task: StoredTask): Item => {
  const dueOrder = `${task.dueAt}#${task.taskId}`;
  return {
    ...taskKey(task.taskId),
    entity: 'Task',
    ...task,
    gsi2pk: inboxPartition(task.agency, task.province, task.status),
    gsi2sk: dueOrder,
    gsi4pk: allTasksPartition(task.status),
    gsi4sk: dueOrder,
    ...(task.enterpriseId
      ? { gsi1pk: enterpriseTasksPartition(task.enterpriseId, task.status), gsi1sk: dueOrder }
      : {}),
    ...(task.associationCreditCode
      ? { gsi3pk: associationTasksPartition(task.associationCreditCode, task.status), gsi3sk: dueOrder }
      : {}),
  };
};

export const taskFromItem = (item: Item): StoredTask => {
  const task = withoutKeys(item) as unknown as StoredTask;
  const { enterpriseCreditCode } = task;
  return enterpriseCreditCode === undefined
    ? task
    : { ...task, enterpriseId: enterpriseIdOf({ ...task, enterpriseCreditCode }) };
};

/**
 * The items whose changes move counters (and register entries, which the figures copy); a stream
 * filter can drop every other record early.
 */
export const countedEntities = ['FeeCase', 'Task', 'RegisteredAssociation'] as const;

/** A case, a task or a register entry from a stream image; nothing for any other item. */
export const countedItemOf = (image: Item | undefined): CountedItem | undefined => {
  switch (image?.entity) {
    case 'FeeCase':
      return { kind: 'case', feeCase: feeCaseFromItem(image) };
    case 'Task':
      return { kind: 'task', task: taskFromItem(image) };
    case 'RegisteredAssociation':
      return { kind: 'association', association: registryEntryFromItem(image) };
    default:
      return undefined;
  }
};

/** The entity of the notification items the notifier writes (`notification-store.ts`). */
export const notificationEntity = 'Notification';
