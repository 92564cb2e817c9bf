/** The fee-case workflow as the use cases drive it: started by intake, resumed by the steps' callbacks. */

/** Starts the fee-case workflow; starting a case twice is harmless. */
export interface FeeCaseWorkflow {
  start(caseId: string): Promise<void>;
}

/** Settles waiting workflow steps: the Step Functions callbacks. */
export interface WorkflowCallbacks {
  succeed(taskToken: string, output: Record<string, unknown>): Promise<'delivered' | 'stale'>;
}
