/**
 * The e-mails of the local account store (on AWS Cognito sends its own): the invitation and the new
 * temporary password after a reset. Chinese first in the register of government service notices,
 * English below, one message for both since the account's language is not known yet.
 */
import type { EmailMessage } from '#shared/deliver-notifications/ports';

export interface TemporaryPasswordMail {
  to: string;
  name: string;
  temporaryPassword: string;
  /** Where to sign in: the portal's address. */
  signInUrl: string;
}

const zhRoles = {
  regulator: '监管部门',
  association: '行业协会商会',
  'campaign-admin': '专项行动管理员',
} as const;

/** Where to sign in, with what, in both languages, around what each e-mail says before and after. */
const temporaryPasswordText = (
  mail: TemporaryPasswordMail,
  zh: { opening: string; closing: string },
  en: { opening: string; closing: string },
): string =>
  [
    `${mail.name}：`,
    '',
    zh.opening,
    `登录地址：${mail.signInUrl}`,
    `登录账号：${mail.to}`,
    `临时密码：${mail.temporaryPassword}`,
    zh.closing,
    '',
    '—',
    '',
    `Dear ${mail.name},`,
    '',
    en.opening,
    `Sign in at: ${mail.signInUrl}`,
    `User name: ${mail.to}`,
    `Temporary password: ${mail.temporaryPassword}`,
    en.closing,
  ].join('\n');

export const invitationEmail = (
  mail: TemporaryPasswordMail & { role: keyof typeof zhRoles },
): EmailMessage => ({
  to: mail.to,
  language: 'zh-CN',
  subject: '【涉企收费治理】账号开通通知 / Your account is ready',
  text: temporaryPasswordText(
    mail,
    {
      opening: `您好！涉企违规收费整治平台已为您开通${zhRoles[mail.role]}账号。`,
      closing: '首次登录时须设置新密码，临时密码随即失效。请勿将密码告知他人；如非本人申请，请忽略本邮件。',
    },
    {
      opening: 'An account of the fee campaign platform has been opened for you.',
      closing:
        'You set a new password at your first sign-in; the temporary one then stops working. Never share your password.',
    },
  ),
});

export const passwordResetEmail = (mail: TemporaryPasswordMail): EmailMessage => ({
  to: mail.to,
  language: 'zh-CN',
  subject: '【涉企收费治理】密码重置通知 / Your password was reset',
  text: temporaryPasswordText(
    mail,
    {
      opening:
        '您好！管理员已重置您在涉企违规收费整治平台的登录密码，原密码已失效，各设备上的登录状态均已退出。',
      closing: '登录时须设置新密码。如有疑问，请联系平台管理员。',
    },
    {
      opening:
        'An administrator reset your password of the fee campaign platform: the old one no longer works and you were signed out everywhere.',
      closing: 'You set a new password when you sign in.',
    },
  ),
});
