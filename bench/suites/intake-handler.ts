/**
 * Benchmark 2: the intake handler in-process (POST /api/complaints through the middy stack, the use
 * case and the adapters) with every SDK client answering at once, against the floor of the work a
 * filing cannot skip: `JSON.parse` + schema validation (`ComplaintInput.safeParse`), the request hash,
 * the first audit event (linked with a local HMAC) and sealing the contact (AES-256-GCM, as with a
 * cached data key). Two ways of answering, alternated
 * round by round: aws-sdk-client-mock, and a bare `send` on each client class returning the same
 * values. The target is judged on the second: sinon's call recording costs more CPU than the handler.
 *
 * Configured as deployed where this machine can be: the contact is sealed under a KMS data key
 * (CONTACT_KEY_ID; GenerateDataKey once per few minutes), the audit key is configured (AUDIT_KEY_ID;
 * intake no longer links events: the case journal does, from the stream), the Powertools logger runs at INFO with the Lambda context injected (intake publishes no EMF metric per
 * request: the stream consumer publishes the campaign figures). Tracing is off: there is no X-Ray
 * daemon here, and its cost is network, not CPU.
 */

import { randomBytes } from 'node:crypto';
import { EncryptCommand, GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
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
import { answers, installStubs, stateMachineArn } from '../lib/instant-sdk.ts';
import { interleavedRounds, median } from '../lib/stats.ts';
import { runSuite } from '../lib/suite.ts';

const maxRatio = 1.5;
/** Filings whose SDK calls are counted one by one, after the first. */
const countedFilings = 40;

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
  kms.on(GenerateDataKeyCommand).resolves(answers.generateDataKey);
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
  const { chainEvent, contentHash, genesisHash } = await import('#shared/domain/case-event');
  const { LocalKeyAuditSeal } = await import('#shared/adapters/audit-seal');
  const { LocalKeyContactSealer } = await import('#shared/adapters/contact-sealer');
  const { lambdaContext } = await import('#infra/local/lambda-context');
  const lambda = lambdaContext('complaints-api', 10, 512);

  const bodies = Array.from({ length: 64 }, (_, n) => JSON.stringify(benchComplaint(n, { tag: 'handler' })));
  const events = bodies.map((body, n) => filingEvent(n, body));

  const first = await handler(events[0] as APIGatewayProxyEvent, lambda);
  if (first.statusCode !== 202) throw new Error(`the handler answered ${first.statusCode}: ${first.body}`);
  // What each filing asks of the SDK, one by one: each is about a new fee (its first write finds no
  // pointer) and opens a case, so it takes two reference numbers.
  const perFiling = [];
  for (let i = 1; i <= countedFilings; i++) {
    for (const mock of [mocks.dynamo, mocks.sfn, mocks.kms]) mock.resetHistory();
    const answered = await handler(events[i] as APIGatewayProxyEvent, lambda);
    if (answered.statusCode !== 202) throw new Error(`the handler answered ${answered.statusCode}`);
    perFiling.push(mocks.dynamo.calls().length + mocks.sfn.calls().length + mocks.kms.calls().length);
  }
  const calls = {
    dynamoGet: mocks.dynamo.commandCalls(GetCommand).length,
    dynamoQuery: mocks.dynamo.commandCalls(QueryCommand).length,
    dynamoUpdate: mocks.dynamo.commandCalls(UpdateCommand).length,
    dynamoTransactWrite: mocks.dynamo.commandCalls(TransactWriteCommand).length,
    kmsEncrypt: mocks.kms.commandCalls(EncryptCommand).length,
    kmsGenerateDataKey: mocks.kms.commandCalls(GenerateDataKeyCommand).length,
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
  const key = randomBytes(32).toString('base64');
  const auditSeal = new LocalKeyAuditSeal(key);
  const sealer = new LocalKeyContactSealer(key);
  const floor = async (i: number) => {
    const parsed = ComplaintInput.safeParse(JSON.parse(bodies[i % bodies.length] as string));
    if (!parsed.success) throw new Error('a bench body is invalid');
    const complaintId = `floor-${i}`;
    contentHash(parsed.data);
    const at = new Date().toISOString();
    await chainEvent(
      { caseId: complaintId, eventSeq: 0, lastEventHash: genesisHash },
      {
        type: 'CASE_OPENED',
        actor: { role: 'enterprise' },
        stage: 'RECEIVED',
        data: { complaintId, amountFen: parsed.data.fee.amountFen },
      },
      at,
      auditSeal,
    );
    await sealer.seal(parsed.data.contact, complaintId);
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
    floorLabel: 'parse + validate + request hash + first audit event + seal',
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
    floorLabel: 'parse + validate + request hash + first audit event + seal',
    ratio: mockedUs / mockedFloorUs,
    note: `the same with aws-sdk-client-mock answering: about ${(mockedUs - instantUs).toFixed(0)} us more, the mock library recording the calls`,
  });
  const sortedCalls = [...perFiling].sort((a, b) => a - b);
  context.row({
    id: 'intake.sdkCalls',
    section: 4,
    benchmark: 'SDK calls per new filing (happy path)',
    measured: sortedCalls[Math.floor(sortedCalls.length / 2)] as number,
    unit: 'calls',
    target: { on: 'measured', op: '<=', value: 2 },
    note: `median of ${countedFilings} filings each opening a case; mean ${(perFiling.reduce((a, b) => a + b, 0) / countedFilings).toFixed(2)} with the reference blocks (20 numbers per draw) and data keys (one per 5 minutes or 10,000 contacts) drawn`,
  });
  context.detail('intakeHandler', {
    opsPerRound: 1_000,
    medianWallUs: {
      instant: median(instantTimes.handler?.wallUs ?? []),
      mocked: median(mockedTimes.handler?.wallUs ?? []),
      floor: median(instantTimes.floor?.wallUs ?? []),
    },
    times,
    sdkCallsOverCountedFilings: calls,
    sdkCallsPerFiling: perFiling,
  });
});
