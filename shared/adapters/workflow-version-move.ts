import {
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { executionName, StepFunctionsFeeCaseWorkflow } from '#shared/adapters/step-functions';
import type { ResumeInput } from '#shared/domain/resume-point';
import type { ResumableWorkflow } from '#shared/fee-case-workflow/resume';

/**
 * Moves open cases onto the deployed workflow version (`npm run resume:aws`): before a case's new
 * execution starts, what runs for it is stopped, so no case has two executions waiting on its task.
 * That is what ListExecutions showed before the move began, and the execution the case recorded before
 * its first resumption here (a redelivered opening or a reopening may have started it since the
 * listing, and the listing is eventually consistent), and every try's since.
 */
export class WorkflowVersionMove implements ResumableWorkflow {
  /** Each case's count at its first try: a retry comes under the next count, its first may have failed. */
  private readonly firstCounts = new Map<string, number>();

  private constructor(
    private readonly sfn: SFNClient,
    private readonly workflow: StepFunctionsFeeCaseWorkflow,
    private readonly stateMachineArn: string,
    private readonly running: ReadonlyMap<string, string[]>,
  ) {}

  static async begin(sfn: SFNClient, stateMachineArn: string): Promise<WorkflowVersionMove> {
    const running = new Map<string, string[]>();
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken }),
      );
      for (const { name = '', executionArn = '' } of page.executions ?? []) {
        const caseId = name.replace(/-r\d+$/, '');
        running.set(caseId, [...(running.get(caseId) ?? []), executionArn]);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    const workflow = new StepFunctionsFeeCaseWorkflow(sfn, stateMachineArn);
    return new WorkflowVersionMove(sfn, workflow, stateMachineArn, running);
  }

  async start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void> {
    const stopping = new Set(this.running.get(caseId));
    if (resume?.count) {
      const first = this.firstCounts.get(caseId) ?? resume.count;
      this.firstCounts.set(caseId, first);
      for (let count = first - 1; count < resume.count; count++) {
        stopping.add(this.executionArn(executionName(caseId, count)));
      }
    }
    for (const executionArn of stopping) await this.stop(executionArn);
    await this.workflow.start(caseId, resume);
  }

  /** Stopping an execution that has ended is a no-op; one never started is no concern. */
  private async stop(executionArn: string): Promise<void> {
    try {
      await this.sfn.send(
        new StopExecutionCommand({ executionArn, cause: 'Moved to the current workflow version' }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  /** arn:…:stateMachine:<machine> names its executions arn:…:execution:<machine>:<name>. */
  private executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}
