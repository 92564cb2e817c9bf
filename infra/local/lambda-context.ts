/** A Lambda context for in-process invocations, with the fields Powertools and middy read. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export const localAccountId = '000000000000';
export const localRegion = 'us-east-1';
export const localFunctionArn = (functionName: string) =>
  `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`;

export const lambdaContext = (functionName: string, timeoutSeconds: number, memoryMiB = 512): Context => {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const awsRequestId = randomUUID();
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(functionName),
    memoryLimitInMB: String(memoryMiB),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${awsRequestId}`,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
