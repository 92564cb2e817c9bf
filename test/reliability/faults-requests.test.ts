/**
 * Faults at request level: the handlers invoked as Lambda does, DynamoDB mocked (aws-sdk-client-mock)
 * over a small in-memory table, and each write of intake (the TransactWrite), task completion (the
 * commit) and outcome recording (the case commit and each complaint's update) failing the way DynamoDB
 * fails: throttled, throttled inside a transaction, timed out before or after the write landed,
 * cancelled by a conflicting transaction. A client always hears a clear retryable error (503 with
 * retry-after) or success, a workflow step fails with an error its Retry names, nothing is written
 * by halves, and a retry after any of them converges on exactly one complaint, decision or outcome.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { lambdaContext } from '#infra/local/lambda-context';
import { secondReviewPolicy } from '#infra/system';
import { caseItem, eventItem, taskItem } from '#shared/adapters/dynamodb/items';
import { complaintKey } from '#shared/adapters/dynamodb/keys';
import { genesisHash, unkeyedLinkOf } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import type { StoredTask } from '#shared/ports/cases';
import { classifyFee } from '#shared/rulebook/evaluate';
import { type FaultKind, faultKinds, sdkFault } from '#test/reliability/support/faults';
import { proxyEvent } from '#test/support/proxy-event';

const TABLE = 'campaign-faults-requests';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:fee-case';

// Handlers read their configuration when their module loads, as on a cold start.
Object.assign(process.env, {
  TABLE_NAME: TABLE,
  LOCAL_CONTACT_KEY: randomBytes(32).toString('base64'),
  LOCAL_AUDIT_KEY: randomBytes(32).toString('base64'),
  STATE_MACHINE_ARN,
  AWS_REGION: 'us-east-1',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // The tasks function's own setting, as the system description gives it.
  SECOND_REVIEW_POLICY: JSON.stringify(secondReviewPolicy),
});
const complaints = await import('#functions/api/complaints');
const tasks = await import('#functions/api/tasks');
const caseSteps = await import('#functions/workflow/case-steps');

const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

/** What the state machine retries on RecordOutcome: a step failing with one of these is tried again. */
const definition = JSON.parse(readFileSync('workflows/fee-case.asl.json', 'utf8'));
const retriedByRecordOutcome: string[] = definition.States.RecordOutcome.Retry.flatMap(
  (retrier: { ErrorEquals: string[] }) => retrier.ErrorEquals,
);

// --- a small in-memory table behind the mocked client -------------------------------------------

type Item = Record<string, unknown>;
const table = new Map<string, Item>();
const keyOf = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}|${String(key.sk)}`;
const items = (entity: string) => [...table.values()].filter((item) => item.entity === entity);

/** Faults waiting for the next writes, in order: transactions and single writes have a queue each. */
const pending = { transaction: [] as FaultKind[], single: [] as FaultKind[] };
let injected = 0;

/** The conditions intake writes with, as DynamoDB evaluates them on this small table. */
const holds = (condition: unknown, current: Item | undefined, values: Item = {}) => {
  if (condition === 'attribute_not_exists(pk)') return current === undefined;
  // A receipt: absent, or expired.
  if (condition === 'attribute_not_exists(pk) OR expiresAt <= :now')
    return current === undefined || (current.expiresAt as number) <= (values[':now'] as number);
  if (condition === 'attribute_exists(pk)') return current !== undefined;
  // The fee pointer: absent, or closed.
  if (String(condition).startsWith('attribute_not_exists(pk) OR')) return current?.open !== true;
  return true;
};

const applyTransaction = (input: { TransactItems?: Item[] }) => {
  const entries = input.TransactItems ?? [];
  const reasons = entries.map((entry) => {
    const write = (entry.Put ?? entry.ConditionCheck) as
      | { Item?: Item; Key?: Item; ConditionExpression?: string; ExpressionAttributeValues?: Item }
      | undefined;
    const current = write && table.get(keyOf(write.Item ?? write.Key ?? {}));
    const held = write && holds(write.ConditionExpression, current, write.ExpressionAttributeValues);
    return { Code: write && !held ? 'ConditionalCheckFailed' : 'None' };
  });
  if (reasons.some((reason) => reason.Code !== 'None')) {
    throw new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: reasons,
    });
  }
  for (const entry of entries) {
    const put = entry.Put as { Item: Item } | undefined;
    if (put) table.set(keyOf(put.Item), put.Item);
  }
};

const applyOutcomeUpdate = (input: { Key?: Item; ExpressionAttributeValues?: Item }) => {
  const key = keyOf(input.Key ?? {});
  const values = input.ExpressionAttributeValues ?? {};
  const current = table.get(key);
  if (!current) throw new Error('ConditionalCheckFailed: no such complaint');
  table.set(key, {
    ...current,
    outcome: values[':outcome'],
    verdict: values[':verdict'],
    caseRefundedFen: values[':refunded'],
    caseReducedAnnualFen: values[':reduced'],
    closedAt: values[':closedAt'],
  });
};

/** The reference counter's `ADD`: the number after the last one drawn. */
const drawReferences = (input: { Key?: Item; ExpressionAttributeValues?: Item }) => {
  const key = keyOf(input.Key ?? {});
  const last =
    ((table.get(key)?.last as number | undefined) ?? 0) + Number(input.ExpressionAttributeValues?.[':count']);
  table.set(key, { ...input.Key, entity: 'ReferenceSequence', last });
  return { Attributes: { last } };
};

/** Runs a write unless a fault is due; a fault after the write lets it land first, as a lost answer does. */
const write = (queue: FaultKind[], transactItems: number | undefined, apply: () => void) => {
  const fault = queue.shift();
  if (fault) injected += 1;
  if (fault && fault !== 'timeout-after-write') throw sdkFault(fault, transactItems);
  apply();
  if (fault) throw sdkFault(fault, transactItems);
  return {};
};

/** `write` for an update that answers what it drew. */
const writeDrawing = (queue: FaultKind[], draw: () => { Attributes: Item }) => {
  let drawn: { Attributes: Item } | undefined;
  write(queue, undefined, () => {
    drawn = draw();
  });
  return drawn;
};

beforeEach(() => {
  table.clear();
  pending.transaction = [];
  pending.single = [];
  dynamo.reset();
  sfn.reset();
  dynamo.on(GetCommand).callsFake((input) => ({ Item: table.get(keyOf(input.Key)) }));
  dynamo
    .on(TransactWriteCommand)
    .callsFake((input) =>
      write(pending.transaction, input.TransactItems.length, () => applyTransaction(input)),
    );
  dynamo
    .on(UpdateCommand)
    .callsFake((input) =>
      String(input.UpdateExpression).includes('ADD')
        ? writeDrawing(pending.single, () => drawReferences(input))
        : write(pending.single, undefined, () => applyOutcomeUpdate(input)),
    );
  dynamo.on(QueryCommand).callsFake((input) => ({
    Items: [...table.values()].filter(
      (item) =>
        item.pk === input.ExpressionAttributeValues[':pk'] &&
        String(item.sk).startsWith('EVENT#') &&
        (item.type === 'CASE_OPENED' || item.type === 'COMPLAINT_JOINED'),
    ),
  }));
  dynamo.on(BatchGetCommand).callsFake((input) => ({
    Responses: {
      [TABLE]: (input.RequestItems[TABLE].Keys as Item[]).flatMap((key) => table.get(keyOf(key)) ?? []),
    },
  }));
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:x`, startDate: new Date(0) });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

afterAll(() => {
  console.log(`[faults-requests] faults injected: ${injected}`);
  dynamo.restore();
  sfn.restore();
});

const header = (result: APIGatewayProxyResult, name: string) =>
  Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

const expectRetryable503 = (result: APIGatewayProxyResult) => {
  expect(result.statusCode).toBe(503);
  expect(JSON.parse(result.body).error).toMatchObject({
    code: 'DEPENDENCY_UNAVAILABLE',
    message: expect.stringMatching(/retry/i),
  });
  expect(Number(header(result, 'retry-after'))).toBeGreaterThan(0);
};

/** The first write fails with `kind` and everything after it succeeds. */
const failNextTransaction = (kind: FaultKind) => pending.transaction.push(kind);
const failNextSingleWrite = (kind: FaultKind) => pending.single.push(kind);

// --- intake -------------------------------------------------------------------------------------

const ENTERPRISE = enterpriseCode('11', 4242);
const ASSOCIATION = associationCode('11', 4242);
const enterpriseClaims = {
  sub: 'user-enterprise-4242',
  'cognito:groups': 'enterprise',
  'custom:creditCode': ENTERPRISE,
};

const file = async (idempotencyKey: string, association = ASSOCIATION) =>
  (await complaints.handler(
    proxyEvent({
      method: 'POST',
      resource: '/api/complaints',
      claims: enterpriseClaims,
      body: complaintBody({ associationCode: association }),
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
    lambdaContext('complaints-api', 10),
  )) as APIGatewayProxyResult;

describe('intake: a fault at the one TransactWrite', () => {
  it.each(faultKinds.filter((kind) => kind !== 'conflict'))(
    'answers %s with 503 and retry-after, and the retry with the same Idempotency-Key files it once',
    async (kind) => {
      // A fee of its own: the table starts empty in each test, but the handler remembers the cases it
      // opened a moment ago.
      const association = associationCode('11', 4300 + faultKinds.indexOf(kind));
      failNextTransaction(kind);

      const first = await file('retry-me-1', association);
      const storedAfterFirst = items('Complaint').length;
      const retried = await file('retry-me-1', association);
      const again = await file('retry-me-1', association);

      expectRetryable503(first);
      // A fault before the write leaves nothing; a lost answer after it leaves the whole complaint.
      expect(storedAfterFirst).toBe(kind === 'timeout-after-write' ? 1 : 0);
      expect(retried.statusCode).toBe(202);
      expect(JSON.parse(again.body)).toEqual(JSON.parse(retried.body));
      expect(items('Complaint')).toHaveLength(1);
      expect(items('FeeCase')).toHaveLength(1);
      // The opening event waits for the case journal, which starts the workflow from the stream.
      expect(items('PendingCaseEvent')).toHaveLength(1);
      expect(items('IntakeReceipt')).toHaveLength(1);
      expect(JSON.parse(retried.body).complaintId).toBe(items('Complaint')[0]?.complaintId);
      expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    },
  );

  it.each(faultKinds.filter((kind) => kind !== 'conflict'))(
    'answers %s at the reference counter with 503, and the retry files it once with one reference',
    async (kind) => {
      // A province of its own: the process draws its first block of the series' numbers for this filing.
      const province = ['12', '13', '14', '15', '21', '22'][faultKinds.indexOf(kind)] as string;
      const association = associationCode(province, 4242);
      failNextSingleWrite(kind);

      const first = await file('counter-fault-1', association);
      const retried = await file('counter-fault-1', association);

      expectRetryable503(first);
      expect(retried.statusCode).toBe(202);
      expect(items('Complaint')).toHaveLength(1);
      expect(items('Complaint')[0]?.reference).toBe(JSON.parse(retried.body).reference);
      expect(items('Reference').map((item) => item.reference)).toContain(JSON.parse(retried.body).reference);
    },
  );

  it('retries a transaction cancelled by a conflict itself and answers 202 at once', async () => {
    failNextTransaction('conflict');

    const result = await file('conflicted-1');

    expect(result.statusCode).toBe(202);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(items('Complaint')).toHaveLength(1);
  });
});

// --- task completion ----------------------------------------------------------------------------

const regulatorClaims = {
  sub: 'user-regulator-11',
  'cognito:groups': 'regulator',
  'custom:agency': 'MCA',
  'custom:province': '11',
};

/** A case under review with its complaint, opening event and open review task, as the workflow leaves it. */
const seedCaseUnderReview = (overrides: Partial<FeeCase> = {}) => {
  const body = complaintBody({ associationCode: ASSOCIATION });
  const caseId = `case-${randomBytes(4).toString('hex')}`;
  const complaintId = `complaint-${randomBytes(4).toString('hex')}`;
  const at = '2026-05-01T08:00:00.000Z';
  // Opened before the audit chain was keyed (a plain hash link): what the handlers append is keyed.
  const unlinked = {
    type: 'CASE_OPENED',
    actor: { role: 'enterprise' },
    stage: 'RECEIVED' as const,
    data: { complaintId, amountFen: body.fee.amountFen },
    caseId,
    seq: 1,
    at,
    previousHash: genesisHash,
  };
  const opened = { ...unlinked, hash: unkeyedLinkOf(unlinked) };
  const task: StoredTask = {
    taskId: `${caseId}.review.1`,
    caseId,
    kind: 'REVIEW',
    status: 'OPEN',
    agency: 'MCA',
    province: '11',
    dueAt: '2026-06-01T08:00:00.000Z',
    createdAt: at,
    escalated: false,
    overdue: false,
    taskToken: 'token-review-1',
    version: 1,
  };
  const feeCase: FeeCase = {
    caseId,
    feeKey: `FEEKEY#${ASSOCIATION}#MEMBERSHIP_DUES#dues`,
    association: { ...body.association, province: '11' },
    fee: body.fee as FeeCase['fee'],
    province: '11',
    agency: 'MCA',
    stage: 'UNDER_REVIEW',
    flags: [],
    complaintCount: 1,
    enterpriseCount: 1,
    claimedFen: body.fee.amountFen,
    refundedFen: 0,
    reducedAnnualFen: 0,
    openedAt: at,
    updatedAt: at,
    classification: { suggested: classifyFee({ fee: body.fee as FeeCase['fee'], facts: body.facts }) },
    currentTask: { taskId: task.taskId, kind: 'REVIEW' },
    taskRounds: { REVIEW: 1 },
    version: 3,
    eventSeq: 1,
    lastEventHash: opened.hash,
    ...overrides,
  };
  table.set(keyOf(caseItem(feeCase) as { pk: string; sk: string }), caseItem(feeCase));
  table.set(keyOf(eventItem(opened) as { pk: string; sk: string }), eventItem(opened));
  table.set(keyOf(taskItem(task) as { pk: string; sk: string }), taskItem(task));
  table.set(keyOf(complaintKey(complaintId)), {
    ...complaintKey(complaintId),
    entity: 'Complaint',
    complaintId,
    caseId,
    enterpriseCreditCode: ENTERPRISE,
    fee: body.fee,
    facts: body.facts,
    filedAt: at,
  });
  return { caseId, complaintId, task, feeCase };
};

const complete = async (taskId: string) =>
  (await tasks.handler(
    proxyEvent({
      method: 'POST',
      resource: '/api/tasks/{id}/complete',
      path: `/api/tasks/${taskId}/complete`,
      pathParameters: { id: taskId },
      claims: regulatorClaims,
      body: { verdict: 'UNLAWFUL', ruleIds: ['R01'], reason: 'Forced membership', actions: ['ABOLISH'] },
    }),
    lambdaContext('tasks-api', 10),
  )) as APIGatewayProxyResult;

const decisionsRecorded = () => items('CaseEvent').filter((event) => event.type === 'REVIEW_DECIDED');

describe('task completion: a fault at the commit', () => {
  it.each(faultKinds.filter((kind) => kind !== 'conflict' && kind !== 'timeout-after-write'))(
    'answers %s with 503 and retry-after, writes nothing, and the retry records one decision',
    async (kind) => {
      const { task } = seedCaseUnderReview();
      failNextTransaction(kind);

      const first = await complete(task.taskId);
      const stateAfterFirst = table.get(keyOf(taskItem(task) as { pk: string; sk: string }))?.status;
      const retried = await complete(task.taskId);

      expectRetryable503(first);
      expect(stateAfterFirst).toBe('OPEN');
      expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
      expect(retried.statusCode).toBe(200);
      expect(decisionsRecorded()).toHaveLength(1);
      expect(items('Task')[0]).toMatchObject({ status: 'COMPLETED', assignee: 'user-regulator-11' });
    },
  );

  it('answers a commit whose answer was lost after it landed with the success it was, and calls the workflow back once', async () => {
    const { task } = seedCaseUnderReview();
    failNextTransaction('timeout-after-write');

    const first = await complete(task.taskId);
    const retried = await complete(task.taskId);

    expect(first.statusCode).toBe(200);
    expect(retried.statusCode).toBe(409);
    expect(decisionsRecorded()).toHaveLength(1);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('retries a commit cancelled by a conflict itself and answers 200 at once', async () => {
    const { task } = seedCaseUnderReview();
    failNextTransaction('conflict');

    const result = await complete(task.taskId);

    expect(result.statusCode).toBe(200);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(decisionsRecorded()).toHaveLength(1);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });
});

// --- outcome recording --------------------------------------------------------------------------

const recordOutcome = (caseId: string) =>
  caseSteps.handler({ step: 'recordOutcome', caseId }, lambdaContext('case-steps', 30)) as Promise<{
    outcome?: string;
  }>;

/** A verified case, ready to close as ABOLISHED. */
const seedVerifiedCase = () =>
  seedCaseUnderReview({
    stage: 'VERIFYING',
    verdict: 'UNLAWFUL',
    decidedAt: '2026-05-02T08:00:00.000Z',
    classification: {
      suggested: classifyFee({
        fee: complaintBody({ associationCode: ASSOCIATION }).fee as FeeCase['fee'],
        facts: { forcedMembership: true },
      }),
      final: {
        verdict: 'UNLAWFUL',
        ruleIds: ['R01'],
        reason: 'Forced membership',
        actions: ['ABOLISH', 'REFUND'],
        decidedAt: '2026-05-02T08:00:00.000Z',
      },
    },
    rectification: {
      abolished: true,
      refundedFen: 500_000,
      reducedAnnualFen: 0,
      evidence: [{ kind: 'REFUND_RECEIPT', reference: 'r-1' }],
      reportedAt: '2026-05-03T08:00:00.000Z',
      accepted: true,
    },
  });

/** The error a step fails with, as the state machine matches it (by name). */
const failureOf = async (step: Promise<unknown>) => {
  const error = await step.then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  return error?.name;
};

describe('outcome recording: a fault at the case commit or a complaint update', () => {
  it.each(faultKinds)('closes the case exactly once through a %s at the case commit', async (kind) => {
    const { caseId, complaintId } = seedVerifiedCase();
    failNextTransaction(kind);

    const failedWith = kind === 'conflict' ? undefined : await failureOf(recordOutcome(caseId));
    const result = await recordOutcome(caseId);
    const again = await recordOutcome(caseId);

    if (failedWith !== undefined) expect(retriedByRecordOutcome).toContain(failedWith);
    expect(result.outcome).toBe('ABOLISHED');
    expect(again.outcome).toBe('ABOLISHED');
    expect(items('CaseEvent').filter((event) => event.type === 'CASE_CLOSED')).toHaveLength(1);
    expect(items('FeeCase')[0]).toMatchObject({
      stage: 'CLOSED',
      outcome: 'ABOLISHED',
      refundedFen: 500_000,
    });
    expect(table.get(keyOf(complaintKey(complaintId)))).toMatchObject({
      outcome: 'ABOLISHED',
      caseRefundedFen: 500_000,
    });
  });

  it.each(faultKinds)('writes the outcome onto the complaint through a %s at its update', async (kind) => {
    const { caseId, complaintId } = seedVerifiedCase();
    failNextSingleWrite(kind);

    const failedWith = await failureOf(recordOutcome(caseId));
    const result = await recordOutcome(caseId);

    expect(retriedByRecordOutcome).toContain(failedWith);
    expect(result.outcome).toBe('ABOLISHED');
    expect(items('CaseEvent').filter((event) => event.type === 'CASE_CLOSED')).toHaveLength(1);
    expect(table.get(keyOf(complaintKey(complaintId)))).toMatchObject({ outcome: 'ABOLISHED' });
  });
});
