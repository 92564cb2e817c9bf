/**
 * Every SDK call answered at once, without the SDK: a bare `send` on each client class the intake
 * handlers use returns a fixed answer, so what is measured is the handler's own code. Without the mock
 * library too: sinon records every call with its arguments, and that bookkeeping costs more than the
 * handler's own work.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export const stateMachineArn = 'arn:aws:states:us-east-1:111122223333:stateMachine:fee-case';

/** What each mocked call answers, the same in both modes. */
export const answers = {
  get: {},
  transactWrite: {},
  /** The working-day calendar's stored notices (none: the built-in years), read once and cached. */
  query: { Items: [] },
  /** A block of reference numbers (the store draws twenty at a time). */
  update: { Attributes: { last: 20 } },
  startExecution: { executionArn: `${stateMachineArn}:x`, startDate: new Date() },
  encrypt: { CiphertextBlob: new Uint8Array(184), KeyId: 'bench' },
  generateMac: { Mac: new Uint8Array(32), KeyId: 'bench', MacAlgorithm: 'HMAC_SHA_256' as const },
  generateDataKey: {
    Plaintext: new Uint8Array(32).fill(7),
    CiphertextBlob: new Uint8Array(184),
    KeyId: 'bench',
  },
};

type Sendable = { prototype: { send: unknown } };
/**
 * The same answers from a bare `send` on each client class, without the mock library: sinon records
 * every call with its arguments, and that bookkeeping costs more than the handler's own work.
 */
export const installStubs = () => {
  const instant: [Sendable, (command: unknown) => Promise<unknown>][] = [
    [
      DynamoDBDocumentClient,
      async (command) =>
        command instanceof GetCommand
          ? answers.get
          : command instanceof QueryCommand
            ? answers.query
            : command instanceof UpdateCommand
              ? answers.update
              : // TransactWrite and Put answer nothing.
                answers.transactWrite,
    ],
    // Powertools idempotency (the peer) writes and completes its record with the low-level client.
    [DynamoDBClient, async (command) => (command instanceof GetItemCommand ? answers.get : {})],
    [SFNClient, async () => answers.startExecution],
    [
      KMSClient,
      async (command) =>
        command instanceof GenerateMacCommand
          ? answers.generateMac
          : command instanceof GenerateDataKeyCommand
            ? answers.generateDataKey
            : answers.encrypt,
    ],
  ];
  for (const [client, send] of instant) client.prototype.send = send;
  return () => {
    for (const [client] of instant) delete (client.prototype as { send?: unknown }).send;
  };
};
