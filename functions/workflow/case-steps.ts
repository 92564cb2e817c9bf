/**
 * The automated steps of the fee-case workflow, one function for all of them: the state machine
 * names the step in the payload. Payloads carry IDs only, never complainant data.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoSelfInspectionStore } from '#shared/adapters/dynamodb/self-inspection-store';
import { StepFunctionsFeeCaseWorkflow, sfnClient } from '#shared/adapters/step-functions';
import { AuditKeyConfig, loadConfig, TableConfig, WorkflowConfig, WorkflowStepsConfig } from '#shared/config';
import { caseTaskKinds } from '#shared/domain/fee-task';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';
import {
  checkDeadline,
  classifyCase,
  flagAttention,
  issueOrder,
  openTask,
  recordOutcome,
  secondsUntilDue,
} from '#shared/fee-case-workflow/steps';
import { logger } from '#shared/observability/logger';
import { metrics } from '#shared/observability/metrics';

const config = loadConfig(TableConfig, WorkflowConfig, WorkflowStepsConfig, AuditKeyConfig);
const deps = {
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSealFor(config)),
  callbacks: new StepFunctionsFeeCaseWorkflow(sfnClient, config.STATE_MACHINE_ARN),
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
  defaultRectificationDays: config.DEFAULT_RECTIFICATION_DAYS,
  declarations: new DynamoSelfInspectionStore(documentClient, config.TABLE_NAME),
};

const caseId = z.string().check(z.minLength(1), z.maxLength(100));
const workingDays = z.int().check(z.minimum(1), z.maximum(365));
const kind = z.enum(caseTaskKinds);

export const CaseStep = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('classify'), caseId }),
  z.strictObject({
    step: z.literal('openTask'),
    caseId,
    kind,
    taskToken: z.string().check(z.minLength(1), z.maxLength(4096)),
    workingDays,
  }),
  z.strictObject({ step: z.literal('secondsUntilDue'), caseId, kind, workingDays }),
  z.strictObject({ step: z.literal('checkDeadline'), caseId, kind, workingDays }),
  z.strictObject({ step: z.literal('issueOrder'), caseId }),
  z.strictObject({ step: z.literal('recordOutcome'), caseId }),
  z.strictObject({ step: z.literal('flagAttention'), caseId, error: z.string().check(z.maxLength(10_000)) }),
]);
export type CaseStep = z.infer<typeof CaseStep>;

const runStep = async (event: unknown) => {
  const step = parseWith(CaseStep, event, 'workflow step');
  logger.appendKeys({ step: step.step, caseId: step.caseId });
  switch (step.step) {
    case 'classify':
      return classifyCase(deps, step.caseId);
    case 'openTask':
      return openTask(deps, step);
    case 'secondsUntilDue':
      return secondsUntilDue(deps, step);
    case 'checkDeadline': {
      const result = await checkDeadline(deps, step);
      if (result.escalated) metrics.addMetric('TasksEscalated', 'Count', 1);
      return result;
    }
    case 'issueOrder':
      return issueOrder(deps, step.caseId);
    case 'recordOutcome': {
      const result = await recordOutcome(deps, step.caseId);
      metrics.addDimension('outcome', result.outcome ?? 'UNKNOWN');
      metrics.addMetric('CasesClosed', 'Count', 1);
      return result;
    }
    case 'flagAttention':
      logger.error('Case needs attention', { error: step.error.slice(0, 200) });
      metrics.addMetric('CasesNeedingAttention', 'Count', 1);
      return flagAttention(deps, step);
  }
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(runStep);
