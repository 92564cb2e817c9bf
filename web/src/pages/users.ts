/**
 * User management, for campaign admins and national regulators (who manage the regulators of their
 * own agency): the accounts, searched by e-mail, name or credit code; an invitation for a regulator,
 * an association or an admin; and on each account: deactivate or reactivate, reset the password and,
 * for admins, link an enterprise account to another account of the same enterprise. What the API
 * answers or refuses is said in words beside the list or the form.
 */
import { UserInvitation } from '#shared/accounts/messages';
import { invitedRoles } from '#shared/domain/account';
import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { roles } from '#shared/domain/principal';
import type { components } from '#shared/http/api-types';
import { ApiError, api, bodyOf } from '../api.ts';
import { type App, href, type PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import {
  check,
  clearIssues,
  field,
  filterField,
  input,
  problemText,
  radioGroup,
  radioOf,
  select,
  showIssues,
  showProblem,
  textOf,
} from '../forms.ts';
import { officeName } from '../i18n/offices.ts';
import { t, tx } from '../i18n.ts';
import type { Identity } from '../session.ts';
import type { BodyOf } from '../types.ts';
import { agencyChoices, badge, pageOfList, pager, provinceChoices, section, type Trails } from '../ui.ts';

type UserAccount = components['schemas']['UserAccount'];

const trails: Trails = new Map();

/** Where an account belongs: a regulator's office, an organisation's credit code; an admin, nowhere. */
const unitOf = (account: UserAccount): string =>
  (account.role === 'regulator' && account.agency && account.province
    ? officeName(account.agency, account.province)
    : account.creditCode) ?? '–';

/** The invitation form; a national regulator invites regulators of its own agency only. */
const inviteForm = (app: App, identity: Identity) => {
  const national = identity.role === 'regulator';
  const agencyField = national
    ? h(
        'p',
        { class: 'hint' },
        t('inviteAgencyFixed', { office: officeName(identity.agency ?? '', NATIONAL_PROVINCE) ?? '' }),
      )
    : field({ path: 'agency', label: t('agencyLabel') }, select('agency', agencyChoices(), { value: 'MCA' }));
  const provinceField = field(
    { path: 'province', label: t('provinceLabel') },
    select('province', provinceChoices([NATIONAL_PROVINCE, ...provinceCodes]), { value: '11' }),
  );
  const codeField = field(
    { path: 'creditCode', label: t('creditCodeLabel') },
    input({ name: 'creditCode', maxlength: 18, autocomplete: 'off', spellcheck: 'false', class: 'code' }),
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, t('inviteSubmit'));
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    national
      ? null
      : radioGroup({
          path: 'role',
          name: 'role',
          label: t('inviteRole'),
          choices: invitedRoles.map((role) => ({ value: role, label: t(`role.${role}`) })),
          value: 'regulator',
        }),
    field(
      { path: 'email', label: t('inviteEmail'), hint: t('inviteEmailHint') },
      input({ type: 'email', name: 'email', maxlength: 254, autocomplete: 'off', spellcheck: 'false' }),
    ),
    field(
      { path: 'name', label: t('inviteName') },
      input({ name: 'name', maxlength: 100, autocomplete: 'off' }),
    ),
    agencyField,
    provinceField,
    codeField,
    h('div', { class: 'actions' }, submit),
  );
  const roleOf = () => (national ? 'regulator' : radioOf(form, 'role'));
  const showRoleFields = () => {
    agencyField.hidden = roleOf() !== 'regulator';
    provinceField.hidden = roleOf() !== 'regulator';
    codeField.hidden = roleOf() !== 'association';
  };
  form.addEventListener('change', showRoleFields);
  showRoleFields();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    const role = roleOf();
    const person = { role, email: textOf(form, 'email'), name: textOf(form, 'name') };
    const body =
      role === 'regulator'
        ? {
            ...person,
            agency: national ? identity.agency : textOf(form, 'agency'),
            province: textOf(form, 'province'),
          }
        : role === 'association'
          ? { ...person, creditCode: textOf(form, 'creditCode').toUpperCase() }
          : person;
    const issues = check(UserInvitation, body);
    if (issues.length > 0) return showIssues(form, issues);
    submit.disabled = true;
    try {
      // The form's reading has passed the server's own schema (`check` above): it is an invitation.
      const account = await bodyOf(api.POST('/api/admin/users', { body: body as BodyOf<'inviteUser'> }));
      // The list opens on the new account, wherever it sorts.
      app.navigate(`/users${href('', { q: account.email }).slice(1)}`, {
        kind: 'success',
        text: t('invited', { email: account.email }),
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        showIssues(form, error.details);
      else showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
};

/** One request on an account, then the list again with what happened, or why not. */
const act = async (app: App, button: HTMLButtonElement, request: () => Promise<unknown>, done: string) => {
  button.disabled = true;
  try {
    await request();
    app.rerender({ kind: 'success', text: done });
  } catch (error) {
    button.disabled = false;
    app.rerender({ kind: 'error', text: problemText(error) });
  }
};

/** Linking an enterprise account with another one of the same credit code listed on the page. */
const linkControl = (app: App, account: UserAccount, listed: readonly UserAccount[]) => {
  const others = listed.filter(
    (other) =>
      other.role === 'enterprise' &&
      other.userId !== account.userId &&
      other.creditCode === account.creditCode,
  );
  const confirm = h('button', { type: 'submit' }, t('userLinkConfirm'));
  const form = h(
    'form',
    { class: 'stack link-form' },
    field(
      { path: 'enterpriseOf', label: t('userLinkWith'), hint: t('userLinkHint') },
      select(
        'enterpriseOf',
        others.map((other) => ({ value: other.userId, label: `${other.name} · ${other.email}` })),
      ),
    ),
    h('div', { class: 'actions' }, confirm),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(
      app,
      confirm,
      () =>
        bodyOf(
          api.POST('/api/admin/users/{id}/link', {
            params: { path: { id: account.userId } },
            body: { enterpriseOf: textOf(form, 'enterpriseOf') },
          }),
        ),
      t('userWasLinked', { name: account.name }),
    );
  });
  return h(
    'details',
    { class: 'row-action' },
    h('summary', null, t('userLink')),
    others.length > 0 ? form : h('p', { class: 'hint' }, t('userLinkNone')),
  );
};

/** What may be done to an account: never deactivating one's own. */
const actions = (app: App, identity: Identity, account: UserAccount, listed: readonly UserAccount[]) => {
  const path = { params: { path: { id: account.userId } } };
  const button = (label: string, request: () => Promise<unknown>, done: string) => {
    const element: HTMLButtonElement = h(
      'button',
      {
        type: 'button',
        'aria-label': `${label} ${account.name}`,
        onclick: () => void act(app, element, request, done),
      },
      label,
    );
    return element;
  };
  const own = account.userId === identity.subject;
  return h(
    'div',
    { class: 'row-actions' },
    account.enabled
      ? own
        ? null
        : button(
            t('userDisable'),
            () => bodyOf(api.POST('/api/admin/users/{id}/disable', path)),
            t('userWasDisabled', { name: account.name }),
          )
      : button(
          t('userEnable'),
          () => bodyOf(api.POST('/api/admin/users/{id}/enable', path)),
          t('userWasEnabled', { name: account.name }),
        ),
    button(
      t('userReset'),
      () => bodyOf(api.POST('/api/admin/users/{id}/reset', path)),
      t('userWasReset', { name: account.name, email: account.email }),
    ),
    identity.role === 'campaign-admin' && account.role === 'enterprise'
      ? linkControl(app, account, listed)
      : null,
  );
};

export const usersPage: PageRender = async ({ app, query, identity }) => {
  if (!identity) throw new Error('user management needs a signed-in identity');
  const admin = identity.role === 'campaign-admin';
  const filters = { q: query.get('q') ?? '', role: admin ? (query.get('role') ?? '') : '' };
  const { page, cursor, trail } = pageOfList(query, filters, trails);

  const list = await bodyOf(
    api.GET('/api/admin/users', {
      params: {
        query: {
          q: filters.q || undefined,
          role: (roles as readonly string[]).includes(filters.role)
            ? (filters.role as UserAccount['role'])
            : undefined,
          limit: 20,
          cursor,
        },
      },
    }),
  );
  const go = (n: number, next?: string) =>
    app.navigate(
      `/users${href('', { ...filters, page: n > 1 ? String(n) : undefined, cursor: n > 1 ? next : undefined }).slice(1)}`,
    );

  const search = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('usersListTitle') },
    field(
      { path: 'q', label: t('usersSearch'), hint: t('usersSearchHint'), optional: true },
      input({ name: 'q', maxlength: 100, value: filters.q, autocomplete: 'off', enterkeyhint: 'search' }),
    ),
    admin
      ? filterField(
          { path: 'role', label: t('colRole'), value: filters.role },
          roles.map((role) => ({ value: role, label: t(`role.${role}`) })),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('usersSearchButton'))),
  );
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    app.navigate(`/users${href('', { q: textOf(search, 'q'), role: textOf(search, 'role') }).slice(1)}`);
  });

  const rows = list.items.map((account) => [
    [account.name, account.userId === identity.subject ? ` ${t('accountOwn')}` : ''],
    account.email,
    t(`role.${account.role}`),
    unitOf(account),
    h(
      'span',
      { class: 'badges' },
      account.enabled ? badge(t('accountEnabled'), 'ok') : badge(t('accountDisabled'), 'muted'),
      ' ',
      tx('accountState', account.state),
      account.enterpriseId && account.enterpriseId !== account.userId
        ? [' ', badge(t('accountLinked'), 'muted')]
        : null,
    ),
    actions(app, identity, account, list.items),
  ]);

  return {
    title: t('usersTitle'),
    body: [
      h(
        'p',
        { class: 'lead' },
        admin
          ? t('usersIntroAdmin')
          : t('usersIntroNational', { office: officeName(identity.agency ?? '', NATIONAL_PROVINCE) ?? '' }),
      ),
      section(
        t('usersListTitle'),
        search,
        list.items.length === 0
          ? h('p', { class: 'empty' }, t('usersNone'))
          : scrollTable(
              t('usersListTitle'),
              table(
                t('usersListTitle'),
                [t('colName'), t('colEmail'), t('colRole'), t('colUnit'), t('colAccount'), t('colActions')],
                rows,
                // A phone shows each account as a card titled by the name, with everything else under it.
                { captionHidden: true, cards: { title: 0, shown: [1, 2, 3, 4, 5] } },
              ),
            ),
        pager(page, list.cursor, trail, go),
      ),
      section(t('inviteTitle'), inviteForm(app, identity)),
    ],
  };
};
