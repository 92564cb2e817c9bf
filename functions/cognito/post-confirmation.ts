/**
 * The user pool's post-confirmation trigger: an enterprise that signed itself up and confirmed its
 * e-mail joins the `enterprise` group, the role its tokens carry. A forgotten password confirmed later
 * changes no group.
 */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { addToGroup, cognitoClient } from '#shared/adapters/cognito-account-directory';
import { mapStackTracesOfBundle } from '#shared/observability/source-mapped-stacks';

// It logs nothing itself; the stack of an error it throws is logged by Lambda.
mapStackTracesOfBundle();

export const handler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
  if (event.triggerSource === 'PostConfirmation_ConfirmSignUp')
    await addToGroup(cognitoClient, event.userPoolId, event.userName, 'enterprise');
  return event;
};
