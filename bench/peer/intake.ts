/**
 * The peer: an intake handler written the way a team writes one from the Powertools example app, to
 * set ours against (bench/suites/peer.ts). Middy with the Powertools Logger, Powertools idempotency on
 * its DynamoDB persistence layer keyed by the Idempotency-Key header, classic zod, and one
 * DynamoDBDocumentClient put of the complaint. It does less than ours (no case, audit trail, sealed
 * contact or workflow): it is the floor of what a team ships, not the same feature.
 */
import { randomUUID } from 'node:crypto';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';

const logger = new Logger();
const dynamo = new DynamoDBClient({});
const documentClient = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});
const tableName = process.env.TABLE_NAME ?? '';

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: process.env.IDEMPOTENCY_TABLE_NAME ?? '',
  awsSdkV3Client: dynamo,
});
const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'headers."idempotency-key"',
  expiresAfterSeconds: 24 * 60 * 60,
});

const creditCode = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/);

const ComplaintSchema = z.object({
  association: z.object({ name: z.string().min(1).max(200), creditCode }),
  fee: z.object({
    name: z.string().min(1).max(200),
    category: z.enum([
      'MEMBERSHIP_DUES',
      'MEETING_TRAINING',
      'MARKET_SERVICE',
      'RATING_AWARD',
      'DELEGATED_GOVERNMENT_SERVICE',
      'EXHIBITION',
      'SPONSORSHIP_DONATION',
      'PUBLICATION',
      'OTHER',
    ]),
    amountFen: z.number().int().min(1).max(1_000_000_000_000),
    chargedOn: z.string().date(),
    period: z.enum(['ANNUAL', 'ONE_OFF']),
  }),
  facts: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])),
  description: z.string().min(1).max(4000),
  contact: z.object({
    name: z.string().min(1).max(100),
    phone: z.string().regex(/^1\d{10}$/),
    email: z.string().email().optional(),
  }),
  discloseIdentityToAssociation: z.boolean().optional(),
});

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const fileComplaint = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = event.requestContext.authorizer?.claims as Record<string, string> | undefined;
  if (!claims?.sub) return json(401, { message: 'Unauthorized' });
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return json(400, { message: 'Invalid JSON' });
  }
  const parsed = ComplaintSchema.safeParse(body);
  if (!parsed.success) return json(400, { message: 'Invalid complaint', issues: parsed.error.issues });

  const complaintId = randomUUID();
  const filedAt = new Date().toISOString();
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        pk: `COMPLAINT#${complaintId}`,
        sk: 'COMPLAINT',
        ...parsed.data,
        enterprise: claims['custom:creditCode'],
        filedBy: claims.sub,
        status: 'RECEIVED',
        filedAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  logger.info('Complaint filed', { complaintId });
  return json(202, { complaintId, status: 'RECEIVED', filedAt });
};

export const handler = middy(fileComplaint)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotencyConfig }));
