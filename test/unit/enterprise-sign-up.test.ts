/** The pre-sign-up rule of the user pool: enterprises with a valid credit code sign themselves up, nobody else. */
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { handler as postConfirmation } from '#functions/cognito/post-confirmation';
import { handler } from '#functions/cognito/pre-sign-up';
import { signUpRefusal } from '#shared/accounts/enterprise-sign-up';
import { parties } from '#test/support/fakes/records';

const signUp = (attributes: Record<string, string>) =>
  signUpRefusal('PreSignUp_SignUp', { email: 'boss@example.com', name: '某某科技有限公司', ...attributes });

/** The last character changed: the checksum no longer holds. */
const withWrongCheck = (code: string) => `${code.slice(0, 17)}${code.endsWith('0') ? '1' : '0'}`;

describe('signUpRefusal', () => {
  it('admits an enterprise with a valid credit code', () => {
    // Act
    const refusal = signUp({ 'custom:creditCode': parties.enterpriseCode });

    // Assert
    expect(refusal).toBeUndefined();
  });

  it.each([
    ['no credit code', {}],
    [
      'a credit code whose check character is wrong',
      { 'custom:creditCode': withWrongCheck(parties.enterpriseCode) },
    ],
    ["a social organization's credit code", { 'custom:creditCode': parties.associationCode }],
    ['another custom attribute', { 'custom:creditCode': parties.enterpriseCode, 'custom:agency': 'SAMR' }],
    [
      'the linked enterprise set by itself',
      { 'custom:creditCode': parties.enterpriseCode, 'custom:enterpriseId': 'x' },
    ],
  ])('refuses a sign-up with %s', (_name, attributes) => {
    // Act
    const refusal = signUp(attributes);

    // Assert
    expect(refusal).toEqual(expect.any(String));
  });

  it('lets accounts an admin creates pass: user management checked them', () => {
    // Act
    const refusal = signUpRefusal('PreSignUp_AdminCreateUser', {
      email: 'a@example.com',
      'custom:agency': 'MCA',
    });

    // Assert
    expect(refusal).toBeUndefined();
  });

  it('refuses a sign-up through another identity provider', () => {
    // Act
    const refusal = signUpRefusal('PreSignUp_ExternalProvider', {
      'custom:creditCode': parties.enterpriseCode,
    });

    // Assert
    expect(refusal).toEqual(expect.any(String));
  });
});

describe('pre-sign-up handler', () => {
  const event = (attributes: Record<string, string>) =>
    ({
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'ap-east-1_Campaign1',
      userName: 'user',
      request: { userAttributes: { email: 'boss@example.com', ...attributes } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    }) as unknown as PreSignUpTriggerEvent;

  it('answers the event unchanged for an admitted sign-up: the e-mail is still verified by code', async () => {
    // Arrange
    const admitted = event({ 'custom:creditCode': parties.enterpriseCode });

    // Act
    const answer = await handler(admitted);

    // Assert
    expect(answer.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('fails the sign-up with the refusal as its message', async () => {
    // Act
    const answering = handler(event({ 'custom:creditCode': parties.associationCode }));

    // Assert
    await expect(answering).rejects.toThrow(/行业协会商会/);
  });
});

describe('post-confirmation handler', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  const confirmation = (triggerSource: string) =>
    ({
      triggerSource,
      userPoolId: 'ap-east-1_Campaign1',
      userName: 'sub-1',
      request: { userAttributes: {} },
      response: {},
    }) as unknown as PostConfirmationTriggerEvent;

  it('puts an enterprise that confirmed its sign-up in the enterprise group', async () => {
    // Arrange
    cognito.reset();
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    // Act
    await postConfirmation(confirmation('PostConfirmation_ConfirmSignUp'));

    // Assert
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: 'ap-east-1_Campaign1', Username: 'sub-1', GroupName: 'enterprise' },
    ]);
  });

  it('changes no group when a forgotten password is confirmed', async () => {
    // Arrange
    cognito.reset();

    // Act
    await postConfirmation(confirmation('PostConfirmation_ConfirmForgotPassword'));

    // Assert
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toEqual([]);
  });
});
