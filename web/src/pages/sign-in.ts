/**
 * Sign-in: a button to the provider (authorization code + PKCE), the Cognito hosted UI on AWS or the
 * local runtime's unified sign-in, where enterprises also register. A runtime started with development
 * identities (or served without a provider) also offers them: pick a role, credit code, agency and
 * province, issued by `POST /local/token`.
 */
import { CreditCode, makeCreditCode, NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { type App, homeOf, type PageRender } from '../app.ts';
import type { SiteConfig } from '../config.ts';
import { h } from '../dom.ts';
import {
  check,
  clearIssues,
  field,
  input,
  radioGroup,
  radioOf,
  select,
  showIssues,
  showProblem,
  textOf,
} from '../forms.ts';
import { provinceName, t } from '../i18n.ts';
import {
  beginProviderSignIn,
  type ProviderConfig,
  type Role,
  SignInError,
  signInLocally,
} from '../session.ts';
import { agencyChoices } from '../ui.ts';

const examples: Partial<Record<Role, string>> = {
  enterprise: makeCreditCode('91110000MA0000001'),
  association: makeCreditCode('51110000MJ0000001'),
};

/** Only a path inside the site may be the next page. */
const safeNext = (next: string | null): string | undefined =>
  next?.startsWith('/') && !next.startsWith('//') && next !== '/sign-in' ? next : undefined;

/** The provider's sign-in; the local one also registers enterprises, from its sign-in form. */
const providerSignIn = (config: ProviderConfig, next: string | undefined) => [
  h('p', { class: 'lead' }, t(config.mode === 'oidc' ? 'signInOidcIntro' : 'signInCognitoIntro')),
  h(
    'p',
    null,
    h(
      'button',
      { type: 'button', class: 'primary', onclick: () => void beginProviderSignIn(config, next ?? '/') },
      t(config.mode === 'oidc' ? 'signInOidcButton' : 'signInCognitoButton'),
    ),
  ),
  config.mode === 'oidc' ? h('p', { class: 'hint' }, t('signInRegisterHint')) : null,
];

/** Development identities: a site served without a provider, or a runtime started with LOCAL_DEV_TOKENS=1. */
const offersDevelopmentIdentities = (config: SiteConfig): boolean =>
  config.mode === 'local' || (config.mode === 'oidc' && config.devTokens === true);

export const signInPage: PageRender = ({ app, query }) => {
  const next = safeNext(query.get('next'));
  const provider = app.config.mode === 'local' ? undefined : app.config;
  return {
    title: t('signInTitle'),
    body: [
      provider ? providerSignIn(provider, next) : h('p', { class: 'lead' }, t('signInLocalIntro')),
      offersDevelopmentIdentities(app.config) ? developmentSignIn(app, next, provider !== undefined) : null,
    ],
  };
};

/** The development-identity picker; beside a provider it is marked as a development aid. */
const developmentSignIn = (app: App, next: string | undefined, besideProvider: boolean) => {
  const roles: Role[] = ['enterprise', 'regulator', 'association', 'campaign-admin'];
  const codeInput = input({
    name: 'creditCode',
    maxlength: 18,
    autocomplete: 'off',
    spellcheck: 'false',
    class: 'code',
    value: examples.enterprise,
  });
  const codeField = field(
    {
      path: 'creditCode',
      label: t('creditCodeLabel'),
      hint: t('creditCodeHint', { example: examples.enterprise ?? '' }),
    },
    codeInput,
  );
  const agencyField = field(
    { path: 'agency', label: t('agencyLabel') },
    select('agency', agencyChoices(), { value: 'MCA' }),
  );
  const provinceField = field(
    { path: 'province', label: t('provinceLabel') },
    select(
      'province',
      [NATIONAL_PROVINCE, ...provinceCodes].map((code) => ({
        value: code,
        label: code === NATIONAL_PROVINCE ? t('provinceNational') : provinceName(code),
      })),
      { value: '11' },
    ),
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const form = h(
    'form',
    { novalidate: true, class: 'stack card' },
    radioGroup({
      path: 'role',
      name: 'role',
      label: t('roleLabel'),
      choices: roles.map((role) => ({ value: role, label: t(`role.${role}`) })),
      value: 'enterprise',
    }),
    codeField,
    agencyField,
    provinceField,
    field(
      { path: 'name', label: t('nameLabel'), optional: true },
      input({ name: 'name', maxlength: 200, autocomplete: 'name' }),
    ),
    h('div', { class: 'actions' }, submit),
  );

  let lastExample = examples.enterprise;
  const showRoleFields = () => {
    const role = (radioOf(form, 'role') || 'enterprise') as Role;
    codeField.hidden = role !== 'enterprise' && role !== 'association';
    agencyField.hidden = role !== 'regulator';
    provinceField.hidden = role !== 'regulator';
    const example = examples[role];
    if (example && (codeInput.value === '' || codeInput.value === lastExample)) {
      codeInput.value = example;
      lastExample = example;
    }
  };
  form.addEventListener('change', showRoleFields);
  showRoleFields();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    const role = radioOf(form, 'role') as Role;
    const name = textOf(form, 'name');
    const request: Record<string, string> = { role, ...(name ? { name } : {}) };
    if (role === 'enterprise' || role === 'association') {
      request.creditCode = textOf(form, 'creditCode').toUpperCase();
      const issues = check(CreditCode, request.creditCode).map((issue) => ({ ...issue, path: 'creditCode' }));
      if (issues.length > 0) return showIssues(form, issues);
    }
    if (role === 'regulator') {
      request.agency = textOf(form, 'agency');
      request.province = textOf(form, 'province');
    }
    submit.disabled = true;
    try {
      const session = await signInLocally(request);
      app.navigate(next ?? homeOf(session.identity.role));
    } catch (error) {
      if (error instanceof SignInError && error.details.length > 0) showIssues(form, error.details);
      else {
        showProblem(form, error);
      }
    } finally {
      submit.disabled = false;
    }
  });

  return besideProvider
    ? h(
        'section',
        { class: 'development-sign-in', 'aria-labelledby': 'development-sign-in' },
        h('h2', { id: 'development-sign-in' }, t('signInDevelopmentTitle')),
        h('p', { class: 'hint' }, t('signInDevelopmentHint')),
        form,
      )
    : form;
};
