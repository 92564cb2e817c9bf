/**
 * The fee-case workflow's adapter to Step Functions: the names its executions get, which make a second
 * start of the same execution a no-op.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsFeeCaseWorkflow } from '#shared/adapters/step-functions';

const stateMachineArn = 'arn:aws:states:cn-north-1:123456789012:stateMachine:fee-case';
const sfn = mockClient(SFNClient);
const workflow = new StepFunctionsFeeCaseWorkflow(new SFNClient({ region: 'cn-north-1' }), stateMachineArn);

const startedNames = () => sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${stateMachineArn}:x`, startDate: new Date(0) });
});

describe('StepFunctionsFeeCaseWorkflow.start', () => {
  it("names a new case's execution after the case", async () => {
    // Act
    await workflow.start('case-1');

    // Assert
    expect(startedNames()).toEqual(['case-1']);
  });

  it('names a resumed execution after the case and its count', async () => {
    // Act
    await workflow.start('case-1', { count: 3, input: { resumeAt: 'AwaitReview' } });

    // Assert
    expect([startedNames(), sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input]).toEqual([
      ['case-1-r3'],
      JSON.stringify({ caseId: 'case-1', resumeAt: 'AwaitReview' }),
    ]);
  });

  it("names a case never resumed after the case alone, its first execution's name", async () => {
    // Act
    await workflow.start('case-1', { count: 0, input: { resumeAt: 'AwaitReview' } });

    // Assert
    expect(startedNames()).toEqual(['case-1']);
  });

  it('takes a start of a name already taken as done', async () => {
    // Arrange
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'taken', $metadata: {} }));

    // Act
    const started = workflow.start('case-1');

    // Assert
    await expect(started).resolves.toBeUndefined();
  });
});
