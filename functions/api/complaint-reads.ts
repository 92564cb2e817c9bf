/**
 * Complaint reads: an enterprise's own complaints, and one complaint with its case and timeline. Kept
 * apart from intake so that this function may open sealed contact details but never writes, and the
 * intake function may seal them but never open one.
 */

import { contactSealerFor } from '#shared/adapters/contact-sealer';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { ContactKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { requireRole } from '#shared/http/principal';
import { listOwnComplaints, readComplaint } from '#shared/read-complaints/read-complaints';

const config = loadConfig(TableConfig, ContactKeyConfig);
const sealer = contactSealerFor(config);
const reads = new DynamoComplaintReads(documentClient, config.TABLE_NAME);

export const handler = apiHandler({
  listComplaints: async (request) => {
    const enterprise = requireRole(request.principal, 'enterprise');
    return {
      status: 200,
      body: await listOwnComplaints({ reads, sealer }, enterprise.enterpriseId, request.query),
    };
  },
  getComplaint: async (request) => ({
    status: 200,
    body: await readComplaint(
      { reads, sealer },
      request.principal,
      request.pathParameters.id ?? '',
      request.language,
    ),
  }),
});
