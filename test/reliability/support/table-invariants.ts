/**
 * What "never half-written" means for the single table, checked over every item in it: each
 * complaint has its case, its audit event and its receipt; each case's totals are the sum of its
 * complaints (a repeat filing names its enterprise's counted complaint and adds nothing) and its audit
 * chain is whole; each task was opened by an event and, when completed, has exactly one recorded
 * decision; each closed case has one closing event and its outcome on every complaint.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { eventFromItem } from '#shared/adapters/dynamodb/items';
import { type AuditSeal, type CaseEvent, verifyChain } from '#shared/domain/case-event';
import { enterpriseIdOf } from '#shared/domain/ownership';
import { testAuditSeal } from '#test/support/table';

export interface TableRef {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** The key the audit chains were linked with; by default this process's (its in-process runtime's). */
  auditSeal?: AuditSeal;
}

type Item = Record<string, unknown> & { pk: string; sk: string; entity?: string };

export const scanTable = async (table: TableRef): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({ TableName: table.tableName, ExclusiveStartKey, ConsistentRead: true }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/** The events that record a complaint's arrival: opening a case, joining it, or adding to one's earlier complaint. */
/** The enterprise account a stored complaint belongs to. */
const accountOf = (complaint: Item) =>
  enterpriseIdOf(complaint as Item & { enterpriseId?: string; enterpriseCreditCode: string });

const intakeEvents = new Set(['CASE_OPENED', 'COMPLAINT_JOINED', 'INFORMATION_ADDED']);

/** The events that open a task: the workflow's, a transfer's (in the receiving office), a request for more time's, a reopened verification's. */
const openingEvents = new Set([
  'TASK_OPENED',
  'CASE_TRANSFERRED',
  'EXTENSION_REQUESTED',
  'VERIFICATION_REOPENED',
]);

/** The event that records a completion of each task kind. */
const decisionEvents = new Set([
  'REVIEW_DECIDED',
  'REVIEW_PROPOSED',
  'SECOND_REVIEW_DECIDED',
  'RECTIFICATION_REPORTED',
  'RECTIFICATION_ACCEPTED',
  'RECTIFICATION_REJECTED',
  'INFO_PROVIDED',
  'EXTENSION_DECIDED',
]);

/** A request for more time nobody decided is closed by the report that makes it moot. */
const lapses = (event: CaseEvent, taskId: string) =>
  event.type === 'RECTIFICATION_REPORTED' &&
  (event.data as { extensionLapsed?: string } | undefined)?.extensionLapsed === taskId;

export interface TableCensus {
  complaints: number;
  cases: number;
  closedCases: number;
  tasks: number;
  completedTasks: number;
  events: number;
  receipts: number;
}

export interface InvariantReport {
  census: TableCensus;
  /** Every broken invariant, one line each; empty when the table is whole. */
  violations: string[];
}

export const checkTableInvariants = async (
  table: TableRef,
  options: { caseIds?: ReadonlySet<string> } = {},
): Promise<InvariantReport> => {
  const items = await scanTable(table);
  const byEntity = (entity: string) => items.filter((item) => item.entity === entity);
  const inScope = (caseId: unknown) => !options.caseIds || options.caseIds.has(caseId as string);
  const complaints = byEntity('Complaint').filter((item) => inScope(item.caseId));
  const cases = byEntity('FeeCase').filter((item) => inScope(item.caseId));
  const tasks = byEntity('Task').filter((item) => inScope(item.caseId));
  const events = byEntity('CaseEvent').filter((item) => inScope(item.caseId)) as unknown as (CaseEvent &
    Item)[];
  const receipts = byEntity('IntakeReceipt').filter((item) =>
    inScope((item.receipt as { caseId?: string } | undefined)?.caseId),
  );
  const markers = byEntity('CaseEnterprise');
  const violations: string[] = [];

  const casesById = new Map(cases.map((item) => [item.caseId as string, item]));
  const complaintsById = new Map<string, Item[]>();
  for (const complaint of complaints) {
    const list = complaintsById.get(complaint.complaintId as string) ?? [];
    list.push(complaint);
    complaintsById.set(complaint.complaintId as string, list);
  }
  const eventsByCase = new Map<string, (CaseEvent & Item)[]>();
  for (const event of events) {
    const list = eventsByCase.get(event.caseId) ?? [];
    list.push(event);
    eventsByCase.set(event.caseId, list);
  }
  const tasksById = new Map(tasks.map((item) => [item.taskId as string, item]));

  // Complaints: exactly once, with their case, their event and their receipt.
  for (const [complaintId, copies] of complaintsById) {
    if (copies.length > 1) violations.push(`complaint ${complaintId} stored ${copies.length} times`);
    const complaint = copies[0] as Item;
    const caseId = complaint.caseId as string;
    if (!casesById.has(caseId)) violations.push(`complaint ${complaintId} has no case ${caseId}`);
    const intake = (eventsByCase.get(caseId) ?? []).filter(
      (event) =>
        intakeEvents.has(event.type) &&
        (event.data as { complaintId?: string } | undefined)?.complaintId === complaintId,
    );
    if (intake.length !== 1)
      violations.push(`complaint ${complaintId} has ${intake.length} intake events (expected 1)`);
    const receiptsOf = receipts.filter(
      (receipt) => (receipt.receipt as { complaintId?: string }).complaintId === complaintId,
    );
    if (receiptsOf.length !== 1)
      violations.push(`complaint ${complaintId} has ${receiptsOf.length} receipts (expected 1)`);
    if (
      !markers.some(
        (marker) => marker.pk === `CASE#${caseId}` && marker.sk === `ENTERPRISE#${accountOf(complaint)}`,
      )
    )
      violations.push(`complaint ${complaintId}: no enterprise marker on case ${caseId}`);
  }
  for (const receipt of receipts) {
    const complaintId = (receipt.receipt as { complaintId: string }).complaintId;
    if (!complaintsById.has(complaintId)) violations.push(`receipt for a missing complaint ${complaintId}`);
  }

  // References: one complaint or case each, across both, and each names what carries it.
  const referenceOwners = new Map<string, string[]>();
  for (const item of [...complaints, ...cases]) {
    if (typeof item.reference !== 'string') continue;
    const owner = (item.complaintId ?? item.caseId) as string;
    referenceOwners.set(item.reference, [...(referenceOwners.get(item.reference) ?? []), owner]);
  }
  const referenceItems = new Map(byEntity('Reference').map((item) => [item.reference as string, item]));
  for (const [reference, owners] of referenceOwners) {
    if (owners.length > 1) violations.push(`reference ${reference} given to ${owners.join(', ')}`);
    const named = referenceItems.get(reference);
    if (!named || !owners.includes((named.complaintId ?? named.caseId) as string))
      violations.push(`reference ${reference} does not name ${owners[0]}`);
  }

  // Cases: totals equal their complaints; the audit chain is whole and ends where the case says.
  for (const [caseId, feeCase] of casesById) {
    const own = complaints.filter((complaint) => complaint.caseId === caseId);
    const counted = own.filter((complaint) => !complaint.repeatOf);
    for (const repeat of own.filter((complaint) => complaint.repeatOf)) {
      const earlierId = (repeat.repeatOf as { complaintId: string }).complaintId;
      if (
        !counted.some(
          (earlier) => earlier.complaintId === earlierId && accountOf(earlier) === accountOf(repeat),
        )
      )
        violations.push(
          `complaint ${repeat.complaintId}: repeat of ${earlierId}, not its enterprise's counted complaint`,
        );
    }
    // An enterprise counts once per account (docs/data-model.md, "Ownership").
    const enterprises = new Set(own.map(accountOf));
    const claimed = counted.reduce(
      (sum, complaint) => sum + (complaint.fee as { amountFen: number }).amountFen,
      0,
    );
    if (feeCase.complaintCount !== counted.length)
      violations.push(
        `case ${caseId}: complaintCount ${feeCase.complaintCount}, complaints ${counted.length}`,
      );
    if (feeCase.enterpriseCount !== enterprises.size)
      violations.push(
        `case ${caseId}: enterpriseCount ${feeCase.enterpriseCount}, enterprises ${enterprises.size}`,
      );
    if (feeCase.claimedFen !== claimed)
      violations.push(`case ${caseId}: claimedFen ${feeCase.claimedFen}, complaints claim ${claimed}`);
    const chain = eventsByCase.get(caseId) ?? [];
    const verdict = await verifyChain(chain.map(eventFromItem), table.auditSeal ?? testAuditSeal(), {
      lastLink: feeCase.lastEventHash as string,
    });
    if (!verdict.intact)
      violations.push(`case ${caseId}: audit chain broken at ${verdict.brokenAtSeq} (${verdict.reason})`);
    if (chain.length !== feeCase.eventSeq)
      violations.push(`case ${caseId}: ${chain.length} events, eventSeq ${feeCase.eventSeq}`);
    const closings = chain.filter((event) => event.type === 'CASE_CLOSED').length;
    if (feeCase.stage === 'CLOSED') {
      if (closings !== 1) violations.push(`case ${caseId}: closed with ${closings} closing events`);
      if (!feeCase.outcome) violations.push(`case ${caseId}: closed without an outcome`);
    } else if (closings > 0) violations.push(`case ${caseId}: closing event on an open case`);
  }
  for (const caseId of eventsByCase.keys())
    if (!casesById.has(caseId)) violations.push(`events of a missing case ${caseId}`);

  // Tasks: opened by an event; completed ones with exactly one decision, open ones with none.
  for (const [taskId, task] of tasksById) {
    const chain = eventsByCase.get(task.caseId as string) ?? [];
    const about = (event: CaseEvent) => (event.data as { taskId?: string } | undefined)?.taskId === taskId;
    const opened = chain.filter((event) => openingEvents.has(event.type) && about(event)).length;
    const decided = chain.filter(
      (event) => (decisionEvents.has(event.type) && about(event)) || lapses(event, taskId),
    ).length;
    if (!casesById.has(task.caseId as string)) violations.push(`task ${taskId} has no case`);
    if (opened !== 1) violations.push(`task ${taskId}: ${opened} opening events`);
    if (task.status === 'COMPLETED' && decided !== 1)
      violations.push(`task ${taskId}: completed with ${decided} decision events`);
    if (task.status === 'OPEN' && decided !== 0) violations.push(`task ${taskId}: open with a decision`);
  }
  for (const event of events) {
    const taskId = (event.data as { taskId?: string } | undefined)?.taskId;
    if (decisionEvents.has(event.type) && (!taskId || tasksById.get(taskId)?.status !== 'COMPLETED'))
      violations.push(`decision ${event.type} of case ${event.caseId} without a completed task`);
  }

  return {
    census: {
      complaints: complaints.length,
      cases: cases.length,
      closedCases: cases.filter((item) => item.stage === 'CLOSED').length,
      tasks: tasks.length,
      completedTasks: tasks.filter((item) => item.status === 'COMPLETED').length,
      events: events.length,
      receipts: receipts.length,
    },
    violations,
  };
};

/** Closed cases whose outcome is missing (or different) on one of their complaints. */
export const complaintsWithoutOutcome = async (table: TableRef): Promise<string[]> => {
  const items = await scanTable(table);
  const closed = new Map(
    items
      .filter((item) => item.entity === 'FeeCase' && item.stage === 'CLOSED')
      .map((item) => [item.caseId as string, item.outcome]),
  );
  return items
    .filter((item) => item.entity === 'Complaint' && closed.has(item.caseId as string))
    .filter((item) => item.outcome !== closed.get(item.caseId as string))
    .map((item) => `complaint ${item.complaintId as string} of closed case ${item.caseId as string}`);
};
