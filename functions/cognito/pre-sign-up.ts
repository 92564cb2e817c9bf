/** The user pool's pre-sign-up trigger: lets enterprises with a valid credit code sign themselves up, nobody else. */
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { signUpRefusal } from '#shared/accounts/enterprise-sign-up';
import { mapStackTracesOfBundle } from '#shared/observability/source-mapped-stacks';

// It logs nothing itself; the stack of an error it throws is logged by Lambda.
mapStackTracesOfBundle();

export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const refusal = signUpRefusal(event.triggerSource, event.request.userAttributes);
  // Cognito refuses the sign-up with the error's message.
  if (refusal) throw new Error(refusal);
  return event;
};
