/** The fee-case workflow on Step Functions (the real service on AWS, the local engine otherwise). */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { callDependency } from '#shared/adapters/aws-errors';
import type { ResumeInput } from '#shared/domain/resume-point';
import type { ResumableWorkflow } from '#shared/fee-case-workflow/resume';
import type { FeeCaseWorkflow, WorkflowCallbacks } from '#shared/ports/workflow';

export const sfnClient = new SFNClient({});

/** A case's executions are named after it: the first by its id, each resumption with its count. */
export const executionName = (caseId: string, count = 0) => (count ? `${caseId}-r${count}` : caseId);

export class StepFunctionsFeeCaseWorkflow implements FeeCaseWorkflow, ResumableWorkflow, WorkflowCallbacks {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** The execution is named after the case, so a second start of the same case is a no-op. */
  async start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void> {
    const name = executionName(caseId, resume?.count);
    const input = JSON.stringify({ caseId, ...resume?.input });
    try {
      await callDependency('Step Functions', () =>
        this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input })),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<'delivered' | 'stale'> {
    try {
      await callDependency('Step Functions', () =>
        this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
      );
      return 'delivered';
    } catch (error) {
      // Nobody waits on this token any more; the workflow collects the result when it re-opens the task.
      if (
        error instanceof TaskDoesNotExist ||
        error instanceof TaskTimedOut ||
        error instanceof InvalidToken
      ) {
        return 'stale';
      }
      throw error;
    }
  }
}
