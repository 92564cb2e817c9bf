/**
 * Who may sign itself up on AWS (the user pool's pre-sign-up trigger): enterprises only, each with a
 * valid unified social credit code of an enterprise, and nothing but its e-mail, name and credit code.
 * Accounts an admin creates pass (their role and attributes are the admin's choice, checked by user
 * management); sign-ups through another identity provider are refused, the pool federates none.
 */
import { isSocialOrganization, isValidCreditCode } from '#shared/domain/credit-code';

/** Attributes a self sign-up may carry: Cognito's own, e-mail, name, and the credit code. */
const allowedAttributes = new Set(['email', 'name', 'custom:creditCode']);
const cognitoOwn = new Set(['sub', 'email_verified', 'cognito:user_status', 'cognito:email_alias']);

export type SignUpSource = 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';

/** Why the sign-up is refused (Chinese, then English: the hosted UI shows it as it is), or undefined. */
export const signUpRefusal = (
  source: SignUpSource,
  attributes: Record<string, string>,
): string | undefined => {
  if (source === 'PreSignUp_AdminCreateUser') return undefined;
  if (source !== 'PreSignUp_SignUp') return '不支持此注册方式。Sign-up this way is not offered.';
  const extra = Object.keys(attributes).filter(
    (name) => !allowedAttributes.has(name) && !cognitoOwn.has(name),
  );
  if (extra.length > 0) return '注册信息含有不允许填写的项目。The sign-up carries attributes it may not set.';
  const creditCode = attributes['custom:creditCode'] ?? '';
  if (!isValidCreditCode(creditCode))
    return '统一社会信用代码有误，请核对后重新填写。The unified social credit code is not valid.';
  if (isSocialOrganization(creditCode))
    return '行业协会商会账号由平台管理员开通，无需自行注册。Associations are given accounts by the campaign; they do not sign up.';
  return undefined;
};
