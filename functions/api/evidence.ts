/** Evidence API: presigned upload forms, the uploader's view of screening, and download links for those allowed. */

import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { DynamoDeclarationFileViews } from '#shared/adapters/dynamodb/declaration-file-views';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoPendingCaseEvents } from '#shared/adapters/dynamodb/pending-case-events';
import { S3EvidenceLinks } from '#shared/adapters/evidence-links';
import { s3Client } from '#shared/adapters/s3-bucket';
import { EvidenceBucketConfig, loadConfig, TableConfig } from '#shared/config';
import { createUpload } from '#shared/evidence/create-upload';
import { getFile } from '#shared/evidence/get-file';
import { getUpload } from '#shared/evidence/get-upload';
import { apiHandler } from '#shared/http/api-handler';

const config = loadConfig(TableConfig, EvidenceBucketConfig);
const deps = {
  uploads: new DynamoEvidenceUploads(documentClient, config.TABLE_NAME),
  objects: new S3EvidenceLinks(s3Client, config.EVIDENCE_BUCKET, config.EVIDENCE_KMS_KEY_ID),
  // Reads only: an official's download goes to the case journal, which holds the audit key.
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME),
  caseEvents: new DynamoPendingCaseEvents(documentClient, config.TABLE_NAME),
  complaints: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
  declarationFiles: new DynamoDeclarationFileViews(documentClient, config.TABLE_NAME),
};

export const handler = apiHandler({
  createUpload: async (request) => ({
    status: 201,
    body: await createUpload(deps, request.principal, request.body),
  }),
  getUpload: async (request) => ({
    status: 200,
    body: await getUpload(deps, request.principal, request.pathParameters.id ?? ''),
  }),
  getFile: async (request) => ({
    status: 200,
    body: await getFile(deps, request.principal, request.pathParameters.id ?? ''),
  }),
});
