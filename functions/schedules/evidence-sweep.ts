/**
 * The sweep of unreferenced uploads, on a schedule (EventBridge on AWS, a timer locally): every upload
 * nothing named within 24 hours goes, with its files.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { S3EvidenceObjects } from '#shared/adapters/evidence-bucket';
import { s3Client } from '#shared/adapters/s3-bucket';
import { EvidenceBucketConfig, loadConfig, TableConfig } from '#shared/config';
import { sweepUploads } from '#shared/evidence/sweep-uploads';
import { logger } from '#shared/observability/logger';

const config = loadConfig(TableConfig, EvidenceBucketConfig);
const deps = {
  uploads: new DynamoEvidenceUploads(documentClient, config.TABLE_NAME),
  objects: new S3EvidenceObjects(s3Client, config.EVIDENCE_BUCKET, config.EVIDENCE_KMS_KEY_ID),
};

const sweep = async () => {
  const result = await sweepUploads(deps, new Date());
  if (result.removed + result.kept > 0) logger.info('Unreferenced uploads swept', { ...result });
  return result;
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(sweep);
