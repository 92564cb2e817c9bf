/**
 * Complaint intake: an enterprise files a complaint; it joins or opens the fee case (the case journal
 * links its event and starts a new case's workflow, from the stream). Feedback and later attachments
 * are served by the follow-ups function, so that filing's cold start loads only what filing needs.
 */

import { contactSealerFor } from '#shared/adapters/contact-sealer';
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { ContactKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { fileComplaint } from '#shared/file-complaint/file-complaint';
import { RecentFeeStandings } from '#shared/file-complaint/recent-fee-standings';
import { apiHandler } from '#shared/http/api-handler';
import { requireRole } from '#shared/http/principal';

const config = loadConfig(TableConfig, ContactKeyConfig);
const sealer = contactSealerFor(config);
const store = new DynamoIntakeStore(documentClient, config.TABLE_NAME);
const calendar = new DynamoCalendarStore(documentClient, config.TABLE_NAME);
const uploads = new DynamoEvidenceUploads(documentClient, config.TABLE_NAME);
const registry = new TableAssociationRegistry(documentClient, config.TABLE_NAME);
const standings = new RecentFeeStandings();

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
        standings,
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
});
