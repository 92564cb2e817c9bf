/**
 * The portal's entry: loads the sign-in configuration, finishes a Cognito sign-in when coming back from
 * the hosted UI, draws the frame (skip link, navigation, language switch) and renders the page of the
 * current hash route.
 */
import * as z from '#shared/domain/schema';
import { api, bodyOf, sessionEndedEvent } from './api.ts';
import { type App, type Flash, homeOf, matchRoute, type PageContext, parseHash, type Route } from './app.ts';
import { loadConfig, type SiteConfig } from './config.ts';
import { h } from './dom.ts';
import { failureNotice, notice, problemText } from './forms.ts';
import { officeName } from './i18n/offices.ts';
import { lang, setLang, t } from './i18n.ts';
import { casePage } from './pages/case.ts';
import { casesPage } from './pages/cases.ts';
import { complaintPage } from './pages/complaint.ts';
import { complaintFormPage } from './pages/complaint-form.ts';
import { complaintsPage } from './pages/complaints.ts';
import { campaignPage, dashboardPage, outcomesCsvLink } from './pages/dashboard.ts';
import { inboxPage } from './pages/inbox.ts';
import { infoPage } from './pages/info.ts';
import { notificationsPage } from './pages/notifications.ts';
import { ordersPage } from './pages/orders.ts';
import { receiptPage, trackPage } from './pages/progress.ts';
import { signInPage } from './pages/sign-in.ts';
import { completeCognitoSignIn, currentSession, type Role, SignInError, signOut } from './session.ts';

// zod would probe `new Function` for speed; the CSP forbids eval, so do not even try.
z.config({ jitless: true });

const routes: Route[] = [
  { pattern: '/campaign', render: campaignPage },
  { pattern: '/sign-in', render: signInPage },
  { pattern: '/complaints', roles: ['enterprise'], render: complaintsPage },
  { pattern: '/complaints/new', roles: ['enterprise'], render: complaintFormPage },
  {
    pattern: '/complaints/:id',
    roles: ['enterprise', 'regulator', 'campaign-admin'],
    render: complaintPage,
    notFound: 'problemComplaintNotFound',
  },
  {
    pattern: '/complaints/:id/receipt',
    roles: ['enterprise'],
    render: receiptPage,
    notFound: 'problemComplaintNotFound',
  },
  { pattern: '/track', render: trackPage },
  { pattern: '/info/:taskId', roles: ['enterprise'], render: infoPage },
  { pattern: '/inbox', roles: ['regulator', 'campaign-admin'], render: inboxPage },
  { pattern: '/cases', roles: ['regulator', 'campaign-admin'], render: casesPage },
  { pattern: '/cases/:id', roles: ['regulator', 'campaign-admin', 'association'], render: casePage },
  { pattern: '/orders', roles: ['association'], render: ordersPage },
  { pattern: '/dashboard', roles: ['regulator', 'campaign-admin'], render: dashboardPage },
  {
    pattern: '/notifications',
    roles: ['enterprise', 'regulator', 'association', 'campaign-admin'],
    render: notificationsPage,
  },
];

/** The header's link to the notification centre; its unread count is filled in once the API answers. */
const notificationsBell = (current: boolean) => {
  const count = h('span', { class: 'badge badge-count', hidden: true, 'aria-hidden': 'true' }, '');
  const link = h(
    'a',
    { href: '#/notifications', class: 'bell', 'aria-current': current ? 'page' : undefined },
    t('navNotifications'),
    ' ',
    count,
  );
  void bodyOf(api.GET('/api/notifications', { params: { query: { limit: 1 } } })).then(
    ({ unread }) => {
      link.setAttribute('aria-label', t('notificationsBell', { count: unread }));
      count.textContent = String(unread);
      count.hidden = unread === 0;
    },
    () => undefined,
  );
  return link;
};

const navLinks: Record<Role | 'anonymous', { path: string; label: () => string }[]> = {
  anonymous: [
    { path: '/campaign', label: () => t('navCampaign') },
    { path: '/track', label: () => t('navTrack') },
  ],
  enterprise: [
    { path: '/complaints', label: () => t('navComplaints') },
    { path: '/complaints/new', label: () => t('navNewComplaint') },
    { path: '/track', label: () => t('navTrack') },
    { path: '/campaign', label: () => t('navCampaign') },
  ],
  regulator: [
    { path: '/inbox', label: () => t('navInbox') },
    { path: '/cases', label: () => t('navCases') },
    { path: '/dashboard', label: () => t('navDashboard') },
    { path: '/campaign', label: () => t('navCampaign') },
  ],
  association: [
    { path: '/orders', label: () => t('navOrders') },
    { path: '/campaign', label: () => t('navCampaign') },
  ],
  'campaign-admin': [
    { path: '/dashboard', label: () => t('navDashboard') },
    { path: '/inbox', label: () => t('navInbox') },
    { path: '/cases', label: () => t('navCases') },
    { path: '/campaign', label: () => t('navCampaign') },
  ],
};

/** Values typed into the page, by control name and position, so a language switch keeps them. */
const snapshotForm = (root: HTMLElement) => {
  const values: { key: string; value: string; checked: boolean }[] = [];
  const seen = new Map<string, number>();
  for (const control of Array.from(root.querySelectorAll<HTMLInputElement>('input, select, textarea'))) {
    const base = `${control.name}|${control.type === 'radio' || control.type === 'checkbox' ? control.value : ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    values.push({ key: `${base}|${n}`, value: control.value, checked: control.checked });
  }
  return values;
};

const restoreForm = (root: HTMLElement, values: ReturnType<typeof snapshotForm>) => {
  const byKey = new Map(values.map((entry) => [entry.key, entry]));
  const seen = new Map<string, number>();
  for (const control of Array.from(root.querySelectorAll<HTMLInputElement>('input, select, textarea'))) {
    const base = `${control.name}|${control.type === 'radio' || control.type === 'checkbox' ? control.value : ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const saved = byKey.get(`${base}|${n}`);
    if (!saved) continue;
    if (control.type === 'radio' || control.type === 'checkbox') control.checked = saved.checked;
    else control.value = saved.value;
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
};

const start = async () => {
  const config: SiteConfig = await loadConfig();
  setLang(lang());
  const header = h('header', { class: 'site-header' });
  const main = h('main', { id: 'main', tabindex: -1 });
  const footer = h('footer', { class: 'site-footer' });
  const skip = h(
    'a',
    {
      class: 'skip-link',
      href: '#main',
      onclick: (event: Event) => {
        event.preventDefault();
        main.focus();
      },
    },
    '',
  );
  document.body.replaceChildren(skip, header, main, footer);

  let pendingFlash: Flash | undefined;
  let renderCount = 0;
  let signInError: string | undefined;

  if (config.mode === 'cognito') {
    try {
      const returnTo = await completeCognitoSignIn(config);
      // replaceState fires no hashchange: the first render below is the only one.
      if (returnTo) window.history.replaceState(null, '', `#${returnTo}`);
    } catch (error) {
      // Cognito's reasons are English and say nothing a person can act on beyond signing in again.
      signInError = t('signInCallbackFailed', {
        message: error instanceof SignInError ? t('signInAgain') : problemText(error),
      });
      window.history.replaceState(null, '', '#/sign-in');
    }
  }

  const app: App = {
    config,
    session: currentSession,
    navigate: (path, flash) => {
      pendingFlash = flash;
      const target = `#${path}`;
      if (window.location.hash === target) void render({ focus: true });
      else window.location.hash = target;
    },
    rerender: (flash) => {
      pendingFlash = flash;
      void render({ keepForm: true, focus: false });
    },
  };

  const drawFrame = (path: string) => {
    const session = currentSession();
    const role = session?.identity.role ?? 'anonymous';
    const who = session
      ? (session.identity.name ??
        session.identity.creditCode ??
        (session.identity.agency && session.identity.province
          ? officeName(session.identity.agency, session.identity.province)
          : undefined) ??
        '')
      : '';
    skip.textContent = t('skipToContent');
    const menu = h(
      'div',
      { id: 'site-menu', class: 'header-menu' },
      h(
        'nav',
        { 'aria-label': t('mainNav') },
        h(
          'ul',
          null,
          navLinks[role].map((link) =>
            h(
              'li',
              null,
              h(
                'a',
                { href: `#${link.path}`, 'aria-current': link.path === path ? 'page' : undefined },
                link.label(),
              ),
            ),
          ),
        ),
      ),
      session
        ? h(
            'p',
            { class: 'who' },
            h(
              'span',
              { class: 'who-text' },
              t('signedInAs', {
                who: [t(`role.${session.identity.role}`), who].filter(Boolean).join(' · '),
              }),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                onclick: () => {
                  signOut(config);
                  app.navigate('/campaign');
                },
              },
              t('signOut'),
            ),
          )
        : null,
    );
    // On a phone the navigation and who is signed in fold behind this button; wider screens show them.
    const menuButton = h(
      'button',
      {
        type: 'button',
        class: 'menu-button',
        'aria-expanded': 'false',
        'aria-controls': 'site-menu',
        onclick: () => showMenu(menuButton.getAttribute('aria-expanded') !== 'true'),
      },
      h('span', { 'aria-hidden': 'true' }, '☰ '),
      t('menu'),
    );
    const showMenu = (shown: boolean) => {
      menuButton.setAttribute('aria-expanded', String(shown));
      header.classList.toggle('menu-open', shown);
    };
    menu.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || menuButton.getAttribute('aria-expanded') !== 'true') return;
      showMenu(false);
      menuButton.focus();
    });
    header.classList.remove('menu-open');
    header.replaceChildren(
      h(
        'div',
        { class: 'brand' },
        h('a', { href: `#${homeOf(session?.identity.role)}`, class: 'brand-name' }, t('appName')),
        h('p', { class: 'brand-tagline' }, t('appTagline')),
      ),
      menuButton,
      menu,
      h(
        'div',
        { class: 'header-tools' },
        session ? notificationsBell(path === '/notifications') : null,
        session || path === '/sign-in'
          ? null
          : h(
              'a',
              { href: `#/sign-in?next=${encodeURIComponent(path)}`, class: 'sign-in-link' },
              t('signIn'),
            ),
        h(
          'button',
          {
            type: 'button',
            class: 'lang-switch',
            lang: lang() === 'en' ? 'zh-CN' : 'en',
            title: t('switchLanguageLabel'),
            onclick: () => {
              setLang(lang() === 'en' ? 'zh-CN' : 'en');
              void render({ keepForm: true, focus: false });
            },
          },
          t('switchLanguage'),
        ),
      ),
    );
    footer.replaceChildren(h('p', null, t('footer'), ' ', outcomesCsvLink()));
  };

  const render = async (options: { keepForm?: boolean; focus?: boolean } = {}) => {
    const count = ++renderCount;
    const { path, query } = parseHash(window.location.hash || '#/');
    const session = currentSession();
    if (path === '/') {
      window.location.replace(`#${homeOf(session?.identity.role)}`);
      return;
    }
    const saved = options.keepForm ? snapshotForm(main) : [];
    drawFrame(path);
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const candidate of routes) {
      const matched = matchRoute(candidate.pattern, path);
      if (matched) {
        route = candidate;
        params = matched;
        break;
      }
    }
    const flash = pendingFlash;
    pendingFlash = undefined;
    const show = (title: string, ...body: (Node | null)[]) => {
      document.title = `${title} · ${t('appName')}`;
      main.replaceChildren(...body.filter((node): node is Node => node !== null));
      // Tests (and curious people) can tell when a route has finished rendering.
      main.dataset.rendered = `${path}${query.size > 0 ? `?${query}` : ''}`;
      if (options.keepForm) restoreForm(main, saved);
      const focusTarget =
        main.querySelector<HTMLElement>('.notice[tabindex]') ?? main.querySelector<HTMLElement>('h1');
      if (options.focus !== false && focusTarget) {
        focusTarget.setAttribute('tabindex', '-1');
        focusTarget.focus();
      }
    };
    if (!route) {
      show(t('notFoundTitle'), h('h1', null, t('notFoundTitle')), h('p', null, t('notFoundBody')));
      return;
    }
    if (route.roles && !session) {
      window.location.replace(`#/sign-in?next=${encodeURIComponent(path + (query.size ? `?${query}` : ''))}`);
      return;
    }
    if (route.roles && session && !route.roles.includes(session.identity.role)) {
      show(
        t('forbiddenTitle'),
        h('h1', null, t('forbiddenTitle')),
        notice('error', t('forbiddenPage')),
        h('p', null, h('a', { href: `#${homeOf(session.identity.role)}` }, t('forbiddenHome'))),
      );
      return;
    }
    if (signInError && path === '/sign-in') {
      pendingFlash = { kind: 'error', text: signInError };
      signInError = undefined;
    }
    main.setAttribute('aria-busy', 'true');
    delete main.dataset.rendered;
    if (!options.keepForm) main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
    const ctx: PageContext = { app, path, params, query, session, identity: session?.identity };
    try {
      const page = await route.render(ctx);
      if (count !== renderCount) return;
      const flashNode = flash ?? pendingFlash;
      pendingFlash = undefined;
      show(
        page.title,
        h('h1', null, page.title),
        flashNode ? notice(flashNode.kind, flashNode.text) : null,
        h('div', { class: 'page' }, page.body),
      );
    } catch (error) {
      if (count !== renderCount) return;
      console.error(error);
      show(
        t('errorTitle'),
        h('h1', null, t('errorTitle')),
        failureNotice(error, () => void render({ focus: true }), route.notFound),
      );
    } finally {
      if (count === renderCount) main.removeAttribute('aria-busy');
    }
  };

  window.addEventListener('hashchange', () => {
    // In-page anchors (#main) are not routes.
    if (!window.location.hash.startsWith('#/') && window.location.hash !== '') return;
    void render({ focus: true });
  });
  window.addEventListener(sessionEndedEvent, () => {
    const { path } = parseHash(window.location.hash);
    app.navigate(`/sign-in?next=${encodeURIComponent(path)}`, { kind: 'error', text: t('sessionEnded') });
  });
  await render({ focus: false });
};

void start();
