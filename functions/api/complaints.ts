/**
 * Complaint intake: an enterprise files a complaint; it joins or opens the fee case (the case journal
 * links its event and starts a new case's workflow, from the stream). The enterprise gives closing feedback and attaches more evidence while the case is open.
 */

import { auditSealFor } from '#shared/adapters/audit-seal';
import { contactSealerFor } from '#shared/adapters/contact-sealer';
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { StepFunctionsFeeCaseWorkflow, sfnClient } from '#shared/adapters/step-functions';
import { AuditKeyConfig, ContactKeyConfig, loadConfig, TableConfig, WorkflowConfig } from '#shared/config';
import { addComplaintAttachments } from '#shared/file-complaint/add-attachments';
import { fileComplaint } from '#shared/file-complaint/file-complaint';
import { giveFeedback } from '#shared/give-feedback/give-feedback';
import { apiHandler } from '#shared/http/api-handler';
import { requireRole } from '#shared/http/principal';

const config = loadConfig(TableConfig, ContactKeyConfig, WorkflowConfig, AuditKeyConfig);
const sealer = contactSealerFor(config);
const auditSeal = auditSealFor(config);
const store = new DynamoIntakeStore(documentClient, config.TABLE_NAME);
const workflow = new StepFunctionsFeeCaseWorkflow(sfnClient, config.STATE_MACHINE_ARN);
const calendar = new DynamoCalendarStore(documentClient, config.TABLE_NAME);
const uploads = new DynamoEvidenceUploads(documentClient, config.TABLE_NAME);
const registry = new TableAssociationRegistry(documentClient, config.TABLE_NAME);
const feedbackDeps = {
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSeal),
  complaints: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
  workflow,
  calendar,
};
const attachmentDeps = { ...feedbackDeps, uploads };

export const handler = apiHandler({
  fileComplaint: async (request) => {
    const enterprise = requireRole(request.principal, 'enterprise');
    const receipt = await fileComplaint(
      {
        store,
        sealer,
        calendar,
        uploads,
        registry,
        // The function times out after 10 s: a filing still losing races after 6 s answers 429.
        retryBudgetMs: 6_000,
      },
      {
        enterpriseCreditCode: enterprise.creditCode,
        enterpriseId: enterprise.enterpriseId,
        subject: enterprise.subject,
        body: request.body,
        idempotencyKey: request.headers['idempotency-key'],
        language: request.language,
      },
    );
    return { status: 202, body: receipt };
  },
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
