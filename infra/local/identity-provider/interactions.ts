/**
 * The provider's interactions under `/oidc/interaction/{uid}`: sign-in (with lockout), a new password
 * in place of a temporary one, and enterprise registration with an e-mail code. oidc-provider's
 * interaction cookie ties each form to the browser that started the sign-in; a POST whose Origin is
 * another site is refused as well.
 */
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { type AccountStore, lockout } from '#infra/local/identity-provider/account-store';
import {
  errorPage,
  loginPage,
  type PageError,
  type PageLanguage,
  pageLanguage,
  passwordPage,
  type RegistrationForm,
  registerPage,
  verifyPage,
} from '#infra/local/identity-provider/pages';
import { registrationCodeRules } from '#infra/local/identity-provider/registration-code';
import type { RegistrationStore } from '#infra/local/identity-provider/registrations';
import { mediaTypeOf, readBodyUpTo } from '#infra/local/requests';
import { hashPassword, verifyPassword } from '#shared/adapters/password-hash';
import type { EmailSender } from '#shared/deliver-notifications/ports';
import { isSocialOrganization, isValidCreditCode } from '#shared/domain/credit-code';

/** Cognito's password policy of the user pool (infra/aws/campaign-stack.ts). */
export const meetsPasswordPolicy = (password: string): boolean =>
  password.length >= 12 &&
  /[a-z]/.test(password) &&
  /[A-Z]/.test(password) &&
  /[0-9]/.test(password) &&
  /[^A-Za-z0-9]/.test(password);

const maxFormBytes = 4 * 1024;
/** Compared against when the e-mail has no account, so both answers take as long. */
const unknownAccountHash = hashPassword(randomUUID());

export interface InteractionOptions {
  provider: Provider;
  accounts: AccountStore;
  registrations: RegistrationStore;
  email: EmailSender;
  pageHeaders: Record<string, string>;
}

/** A form posted to one step of an interaction. */
interface Step {
  req: IncomingMessage;
  res: ServerResponse;
  lang: PageLanguage;
  uid: string;
  form: URLSearchParams;
}

const codeHash = (code: string) => createHash('sha256').update(code).digest();

export const identityInteractions = (options: InteractionOptions) => {
  const { provider, accounts, registrations } = options;

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { ...options.pageHeaders, 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };

  const readForm = async (req: IncomingMessage, res: ServerResponse) => {
    if (mediaTypeOf(req) !== 'application/x-www-form-urlencoded') return undefined;
    const body = await readBodyUpTo(req, res, maxFormBytes);
    return body === undefined ? undefined : new URLSearchParams(body.toString('utf8'));
  };

  /** A browser names the page that sent a form; only our own pages may post here. */
  const fromOwnPage = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${req.headers.host}`;
  };

  const signIn = async ({ req, res, lang, uid, form }: Step) => {
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const password = form.get('password') ?? '';
    const account = email ? await accounts.findByEmail(email) : undefined;
    const refuse = () => send(res, 200, loginPage(lang, uid, { email, error: 'credentials' }));
    if (!account?.passwordHash) {
      await verifyPassword(password, await unknownAccountHash);
      return refuse();
    }
    if (account.lockedUntil && Date.parse(account.lockedUntil) > Date.now()) return refuse();
    if (!(await verifyPassword(password, account.passwordHash))) {
      await accounts.recordFailedSignIn(account);
      return refuse();
    }
    if (!account.enabled || account.state === 'UNCONFIRMED') return refuse();
    await accounts.recordSignIn(account.userId);
    if (account.state === 'INVITED' || account.state === 'RESET_REQUIRED') {
      // Signed in, not finished: the next form sets the password, then the sign-in completes.
      await provider.interactionResult(
        req,
        res,
        { passwordChange: { accountId: account.userId } },
        { mergeWithLastSubmission: false },
      );
      return send(res, 200, passwordPage(lang, uid));
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.userId } });
  };

  const changePassword = async ({ req, res, lang, uid, form }: Step, accountId: string | undefined) => {
    if (!accountId) return send(res, 400, errorPage(lang, 'expired'));
    const password = form.get('password') ?? '';
    if (!meetsPasswordPolicy(password)) return send(res, 200, passwordPage(lang, uid, 'policy'));
    if (password !== form.get('confirm')) return send(res, 200, passwordPage(lang, uid, 'mismatch'));
    await accounts.setPassword(accountId, await hashPassword(password));
    await provider.interactionFinished(req, res, { login: { accountId } });
  };

  const register = async ({ res, lang, uid, form }: Step) => {
    const entered: RegistrationForm = {
      email: (form.get('email') ?? '').trim().toLowerCase(),
      enterpriseName: (form.get('enterpriseName') ?? '').trim(),
      creditCode: (form.get('creditCode') ?? '').trim().toUpperCase(),
    };
    const password = form.get('password') ?? '';
    const problem: PageError | undefined = !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(entered.email ?? '')
      ? 'email'
      : !entered.enterpriseName || (entered.enterpriseName?.length ?? 0) > 100
        ? 'name'
        : !isValidCreditCode(entered.creditCode ?? '')
          ? 'creditCode'
          : isSocialOrganization(entered.creditCode ?? '')
            ? 'socialOrganization'
            : !meetsPasswordPolicy(password)
              ? 'policy'
              : password !== form.get('confirm')
                ? 'mismatch'
                : undefined;
    if (problem) return send(res, 200, registerPage(lang, uid, entered, problem));
    const { email = '', enterpriseName = '', creditCode = '' } = entered;
    const userId = randomUUID();
    const now = new Date().toISOString();
    // Hashed whether or not it is used, so the answer takes as long for an address that has an account.
    const passwordHash = await hashPassword(password);
    // A sign-up never verified within its code's time gives its address back.
    const existing = await accounts.findByEmail(email);
    const abandoned =
      existing?.state === 'UNCONFIRMED' &&
      Date.parse(existing.createdAt) + registrationCodeRules.minutes * 60_000 < Date.now()
        ? existing
        : undefined;
    const created =
      (existing === undefined || abandoned !== undefined) &&
      (await accounts.createInPlaceOf(
        abandoned,
        {
          userId,
          email,
          name: enterpriseName,
          role: 'enterprise',
          creditCode,
          enabled: true,
          state: 'UNCONFIRMED',
          createdAt: now,
          updatedAt: now,
        },
        passwordHash,
      ));
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    // The same page either way: whether an address has an account is told only to its owner.
    await registrations.start(uid, created ? { userId, codeHash: codeHash(code) } : {});
    await options.email.send(
      created ? codeMessage(email, code, lang) : alreadyRegisteredMessage(email, lang),
    );
    send(res, 200, verifyPage(lang, uid));
  };

  const verify = async ({ req, res, lang, uid, form }: Step) => {
    const registration = await registrations.get(uid);
    if (!registration) return send(res, 200, verifyPage(lang, uid, 'code'));
    if (registration.tries >= registrationCodeRules.tries)
      return send(res, 200, verifyPage(lang, uid, 'codeExhausted'));
    const given = codeHash((form.get('code') ?? '').trim());
    const matches =
      registration.userId !== undefined &&
      registration.codeHash !== undefined &&
      timingSafeEqual(given, registration.codeHash);
    if (!matches || !registration.userId) {
      await registrations.countTry(uid);
      return send(res, 200, verifyPage(lang, uid, 'code'));
    }
    await accounts.confirm(registration.userId);
    await registrations.end(uid);
    await provider.interactionFinished(req, res, { login: { accountId: registration.userId } });
  };

  /** Answers `/oidc/interaction/...`; false for other paths. */
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/oidc\/interaction\/([\w-]+)(?:\/(login|password|register|verify))?$/.exec(url.pathname);
    if (!match) return false;
    const [, uid = '', step] = match;
    const lang = pageLanguage(req);
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      send(res, 400, errorPage(lang, 'expired'));
      return true;
    }
    if (details.uid !== uid) {
      send(res, 400, errorPage(lang, 'expired'));
      return true;
    }
    if (req.method === 'GET') {
      if (step === 'register') send(res, 200, registerPage(lang, uid, {}));
      else if (step === undefined) send(res, 200, loginPage(lang, uid, {}));
      else return false;
      return true;
    }
    if (req.method !== 'POST' || step === undefined) return false;
    if (!fromOwnPage(req)) {
      send(res, 403, errorPage(lang, 'origin'));
      return true;
    }
    const form = await readForm(req, res);
    if (!form) {
      send(res, 400, errorPage(lang, 'expired'));
      return true;
    }
    const pending = (details.result as { passwordChange?: { accountId?: string } } | undefined)
      ?.passwordChange?.accountId;
    const submitted: Step = { req, res, lang, uid, form };
    if (step === 'login') await signIn(submitted);
    else if (step === 'password') await changePassword(submitted, pending);
    else if (step === 'register') await register(submitted);
    else await verify(submitted);
    return true;
  };
};

const codeMessage = (to: string, code: string, language: PageLanguage) =>
  language === 'en'
    ? {
        to,
        language,
        subject: 'Your registration code',
        text: `Your code to register an enterprise account is ${code}. It is valid for ${registrationCodeRules.minutes} minutes. If you did not ask for it, ignore this message.`,
      }
    : {
        to,
        language,
        subject: '企业账号注册验证码',
        text: `您正在注册收费负担减轻专项行动企业账号，验证码为 ${code}，${registrationCodeRules.minutes} 分钟内有效。如非本人操作，请忽略本邮件。`,
      };

const alreadyRegisteredMessage = (to: string, language: PageLanguage) =>
  language === 'en'
    ? {
        to,
        language,
        subject: 'Someone tried to register with your address',
        text: `Someone tried to register an enterprise account with this address, which already has an account. If it was you, sign in instead (after ${lockout.failures} wrong passwords the account is locked for ${lockout.minutes} minutes; an administrator can reset it). If not, no action is needed.`,
      }
    : {
        to,
        language,
        subject: '您的邮箱已注册账号',
        text: `有人尝试使用本邮箱注册企业账号，但该邮箱已有账号。如为本人操作，请直接登录（连续 ${lockout.failures} 次输错密码将锁定 ${lockout.minutes} 分钟，可联系管理员重置密码）；如非本人操作，无需处理。`,
      };
