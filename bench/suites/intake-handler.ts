/**
 * Benchmark 2: the intake handler in-process (POST /api/complaints through the middy stack, the use
 * case and the adapters) with every SDK client answering at once, against the floor of `JSON.parse` +
 * schema validation (`ComplaintInput.safeParse`) of the same bodies. Two ways of answering, alternated
 * round by round: aws-sdk-client-mock, and a bare `send` on each client class returning the same
 * values. The target is judged on the second: sinon's call recording costs more CPU than the handler.
 *
 * Configured as deployed where this machine can be: KMS seals the contact (CONTACT_KEY_ID) and MACs
 * the audit event (AUDIT_KEY_ID), the
 * Powertools logger runs at INFO with the Lambda context injected (intake publishes no EMF metric per
 * request: the stream consumer publishes the campaign figures). Tracing is off: there is no X-Ray
 * daemon here, and its cost is network, not CPU.
 */
import { EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { benchComplaint, filingEvent } from '../lib/complaints.ts';
import { answers, installStubs } from '../lib/instant-sdk.ts';
import { interleavedRounds, median } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const maxRatio = 2;

import { stateMachineArn } from '../lib/instant-sdk.ts';

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'fee-campaign-bench',
  CONTACT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000',
  AUDIT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111',
  STATE_MACHINE_ARN: stateMachineArn,
  POWERTOOLS_SERVICE_NAME: 'fee-campaign',
  POWERTOOLS_METRICS_NAMESPACE: 'FeeCampaign',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'false',
});
delete process.env.LOCAL_CONTACT_KEY;
delete process.env.LOCAL_AUDIT_KEY;
delete process.env.POWERTOOLS_METRICS_DISABLED;

/** aws-sdk-client-mock on the three client classes; returns the mocks and a way to take them off. */
const installMocks = () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  dynamo.on(GetCommand).resolves(answers.get);
  dynamo.on(TransactWriteCommand).resolves(answers.transactWrite);
  dynamo.on(UpdateCommand).resolves(answers.update);
  dynamo.on(QueryCommand).resolves(answers.query);
  const sfn = mockClient(SFNClient);
  sfn.on(StartExecutionCommand).resolves(answers.startExecution);
  const kms = mockClient(KMSClient);
  kms.on(EncryptCommand).resolves(answers.encrypt);
  kms.on(GenerateMacCommand).resolves(answers.generateMac);
  return {
    dynamo,
    sfn,
    kms,
    restore: () => {
      for (const mock of [dynamo, sfn, kms]) mock.restore();
    },
  };
};

runSuite('intake-handler', async (context) => {
  const mocks = installMocks();

  const { handler } = (await import('#functions/api/complaints')) as {
    handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  };
  const { ComplaintInput } = await import('#shared/domain/complaint');
  const { lambdaContext } = await import('#infra/local/lambda-context');
  const lambda = lambdaContext('complaints-api', 10, 512);

  const bodies = Array.from({ length: 64 }, (_, n) => JSON.stringify(benchComplaint(n, { tag: 'handler' })));
  const events = bodies.map((body, n) => filingEvent(n, body));

  const first = await handler(events[0] as APIGatewayProxyEvent, lambda);
  if (first.statusCode !== 202) throw new Error(`the handler answered ${first.statusCode}: ${first.body}`);
  // What one filing asks of the SDK.
  const calls = {
    dynamoGet: mocks.dynamo.commandCalls(GetCommand).length,
    dynamoQuery: mocks.dynamo.commandCalls(QueryCommand).length,
    dynamoUpdate: mocks.dynamo.commandCalls(UpdateCommand).length,
    dynamoTransactWrite: mocks.dynamo.commandCalls(TransactWriteCommand).length,
    kmsEncrypt: mocks.kms.commandCalls(EncryptCommand).length,
    kmsGenerateMac: mocks.kms.commandCalls(GenerateMacCommand).length,
    sfnStartExecution: mocks.sfn.commandCalls(StartExecutionCommand).length,
  };
  mocks.restore();
  const removeStubs = installStubs();
  const instant = await handler(events[1] as APIGatewayProxyEvent, lambda);
  removeStubs();
  if (instant.statusCode !== 202)
    throw new Error(`with an SDK answering at once the handler answered ${instant.statusCode}`);

  const file = (i: number) => handler(events[i % events.length] as APIGatewayProxyEvent, lambda);
  const floor = async (i: number) => {
    const parsed = ComplaintInput.safeParse(JSON.parse(bodies[i % bodies.length] as string));
    if (!parsed.success) throw new Error('a bench body is invalid');
  };
  // One phase per way of answering, each interleaved with the floor: swapping `send` on the client
  // prototypes between rounds would throw away the optimised code of everything that calls it.
  const phase = async (install: () => () => void, rounds: number) => {
    const uninstall = install();
    try {
      const contenders = { handler: file, floor };
      await interleavedRounds(contenders, {
        rounds: 3,
        opsPerRound: 1_000,
        deadline: Number.POSITIVE_INFINITY,
      });
      return await interleavedRounds(contenders, { rounds, opsPerRound: 1_000, deadline: context.deadline });
    } finally {
      uninstall();
    }
  };
  const instantTimes = await phase(installStubs, 20);
  const mockedTimes = await phase(() => {
    const installed = installMocks();
    return installed.restore;
  }, 10);
  const times = { instant: instantTimes, mocked: mockedTimes };
  const instantUs = median(instantTimes.handler?.cpuUs ?? []);
  const floorUs = median(instantTimes.floor?.cpuUs ?? []);
  const mockedUs = median(mockedTimes.handler?.cpuUs ?? []);
  const mockedFloorUs = median(mockedTimes.floor?.cpuUs ?? []);
  context.row({
    id: 'intake.handler',
    section: 2,
    benchmark: 'intake handler in-process, SDK answering at once',
    measured: instantUs,
    unit: 'us/req',
    floor: floorUs,
    floorLabel: 'JSON.parse + ComplaintInput.safeParse',
    ratio: instantUs / floorUs,
    target: { on: 'ratio', op: '<=', value: maxRatio },
    note: `CPU time per request, SDK clients' send() answering at once; ${Math.round(1e6 / instantUs).toLocaleString('en-US')} req/s per core`,
  });
  context.row({
    id: 'intake.handler.mocked',
    section: 2,
    benchmark: 'intake handler in-process, aws-sdk-client-mock',
    measured: mockedUs,
    unit: 'us/req',
    floor: mockedFloorUs,
    floorLabel: 'JSON.parse + ComplaintInput.safeParse',
    ratio: mockedUs / mockedFloorUs,
    note: `the same with aws-sdk-client-mock answering: about ${(mockedUs - instantUs).toFixed(0)} us more, the mock library recording the 5 calls`,
  });
  context.detail('intakeHandler', {
    opsPerRound: 1_000,
    medianWallUs: {
      instant: median(instantTimes.handler?.wallUs ?? []),
      mocked: median(mockedTimes.handler?.wallUs ?? []),
      floor: median(instantTimes.floor?.wallUs ?? []),
    },
    times,
    sdkCallsPerRequest: calls,
  });
});
