/**
 * Screens each file stored under `incoming/` of the evidence bucket: invoked by S3's object-created
 * notification on AWS, and with the same event by the local runtime's storage gateway. Records are
 * screened one after another; a failure fails the invocation, whose retry finds the files already
 * screened done (screening is idempotent per upload).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { S3EvidenceObjects } from '#shared/adapters/evidence-bucket';
import { SharpImageSanitizer } from '#shared/adapters/image-sanitizer';
import { s3Client } from '#shared/adapters/s3-bucket';
import { EvidenceBucketConfig, loadConfig, TableConfig } from '#shared/config';
import { screenUpload } from '#shared/evidence/screen-upload';
import { logger } from '#shared/observability/logger';

const config = loadConfig(TableConfig, EvidenceBucketConfig);
const deps = {
  uploads: new DynamoEvidenceUploads(documentClient, config.TABLE_NAME),
  objects: new S3EvidenceObjects(s3Client, config.EVIDENCE_BUCKET, config.EVIDENCE_KMS_KEY_ID),
  images: new SharpImageSanitizer(),
};

/** S3 sends keys URL-encoded, with `+` for a space. */
const objectKeyOf = (record: S3EventRecord): string =>
  decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));

const screen = async (event: S3Event) => {
  for (const record of event.Records) {
    const outcome = await screenUpload(deps, objectKeyOf(record));
    // Ids, sizes and reasons only: a file name may name the complainant.
    if (outcome.outcome === 'NOT_AN_UPLOAD') logger.warn('Not an upload key; left alone');
    else logger.info('Upload screened', { ...outcome });
  }
};

export const handler = middy<S3Event, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(screen);
