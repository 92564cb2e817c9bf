/**
 * Complaint follow-ups: while its case is open the enterprise attaches more evidence, and once it is
 * closed it gives closing feedback, which may reopen the case's verification and start a fresh
 * execution of its workflow. Kept apart from intake so that filing's cold start loads neither use case
 * and intake needs neither the workflow nor the audit key.
 */

import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { StepFunctionsFeeCaseWorkflow, sfnClient } from '#shared/adapters/step-functions';
import { AuditKeyConfig, loadConfig, TableConfig, WorkflowConfig } from '#shared/config';
import { addComplaintAttachments } from '#shared/file-complaint/add-attachments';
import { giveFeedback } from '#shared/give-feedback/give-feedback';
import { apiHandler } from '#shared/http/api-handler';
import { requireRole } from '#shared/http/principal';

const config = loadConfig(TableConfig, WorkflowConfig, AuditKeyConfig);
const feedbackDeps = {
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSealFor(config)),
  complaints: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
  workflow: new StepFunctionsFeeCaseWorkflow(sfnClient, config.STATE_MACHINE_ARN),
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
};
const attachmentDeps = {
  ...feedbackDeps,
  uploads: new DynamoEvidenceUploads(documentClient, config.TABLE_NAME),
};

export const handler = apiHandler({
  giveFeedback: async (request) => {
    const enterprise = requireRole(request.principal, 'enterprise');
    return {
      status: 200,
      body: await giveFeedback(
        feedbackDeps,
        enterprise.enterpriseId,
        request.pathParameters.id ?? '',
        request.body,
      ),
    };
  },
  addComplaintAttachments: async (request) => {
    const enterprise = requireRole(request.principal, 'enterprise');
    return {
      status: 200,
      body: await addComplaintAttachments(
        attachmentDeps,
        enterprise,
        request.pathParameters.id ?? '',
        request.body,
      ),
    };
  },
});
