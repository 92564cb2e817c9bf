/**
 * The complaints Lambda handler invoked directly with API Gateway proxy events, its AWS clients mocked:
 * how it answers when DynamoDB or Step Functions misbehave, and how it checks the caller.
 */
import { randomBytes } from 'node:crypto';
import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { lambdaContext } from '#infra/local/lambda-context';
import { proxyEvent } from '#test/support/proxy-event';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:fee-case';

// The handler reads its configuration when its module loads, as on a cold start.
Object.assign(process.env, {
  TABLE_NAME: 'campaign-unit',
  LOCAL_CONTACT_KEY: randomBytes(32).toString('base64'),
  LOCAL_AUDIT_KEY: randomBytes(32).toString('base64'),
  STATE_MACHINE_ARN,
  AWS_REGION: 'us-east-1',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});
const { handler } = await import('#functions/api/complaints');

const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const ENTERPRISE = enterpriseCode('11', 1);
const ASSOCIATION = associationCode('11', 1);

type Claims = Record<string, string>;

const enterpriseClaims = (groups = 'enterprise'): Claims => ({
  sub: 'user-enterprise-1',
  'cognito:groups': groups,
  'custom:creditCode': ENTERPRISE,
});

const associationClaims: Claims = {
  sub: 'user-association-1',
  'cognito:groups': 'association',
  'custom:creditCode': ASSOCIATION,
};

const invoke = async (event: APIGatewayProxyEvent) => {
  const result = (await handler(event, lambdaContext('complaints-api', 10))) as APIGatewayProxyResult;
  return { ...result, json: JSON.parse(result.body) };
};

// Each filing is about a fee of its own: the handler remembers the cases it opened a moment ago.
let filings = 0;
const fileComplaint = (options: { claims?: Claims; headers?: Record<string, string> } = {}) =>
  invoke(
    proxyEvent({
      method: 'POST',
      resource: '/api/complaints',
      claims: options.claims ?? enterpriseClaims(),
      body: complaintBody({ associationCode: ASSOCIATION, feeName: `Annual membership dues ${++filings}` }),
      ...(options.headers ? { headers: options.headers } : {}),
    }),
  );

/** Every write the handler sent outside a transaction. */
const looseWrites = () => [
  ...dynamo.commandCalls(PutCommand),
  ...dynamo.commandCalls(UpdateCommand),
  ...dynamo.commandCalls(DeleteCommand),
  ...dynamo.commandCalls(BatchWriteCommand),
];

const header = (result: APIGatewayProxyResult, name: string) =>
  Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  // By default: no receipt, no case for the fee yet, no calendar year stored, and every write succeeds.
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(TransactWriteCommand).resolves({});
  // A block of twenty reference numbers, 6 to 25.
  dynamo.on(UpdateCommand).resolves({ Attributes: { last: 25 } });
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: `${STATE_MACHINE_ARN}:execution`, startDate: new Date(0) });
});

describe('complaints handler: POST /api/complaints', () => {
  it.each([
    ['a plain group name', 'enterprise'],
    ['the flattened list form', '[enterprise]'],
  ])(
    'accepts an enterprise whose cognito:groups claim is %s, with 202 and a receipt',
    async (_form, groups) => {
      // Act
      const result = await fileComplaint({ claims: enterpriseClaims(groups) });

      // Assert
      expect(result.statusCode).toBe(202);
      expect(result.json).toEqual({
        complaintId: expect.any(String),
        reference: expect.stringMatching(/^\d{4}-11-0000(0[6-9]|1[0-9]|2[0-5])$/),
        caseId: expect.any(String),
        status: 'RECEIVED',
        joinedExistingCase: false,
        handlingOffice: { agency: 'MCA', province: '11', name: '北京市民政局' },
        decisionDueAt: expect.any(String),
      });
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
      // The case journal starts the new case's workflow from the stream.
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    },
  );

  it.each([
    [
      'ProvisionedThroughputExceededException',
      () =>
        new ProvisionedThroughputExceededException({
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        }),
    ],
    [
      'a TransactionCanceledException for ThrottlingError',
      () =>
        new TransactionCanceledException({
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ThrottlingError]',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [
            { Code: 'None' },
            {
              Code: 'ThrottlingError',
              Message: 'Throughput exceeds the current capacity for one or more global secondary indexes',
            },
            { Code: 'None' },
            { Code: 'None' },
            { Code: 'None' },
            { Code: 'None' },
          ],
        }),
    ],
  ])(
    'answers 503 DEPENDENCY_UNAVAILABLE with retry-after when the transaction is throttled (%s)',
    async (_kind, error) => {
      // Arrange
      dynamo.on(TransactWriteCommand).rejects(error());

      // Act
      const result = await fileComplaint();

      // Assert
      expect(result.statusCode).toBe(503);
      expect(result.json.error.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(header(result, 'retry-after')).toBeDefined();
    },
  );

  it('answers 503 with Retry-After, not 500, when the function is about to run out of time', async () => {
    // Arrange: the table takes longer than the function has left (a 1 s function here)
    dynamo.on(TransactWriteCommand).callsFake(() => new Promise((resolve) => setTimeout(resolve, 5_000)));
    const event = proxyEvent({
      method: 'POST',
      resource: '/api/complaints',
      claims: enterpriseClaims(),
      body: complaintBody({ associationCode: ASSOCIATION }),
    });

    // Act
    const result = (await handler(event, lambdaContext('complaints-api', 1))) as APIGatewayProxyResult;

    // Assert
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(header(result, 'retry-after')).toBeDefined();
  });

  it('files complaints about new fees in one table call each (the transaction), drawing reference numbers twenty at a time', async () => {
    // Arrange: the container has loaded the working-day calendar (it keeps it for minutes).
    await fileComplaint();
    dynamo.resetHistory();

    // Act: ten new cases, two reference numbers each: one block or two
    for (let i = 0; i < 10; i++) await fileComplaint();

    // Assert
    const calls = dynamo.calls().map((call) => call.args[0].constructor.name);
    expect(calls.filter((name) => name !== 'UpdateCommand')).toEqual(
      Array.from({ length: 10 }, () => 'TransactWriteCommand'),
    );
    expect(calls.filter((name) => name === 'UpdateCommand').length).toBeLessThanOrEqual(2);
  });

  it('stores the decision date and handling office of the receipt on the complaint and in its opening event', async () => {
    // Act
    const result = await fileComplaint();

    // Assert
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const stored = (entity: string) => items.find((item) => item.Put?.Item?.entity === entity)?.Put?.Item;
    expect(stored('Complaint')).toMatchObject({ decisionDueAt: result.json.decisionDueAt });
    expect(stored('PendingCaseEvent')).toMatchObject({
      type: 'CASE_OPENED',
      data: {
        decisionDueAt: result.json.decisionDueAt,
        handlingOffice: { agency: result.json.handlingOffice.agency, province: '11' },
      },
    });
  });

  it('writes nothing outside the one transaction but the reference counter when the transaction is throttled', async () => {
    // Arrange
    dynamo
      .on(TransactWriteCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }));

    // Act
    await fileComplaint();

    // Assert
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    // Numbers drawn stay unused: a gap in the sequence, never a duplicate.
    for (const call of looseWrites()) {
      expect(call.args[0].input).toMatchObject({ UpdateExpression: 'SET entity = :entity ADD #last :count' });
    }
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers with the stored receipt when a concurrent request recorded the same Idempotency-Key first', async () => {
    // Arrange
    const earlierReceipt = {
      complaintId: 'earlier-complaint',
      caseId: 'earlier-case',
      status: 'RECEIVED',
      joinedExistingCase: false,
    };
    let storedByTheOtherRequest: Record<string, unknown> | undefined;
    dynamo.on(TransactWriteCommand).callsFake((input) => {
      // The other request wrote the same body under the same key a moment earlier.
      const receiptItem = input.TransactItems[0].Put.Item;
      storedByTheOtherRequest = { ...receiptItem, receipt: earlierReceipt };
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
        ],
      });
    });
    dynamo
      .on(GetCommand)
      .callsFake((input) =>
        input.Key.pk.startsWith('IDEMPOTENCY#') ? { Item: storedByTheOtherRequest } : {},
      );

    // Act
    const result = await fileComplaint({ headers: { 'Idempotency-Key': 'client-retry-7' } });

    // Assert
    expect(result.statusCode).toBe(202);
    expect(result.json).toEqual(earlierReceipt);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('answers 500 with a generic message and no stack for an unexpected failure', async () => {
    // Arrange
    dynamo.on(TransactWriteCommand).rejects(new Error('Cannot read the secret file /var/task/index.mjs'));

    // Act
    const result = await fileComplaint();

    // Assert
    expect(result.statusCode).toBe(500);
    expect(result.json).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(result.body).not.toContain('/var/task');
    expect(result.body).not.toContain('secret');
    expect(result.body).not.toMatch(/\n\s+at\s|"stack"/);
  });
});

describe('complaints handler: the caller', () => {
  it('answers 401 on a protected route when the event carries no claims', async () => {
    // Arrange
    const event = proxyEvent({ method: 'GET', resource: '/api/complaints' });

    // Act
    const result = await invoke(event);

    // Assert
    expect(result.statusCode).toBe(401);
    expect(result.json.error.code).toBe('UNAUTHENTICATED');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 401 when the claims lack what the role needs', async () => {
    // Arrange
    const { 'custom:creditCode': _dropped, ...withoutCreditCode } = enterpriseClaims();
    const event = proxyEvent({ method: 'GET', resource: '/api/complaints', claims: withoutCreditCode });

    // Act
    const result = await invoke(event);

    // Assert
    expect(result.statusCode).toBe(401);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 403 to a role the route does not allow, before touching the table', async () => {
    // Act
    const result = await fileComplaint({ claims: associationClaims });

    // Assert
    expect(result.statusCode).toBe(403);
    expect(result.json.error.code).toBe('FORBIDDEN');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 403 to an association reading a complaint', async () => {
    // Arrange
    const event = proxyEvent({
      method: 'GET',
      resource: '/api/complaints/{id}',
      path: '/api/complaints/c-1',
      pathParameters: { id: 'c-1' },
      claims: associationClaims,
    });

    // Act
    const result = await invoke(event);

    // Assert
    expect(result.statusCode).toBe(403);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
