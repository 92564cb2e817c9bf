/** Tasks API: the inbox, claiming, releasing and completing; assigning tasks, transferring cases and an association's request for more time. */

import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { StepFunctionsFeeCaseWorkflow, sfnClient } from '#shared/adapters/step-functions';
import { AuditKeyConfig, loadConfig, SecondReviewConfig, TableConfig, WorkflowConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { metrics } from '#shared/observability/metrics';
import { assignTask } from '#shared/tasks/assign-task';
import { requestExtension } from '#shared/tasks/request-extension';
import { claimTask, completeTask, listTasks, releaseTask } from '#shared/tasks/tasks';
import { transferCase } from '#shared/tasks/transfer-case';

const config = loadConfig(TableConfig, WorkflowConfig, AuditKeyConfig, SecondReviewConfig);
const deps = {
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSealFor(config)),
  callbacks: new StepFunctionsFeeCaseWorkflow(sfnClient, config.STATE_MACHINE_ARN),
  uploads: new DynamoEvidenceUploads(documentClient, config.TABLE_NAME),
  secondReview: config.SECOND_REVIEW_POLICY,
};

export const handler = apiHandler({
  listTasks: async (request) => ({
    status: 200,
    body: await listTasks(deps, request.principal, request.query),
  }),
  claimTask: async (request) => ({
    status: 200,
    body: await claimTask(deps, request.principal, request.pathParameters.id ?? ''),
  }),
  releaseTask: async (request) => ({
    status: 200,
    body: await releaseTask(deps, request.principal, request.pathParameters.id ?? ''),
  }),
  completeTask: async (request) => {
    const completed = await completeTask(
      deps,
      request.principal,
      request.pathParameters.id ?? '',
      request.body,
    );
    metrics.addDimension('kind', completed.task.kind);
    metrics.addMetric('TasksCompleted', 'Count', 1);
    metrics.publishStoredMetrics();
    return { status: 200, body: completed };
  },
  assignTask: async (request) => ({
    status: 200,
    body: await assignTask(deps, request.principal, request.pathParameters.id ?? '', request.body),
  }),
  transferCase: async (request) => ({
    status: 200,
    body: await transferCase(deps, request.principal, request.pathParameters.id ?? '', request.body),
  }),
  requestExtension: async (request) => ({
    status: 201,
    body: await requestExtension(deps, request.principal, request.pathParameters.id ?? '', request.body),
  }),
});
