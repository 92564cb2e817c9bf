/**
 * The identity provider's own pages (统一身份认证): sign-in, a new password in place of a temporary
 * one, enterprise registration and its e-mail code, sign-out. Server-rendered, no script (the CSP
 * allows none inline), Chinese first with English by `?lang=en` or Accept-Language; 360 px wide.
 */
import type { IncomingMessage } from 'node:http';

export type PageLanguage = 'zh-CN' | 'en';

export const pageLanguage = (req: IncomingMessage): PageLanguage => {
  const lang = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('lang');
  if (lang === 'en' || lang === 'zh-CN') return lang;
  const accepted = (req.headers['accept-language'] ?? '').toLowerCase();
  return accepted.startsWith('en') ? 'en' : 'zh-CN';
};

const copy = {
  'zh-CN': {
    service: '行业协会商会涉企收费治理 · 统一身份认证',
    signIn: '登录',
    signInLead: '请使用注册或受邀时的电子邮箱登录。',
    email: '电子邮箱',
    password: '密码',
    submitSignIn: '登录',
    register: '注册企业账号',
    registerLead: '企业可自行注册账号，在线反映涉企收费问题、查询办理进度。',
    confirm: '再次输入密码',
    enterpriseName: '企业名称',
    creditCode: '统一社会信用代码',
    creditCodeHint: '18 位，以营业执照为准',
    submitRegister: '获取邮箱验证码',
    haveAccount: '已有账号？返回登录',
    verify: '验证电子邮箱',
    verifyLead: '验证码已发送至您填写的电子邮箱，10 分钟内有效。',
    code: '6 位验证码',
    submitVerify: '完成注册',
    newPassword: '设置新密码',
    newPasswordLead: '您正在使用临时密码，请设置新密码后继续。',
    submitPassword: '保存并继续',
    policy: '密码至少 12 位，须同时包含大写字母、小写字母、数字和符号。',
    signOut: '退出登录',
    signOutLead: '确认退出统一身份认证？退出后需重新登录。',
    submitSignOut: '确认退出',
    stay: '暂不退出',
    signedOut: '您已安全退出。',
    backToPortal: '返回门户首页',
    errorTitle: '无法完成认证',
    switchLanguage: 'English',
    errors: {
      credentials: '电子邮箱或密码不正确，或账号已被暂时锁定。连续 5 次输错密码，账号将锁定 15 分钟。',
      policy: '新密码不符合要求：至少 12 位，须同时包含大写字母、小写字母、数字和符号。',
      mismatch: '两次输入的密码不一致。',
      email: '请填写有效的电子邮箱。',
      name: '请填写企业名称。',
      creditCode: '统一社会信用代码有误，请核对营业执照。',
      socialOrganization: '该代码属于社会组织。行业协会商会账号由工作人员开通，请联系主管部门。',
      code: '验证码不正确或已过期。',
      codeExhausted: '验证码错误次数过多，请重新注册。',
      origin: '请求来源无效，请从登录页面重新提交。',
      expired: '登录页面已过期，请返回门户重新登录。',
    },
  },
  en: {
    service: 'Fee-burden campaign · Sign-in service',
    signIn: 'Sign in',
    signInLead: 'Sign in with the e-mail address you registered or were invited with.',
    email: 'E-mail',
    password: 'Password',
    submitSignIn: 'Sign in',
    register: 'Register an enterprise account',
    registerLead: 'Enterprises register themselves to report fees and follow their cases.',
    confirm: 'Password again',
    enterpriseName: 'Enterprise name',
    creditCode: 'Unified social credit code',
    creditCodeHint: '18 characters, as on the business licence',
    submitRegister: 'Send the e-mail code',
    haveAccount: 'Already registered? Sign in',
    verify: 'Verify your e-mail',
    verifyLead: 'A code was sent to the address you gave; it is valid for 10 minutes.',
    code: '6-digit code',
    submitVerify: 'Finish registration',
    newPassword: 'Set a new password',
    newPasswordLead: 'You signed in with a temporary password; set your own to continue.',
    submitPassword: 'Save and continue',
    policy: 'At least 12 characters, with upper and lower case letters, a digit and a symbol.',
    signOut: 'Sign out',
    signOutLead: 'Sign out of the sign-in service? You will have to sign in again.',
    submitSignOut: 'Sign out',
    stay: 'Stay signed in',
    signedOut: 'You have signed out.',
    backToPortal: 'Back to the portal',
    errorTitle: 'Sign-in could not be completed',
    switchLanguage: '中文',
    errors: {
      credentials:
        'The e-mail or password is wrong, or the account is locked for a while. Five wrong passwords in a row lock it for 15 minutes.',
      policy:
        'The new password does not meet the policy: at least 12 characters, with upper and lower case letters, a digit and a symbol.',
      mismatch: 'The two passwords differ.',
      email: 'Enter a valid e-mail address.',
      name: 'Enter the enterprise name.',
      creditCode: 'The credit code is not valid; check the business licence.',
      socialOrganization:
        'This code belongs to a social organization. Association accounts are opened by the campaign staff.',
      code: 'The code is wrong or has expired.',
      codeExhausted: 'Too many wrong codes: please register again.',
      origin: 'The request came from elsewhere; submit it again from the sign-in page.',
      expired: 'This sign-in page has expired; start again from the portal.',
    },
  },
} as const;

export type PageError = keyof (typeof copy)['zh-CN']['errors'];
type Copy = (typeof copy)[PageLanguage];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

interface Field {
  name: string;
  label: keyof Copy;
  type: 'email' | 'password' | 'text';
  autocomplete: string;
  value?: string;
  hint?: keyof Copy;
  extra?: string;
}

const field = (t: Copy, f: Field) => {
  const hint = f.hint ? `<p class="hint" id="${f.name}-hint">${t[f.hint]}</p>` : '';
  return `<div class="field"><label for="${f.name}">${t[f.label]}</label>${hint}<input id="${f.name}" name="${f.name}" type="${f.type}" autocomplete="${f.autocomplete}" required${f.value ? ` value="${escapeHtml(f.value)}"` : ''}${f.hint ? ` aria-describedby="${f.name}-hint"` : ''}${f.extra ?? ''}></div>`;
};

const layout = (lang: PageLanguage, title: string, body: string, switchHref?: string) => {
  const t = copy[lang];
  const other = lang === 'en' ? 'zh-CN' : 'en';
  const toggle = switchHref
    ? `<a class="lang" href="${escapeHtml(switchHref)}?lang=${other}" lang="${other}">${t.switchLanguage}</a>`
    : '';
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} - ${t.service}</title><link rel="stylesheet" href="/oidc/assets/style.css"></head><body><header><span>${t.service}</span>${toggle}</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
};

const errorBlock = (t: Copy, error?: PageError) =>
  error ? `<div class="error" role="alert"><p>${t.errors[error]}</p></div>` : '';

export const loginPage = (
  lang: PageLanguage,
  uid: string,
  options: { email?: string; error?: PageError },
) => {
  const t = copy[lang];
  const base = `/oidc/interaction/${uid}`;
  return layout(
    lang,
    t.signIn,
    `${errorBlock(t, options.error)}<p>${t.signInLead}</p><form method="post" action="${base}/login?lang=${lang}" novalidate>${field(t, { name: 'email', label: 'email', type: 'email', autocomplete: 'username', value: options.email })}${field(t, { name: 'password', label: 'password', type: 'password', autocomplete: 'current-password' })}<button type="submit">${t.submitSignIn}</button></form><p class="alt"><a href="${base}/register?lang=${lang}">${t.register}</a></p>`,
    base,
  );
};

export const passwordPage = (lang: PageLanguage, uid: string, error?: PageError) => {
  const t = copy[lang];
  return layout(
    lang,
    t.newPassword,
    `${errorBlock(t, error)}<p>${t.newPasswordLead}</p><form method="post" action="/oidc/interaction/${uid}/password?lang=${lang}" novalidate>${field(t, { name: 'password', label: 'password', type: 'password', autocomplete: 'new-password', hint: 'policy', extra: ' minlength="12"' })}${field(t, { name: 'confirm', label: 'confirm', type: 'password', autocomplete: 'new-password' })}<button type="submit">${t.submitPassword}</button></form>`,
  );
};

export interface RegistrationForm {
  email?: string;
  enterpriseName?: string;
  creditCode?: string;
}

export const registerPage = (lang: PageLanguage, uid: string, form: RegistrationForm, error?: PageError) => {
  const t = copy[lang];
  const base = `/oidc/interaction/${uid}`;
  return layout(
    lang,
    t.register,
    `${errorBlock(t, error)}<p>${t.registerLead}</p><form method="post" action="${base}/register?lang=${lang}" novalidate>${field(t, { name: 'enterpriseName', label: 'enterpriseName', type: 'text', autocomplete: 'organization', value: form.enterpriseName })}${field(t, { name: 'creditCode', label: 'creditCode', type: 'text', autocomplete: 'off', value: form.creditCode, hint: 'creditCodeHint', extra: ' maxlength="18" autocapitalize="characters"' })}${field(t, { name: 'email', label: 'email', type: 'email', autocomplete: 'email', value: form.email })}${field(t, { name: 'password', label: 'password', type: 'password', autocomplete: 'new-password', hint: 'policy' })}${field(t, { name: 'confirm', label: 'confirm', type: 'password', autocomplete: 'new-password' })}<button type="submit">${t.submitRegister}</button></form><p class="alt"><a href="${base}?lang=${lang}">${t.haveAccount}</a></p>`,
    `${base}/register`,
  );
};

export const verifyPage = (lang: PageLanguage, uid: string, error?: PageError) => {
  const t = copy[lang];
  return layout(
    lang,
    t.verify,
    `${errorBlock(t, error)}<p>${t.verifyLead}</p><form method="post" action="/oidc/interaction/${uid}/verify?lang=${lang}" novalidate>${field(t, { name: 'code', label: 'code', type: 'text', autocomplete: 'one-time-code', extra: ' inputmode="numeric" pattern="[0-9]{6}" maxlength="6"' })}<button type="submit">${t.submitVerify}</button></form>`,
  );
};

/** oidc-provider's sign-out confirmation: its form (hidden fields) and our buttons. */
export const signOutPage = (lang: PageLanguage, form: string) => {
  const t = copy[lang];
  return layout(
    lang,
    t.signOut,
    `<p>${t.signOutLead}</p>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">${t.submitSignOut}</button><button class="secondary" type="submit" form="op.logoutForm">${t.stay}</button>`,
  );
};

export const signedOutPage = (lang: PageLanguage) => {
  const t = copy[lang];
  return layout(lang, t.signOut, `<p>${t.signedOut}</p><p><a href="/">${t.backToPortal}</a></p>`);
};

export const errorPage = (lang: PageLanguage, error: PageError | string) => {
  const t = copy[lang];
  const text = error in t.errors ? t.errors[error as PageError] : error;
  return layout(
    lang,
    t.errorTitle,
    `<div class="error" role="alert"><p>${escapeHtml(text)}</p></div><p><a href="/">${t.backToPortal}</a></p>`,
  );
};

/** The portal's colours and type (web/src/app.css), plainly. */
export const stylesheet = `:root{--ink:#1a1c20;--muted:#4a4f57;--line:#c4c9d1;--brand:#1d56b3;--brand-dark:#123d82;--focus:#ffbf47;--danger:#a1261b;--danger-bg:#fdecea;font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:16px;line-height:1.5;color:var(--ink);background:#f4f6f9}
*{box-sizing:border-box}body{margin:0;min-width:320px}
header{display:flex;justify-content:space-between;gap:1rem;align-items:center;padding:.75rem 1rem;background:var(--brand-dark);color:#fff;font-weight:600}
header a{color:#fff}
main{max-width:28rem;margin:1.5rem auto;padding:1.25rem 1rem;background:#fff;border:1px solid var(--line);border-radius:4px}
h1{font-size:1.5rem;margin:0 0 1rem}
.field{margin:0 0 1rem}label{display:block;font-weight:600;margin-bottom:.25rem}
.hint{margin:0 0 .25rem;color:var(--muted);font-size:.875rem}
input{width:100%;font:inherit;padding:.5rem;border:2px solid var(--ink);border-radius:2px;min-height:2.75rem}
button{display:block;width:100%;font:inherit;font-weight:600;min-height:2.75rem;margin:0 0 .75rem;border:0;border-radius:4px;background:var(--brand);color:#fff;cursor:pointer}
button:hover{background:var(--brand-dark)}button.secondary{background:#fff;color:var(--brand-dark);border:2px solid var(--brand-dark)}
a{color:var(--brand-dark)}:focus-visible{outline:3px solid var(--ink);outline-offset:2px;box-shadow:0 0 0 6px var(--focus)}
.error{border-left:5px solid var(--danger);background:var(--danger-bg);padding:.5rem .75rem;margin:0 0 1rem}.error p{margin:0;color:var(--danger)}
.alt{text-align:center}`;
