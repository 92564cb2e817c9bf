/**
 * The portal's entry: loads the sign-in configuration, finishes a sign-in when coming back from the
 * provider (the Cognito hosted UI, the local runtime's OpenID Connect provider), draws the frame (skip
 * link, navigation, who is signed in, language switch) and renders the page of the current hash route.
 * A session that lapses or is refused sends its reader to sign in again, keeping the page's form.
 */
import * as z from '#shared/domain/schema';
import { api, bodyOf, sessionEndedEvent } from './api.ts';
import {
  type App,
  type Flash,
  homeOf,
  managesUsers,
  matchRoute,
  type PageContext,
  parseHash,
  type Route,
} from './app.ts';
import { loadConfig, type SiteConfig } from './config.ts';
import { h } from './dom.ts';
import {
  failureNotice,
  fieldValues,
  forgetDrafts,
  keepDraft,
  notice,
  problemText,
  restoreFieldValues,
  takeDraft,
} from './forms.ts';
import { identityText } from './i18n/offices.ts';
import { lang, setLang, t } from './i18n.ts';
import { associationRankingPage } from './pages/association-ranking.ts';
import { casePage } from './pages/case.ts';
import { casesPage } from './pages/cases.ts';
import { complaintPage } from './pages/complaint.ts';
import { complaintFormPage } from './pages/complaint-form.ts';
import { complaintsPage } from './pages/complaints.ts';
import { campaignPage, dashboardPage, outcomesCsvLink } from './pages/dashboard.ts';
import { feeListPage } from './pages/fee-list.ts';
import { inboxPage } from './pages/inbox.ts';
import { infoPage } from './pages/info.ts';
import { notificationsPage } from './pages/notifications.ts';
import { ordersPage } from './pages/orders.ts';
import { receiptPage, trackPage } from './pages/progress.ts';
import { registryPage } from './pages/registry.ts';
import { selfInspectionPage } from './pages/self-inspection.ts';
import { signInPage } from './pages/sign-in.ts';
import { typicalCasePage, typicalCasesDeskPage, typicalCasesPage } from './pages/typical-cases.ts';
import { usersPage } from './pages/users.ts';
import {
  clearSession,
  completeProviderSignIn,
  currentSession,
  expiryMarginMs,
  type Identity,
  type Role,
  type Session,
  SignInError,
  signOut,
} from './session.ts';

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
  { pattern: '/self-inspection', roles: ['association'], render: selfInspectionPage },
  { pattern: '/fees', render: feeListPage },
  { pattern: '/dashboard', roles: ['regulator', 'campaign-admin'], render: dashboardPage },
  {
    pattern: '/dashboard/associations',
    roles: ['regulator', 'campaign-admin'],
    render: associationRankingPage,
  },
  {
    pattern: '/notifications',
    roles: ['enterprise', 'regulator', 'association', 'campaign-admin'],
    render: notificationsPage,
  },
  { pattern: '/users', roles: ['campaign-admin', 'regulator'], allows: managesUsers, render: usersPage },
  { pattern: '/typical-cases', render: typicalCasesPage },
  { pattern: '/typical-cases/:id', render: typicalCasePage, notFound: 'problemTypicalCaseNotFound' },
  { pattern: '/admin/typical-cases', roles: ['campaign-admin'], render: typicalCasesDeskPage },
  { pattern: '/registry', roles: ['campaign-admin'], render: registryPage },
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

interface NavLink {
  path: string;
  label: () => string;
  /** Among the role's people, who sees the link, when a role is not enough. */
  allows?: (identity: Identity) => boolean;
}

const usersLink: NavLink = { path: '/users', label: () => t('navUsers'), allows: managesUsers };
const typicalCasesLink: NavLink = { path: '/typical-cases', label: () => t('navTypicalCases') };

const navLinks: Record<Role | 'anonymous', NavLink[]> = {
  anonymous: [
    { path: '/campaign', label: () => t('navCampaign') },
    typicalCasesLink,
    { path: '/track', label: () => t('navTrack') },
    { path: '/fees', label: () => t('navFeeList') },
  ],
  enterprise: [
    { path: '/complaints', label: () => t('navComplaints') },
    { path: '/complaints/new', label: () => t('navNewComplaint') },
    { path: '/track', label: () => t('navTrack') },
    { path: '/campaign', label: () => t('navCampaign') },
    typicalCasesLink,
  ],
  regulator: [
    { path: '/inbox', label: () => t('navInbox') },
    { path: '/cases', label: () => t('navCases') },
    { path: '/dashboard', label: () => t('navDashboard') },
    usersLink,
    { path: '/campaign', label: () => t('navCampaign') },
  ],
  association: [
    { path: '/orders', label: () => t('navOrders') },
    { path: '/self-inspection', label: () => t('navSelfInspection') },
    { path: '/fees', label: () => t('navFeeList') },
    { path: '/campaign', label: () => t('navCampaign') },
    typicalCasesLink,
  ],
  'campaign-admin': [
    { path: '/dashboard', label: () => t('navDashboard') },
    { path: '/inbox', label: () => t('navInbox') },
    { path: '/cases', label: () => t('navCases') },
    usersLink,
    { path: '/admin/typical-cases', label: () => t('navTypicalCasesDesk') },
    { path: '/registry', label: () => t('navRegistry') },
    { path: '/campaign', label: () => t('navCampaign') },
  ],
};

/** The route as the address names it, with its query: where to come back to after signing in. */
const currentRoute = (): string => {
  const { path, query } = parseHash(window.location.hash || '#/');
  return `${path}${query.size > 0 ? `?${query}` : ''}`;
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

  if (config.mode !== 'local') {
    try {
      const returnTo = await completeProviderSignIn(config);
      // replaceState fires no hashchange: the first render below is the only one.
      if (returnTo) window.history.replaceState(null, '', `#${returnTo}`);
    } catch (error) {
      // A provider's reasons are English and say nothing a person can act on beyond signing in again.
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

  /** Signs out in this tab and at the provider; nothing typed is left behind. */
  const signOutHere = () => {
    forgetDrafts();
    signOut(config);
    app.navigate('/campaign');
  };

  /** Ends every session of the account (other devices too), then this one; a failure keeps it signed in. */
  const signOutEverywhere = async (button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await bodyOf(api.POST('/api/session/sign-out'));
      signOutHere();
    } catch (error) {
      button.disabled = false;
      app.rerender({ kind: 'error', text: t('signOutEverywhereFailed', { reason: problemText(error) }) });
    }
  };

  /** Who is signed in, with role and office, and the ways to sign out. */
  const whoIsSignedIn = (session: Session) => {
    const everywhere: HTMLButtonElement = h(
      'button',
      {
        type: 'button',
        class: 'link-button sign-out-everywhere',
        onclick: () => void signOutEverywhere(everywhere),
      },
      t('signOutEverywhere'),
    );
    return h(
      'div',
      { class: 'who' },
      h('p', { class: 'who-text' }, t('signedInAs', { who: identityText(session.identity) })),
      h(
        'p',
        { class: 'who-actions' },
        h('button', { type: 'button', class: 'link-button sign-out', onclick: signOutHere }, t('signOut')),
        everywhere,
      ),
    );
  };

  const drawFrame = (path: string) => {
    const session = currentSession();
    const role = session?.identity.role ?? 'anonymous';
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
          navLinks[role]
            .filter((link) => !link.allows || (session && link.allows(session.identity)))
            .map((link) =>
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
      session ? whoIsSignedIn(session) : null,
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
              { href: `#/sign-in?next=${encodeURIComponent(currentRoute())}`, class: 'sign-in-link' },
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

  /** The session the page on screen was drawn for. */
  let shownSession: Session | undefined;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * The session lapses or the API refused it: keeps what was typed on the page for after signing in
   * again, and sends its reader to sign in and come back here.
   */
  const sessionEnding = (session: Session | undefined) => {
    const here = currentRoute();
    if (parseHash(window.location.hash).path === '/sign-in') return;
    const kept = session !== undefined && keepDraft(here, session.identity.subject, main);
    clearSession();
    app.navigate(`/sign-in?next=${encodeURIComponent(here)}`, {
      kind: 'error',
      text: kept ? t('sessionEndedKept') : t('sessionEnded'),
    });
  };

  /** Ends the session just before its token lapses, while what was typed can still be kept. */
  const watchExpiry = (session: Session | undefined) => {
    clearTimeout(expiryTimer);
    if (!session) return;
    const left = Date.parse(session.expiresAt) - expiryMarginMs - Date.now();
    // A timer waits at most 2^31 - 1 ms; a longer session is looked at again then.
    expiryTimer = setTimeout(
      () => (left > 2 ** 31 - 1 ? watchExpiry(session) : sessionEnding(session)),
      Math.min(left, 2 ** 31 - 1),
    );
  };

  const render = async (options: { keepForm?: boolean; focus?: boolean } = {}) => {
    const count = ++renderCount;
    const { path, query } = parseHash(window.location.hash || '#/');
    const here = currentRoute();
    const session = currentSession();
    if (path === '/') {
      window.location.replace(`#${homeOf(session?.identity.role)}`);
      return;
    }
    shownSession = session;
    watchExpiry(session);
    const saved = options.keepForm ? fieldValues(main) : [];
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
      main.dataset.rendered = here;
      if (options.keepForm) restoreFieldValues(main, saved);
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
      window.location.replace(`#/sign-in?next=${encodeURIComponent(here)}`);
      return;
    }
    if (
      route.roles &&
      session &&
      (!route.roles.includes(session.identity.role) || (route.allows && !route.allows(session.identity)))
    ) {
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
      const draft = session ? takeDraft(here, session.identity.subject) : undefined;
      show(
        page.title,
        h('h1', null, page.title),
        flashNode ? notice(flashNode.kind, flashNode.text) : null,
        draft ? notice('info', t('draftRestored')) : null,
        h('div', { class: 'page' }, page.body),
      );
      if (draft) restoreFieldValues(main, draft);
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
  window.addEventListener(sessionEndedEvent, () => sessionEnding(shownSession));
  await render({ focus: false });
};

void start();
