/**
 * The real SDK stack with only the HTTP exchange answered at once: every client's request goes through
 * serialization, endpoint rules, SigV4 signing, retries and deserialization as on AWS, and the default
 * Node.js request handler (`NodeHttpHandler`, which every client constructs) hands back a canned answer
 * of the service instead of opening a socket. What a handler then costs is its own code plus what the
 * SDK costs per call, without the network.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

const base64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000';

/** What each operation (the `x-amz-target` of the JSON protocols) answers; others answer `{}`. */
const answers: Record<string, unknown> = {
  'DynamoDB_20120810.GetItem': {},
  'DynamoDB_20120810.PutItem': {},
  'DynamoDB_20120810.Query': { Items: [], Count: 0, ScannedCount: 0 },
  // The reference sequence draws its next block of twenty numbers with an update.
  'DynamoDB_20120810.UpdateItem': { Attributes: { last: { N: '20' } } },
  'DynamoDB_20120810.TransactWriteItems': {},
  'TrentService.Encrypt': {
    CiphertextBlob: base64(184),
    KeyId: keyArn,
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  },
  'TrentService.GenerateDataKey': { CiphertextBlob: base64(184), Plaintext: base64(32), KeyId: keyArn },
  'TrentService.Decrypt': { Plaintext: base64(32), KeyId: keyArn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  'TrentService.GenerateMac': { Mac: base64(32), KeyId: keyArn, MacAlgorithm: 'HMAC_SHA_256' },
  'AWSStepFunctions.StartExecution': {
    executionArn: 'arn:aws:states:us-east-1:111122223333:execution:fee-case:bench',
    startDate: 1_780_000_000,
  },
  'AmazonSQS.SendMessageBatch': { Successful: [], Failed: [] },
};
const encoded = new Map(Object.entries(answers).map(([target, body]) => [target, JSON.stringify(body)]));

interface CannedRequest {
  headers: Record<string, string>;
}

/** Operations answered so far, by target: what one request asked of the SDK. */
export const httpCalls = new Map<string, number>();

/** Answers every request of every client at once, until the returned function is called. */
export const answerHttpAtOnce = (): (() => void) => {
  const prototype = NodeHttpHandler.prototype as unknown as {
    handle: (request: CannedRequest) => Promise<unknown>;
  };
  const original = prototype.handle;
  prototype.handle = async (request: CannedRequest) => {
    const target = request.headers['x-amz-target'] ?? '';
    httpCalls.set(target, (httpCalls.get(target) ?? 0) + 1);
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': 'bench-0000',
        },
        body: Buffer.from(encoded.get(target) ?? '{}'),
      },
    };
  };
  return () => {
    prototype.handle = original;
  };
};
