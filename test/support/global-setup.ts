/**
 * vitest globalSetup: one DynamoDB Local per run (a temporary database), on a free loopback port. Test
 * files reach it through test/support/table.ts, each with its own table.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** http://127.0.0.1:PORT of the run's DynamoDB Local */
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  // Forked workers copy this process's environment when they start, after global setup.
  const previousEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;

  return async () => {
    if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = previousEndpoint;
    await dynamo.stop();
  };
}
