/** The fee-case workflow as the use cases drive it: started by intake, resumed by the steps' callbacks. */

import type { ResumeInput } from '#shared/domain/resume-point';

/**
 * Starts the fee-case workflow; starting a case twice is harmless. With `resume`, an execution named
 * after the case and `count` (count 0: the case's first execution's name) starts where the case stands.
 */
export interface FeeCaseWorkflow {
  start(caseId: string, resume?: { count: number; input: ResumeInput }): Promise<void>;
}

/** Settles waiting workflow steps: the Step Functions callbacks. */
export interface WorkflowCallbacks {
  succeed(taskToken: string, output: Record<string, unknown>): Promise<'delivered' | 'stale'>;
}
