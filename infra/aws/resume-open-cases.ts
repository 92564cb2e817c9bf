/**
 * `npm run resume:aws`: moves every open case onto the currently deployed fee-case workflow (after a
 * new version is deployed, or to recover executions that failed). Each case's running executions are
 * stopped first, then a new one starts from the stage its case item records (the same resume points
 * the local runtime uses at start-up), so no case ever has two executions waiting on its task.
 *
 * Needs TABLE_NAME, STATE_MACHINE_ARN and AUDIT_KEY_ID (the stack outputs) and AWS credentials that
 * may use the audit key's GenerateMac (each resume is an audit event).
 */
import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { sfnClient } from '#shared/adapters/step-functions';
import { WorkflowVersionMove } from '#shared/adapters/workflow-version-move';
import { AuditKeyConfig, loadConfig, TableConfig, WorkflowConfig } from '#shared/config';
import { resumeOpenCases } from '#shared/fee-case-workflow/resume';

const config = loadConfig(TableConfig, WorkflowConfig, AuditKeyConfig);
const store = new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSealFor(config));
const workflow = await WorkflowVersionMove.begin(sfnClient, config.STATE_MACHINE_ARN);

const { resumed, failed } = await resumeOpenCases({ store, workflow });
console.log(`resumed ${resumed} open case${resumed === 1 ? '' : 's'} on ${config.STATE_MACHINE_ARN}`);
if (failed.length > 0) {
  // Their running executions may already be stopped: run the script again until none is left.
  for (const { caseId, error } of failed)
    console.error(`not resumed (failed every try): ${caseId}: ${error}`);
  console.error('run the script again for these cases');
  process.exitCode = 1;
}
