/**
 * The workflow engine as the use cases see it: callbacks that settle a waiting step, and executions
 * started for a case. It records what it was asked; a token the engine no longer waits on is `stale`.
 */

import type { ResumeInput } from '#shared/domain/resume-point';
import type { ResumableWorkflow } from '#shared/fee-case-workflow/resume';
import type { WorkflowCallbacks } from '#shared/ports/workflow';

export class RecordingWorkflow implements WorkflowCallbacks, ResumableWorkflow {
  readonly callbacks: { taskToken: string; output: Record<string, unknown> }[] = [];
  readonly starts: { caseId: string; resume?: { count: number; input: ResumeInput } }[] = [];
  private readonly staleTokens = new Set<string>();

  /** The engine stopped waiting on this token (its wait timed out, or the execution ended). */
  forget(taskToken: string): void {
    this.staleTokens.add(taskToken);
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<'delivered' | 'stale'> {
    this.callbacks.push({ taskToken, output });
    return this.staleTokens.has(taskToken) ? 'stale' : 'delivered';
  }

  async start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void> {
    this.starts.push({ caseId, ...(resume ? { resume } : {}) });
  }
}
