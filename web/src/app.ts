/** What every page receives: the configuration, the session, navigation and one-shot messages. */
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import type { SiteConfig } from './config.ts';
import type { Child } from './dom.ts';
import type { MessageKey } from './i18n.ts';
import type { Identity, Role, Session } from './session.ts';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface App {
  config: SiteConfig;
  session(): Session | undefined;
  /** Goes to a route such as `/cases/abc` (a hash route). */
  navigate(path: string, flash?: Flash): void;
  /** Renders the current route again (fresh data), keeping what was typed into forms. */
  rerender(flash?: Flash): void;
}

export interface PageContext {
  app: App;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  session: Session | undefined;
  identity: Identity | undefined;
}

export interface Page {
  /** The page's heading, also the document title. */
  title: string;
  body: Child;
}

export type PageRender = (ctx: PageContext) => Promise<Page> | Page;

export interface Route {
  pattern: string;
  /** Who may open the page; undefined means everyone, signed in or not. */
  roles?: readonly Role[];
  /** Among those roles, who may open the page, when a role is not enough (national regulators only). */
  allows?: (identity: Identity) => boolean;
  render: PageRender;
  /** What the page names when the API finds nothing (404), e.g. "this complaint was not found". */
  notFound?: MessageKey;
}

/** `#/cases/abc?task=x` -> path `/cases/abc`, query `task=x`. */
export const parseHash = (hash: string): { path: string; query: URLSearchParams } => {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const [path = '/', query = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
};

/** Matches `/cases/:id` against `/cases/abc`; undefined when it does not match. */
export const matchRoute = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const actual = have[index] ?? '';
    if (segment.startsWith(':')) {
      if (!actual) return undefined;
      params[segment.slice(1)] = decodeURIComponent(actual);
    } else if (segment !== actual) return undefined;
  }
  return params;
};

export const href = (path: string, query?: Record<string, string | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) search.set(key, value);
  return `#${path}${search.size > 0 ? `?${search}` : ''}`;
};

/** Where each role starts. */
export const homeOf = (role: Role | undefined): string => {
  switch (role) {
    case 'enterprise':
      return '/complaints';
    case 'regulator':
      return '/inbox';
    case 'association':
      return '/orders';
    case 'campaign-admin':
      return '/dashboard';
    default:
      return '/campaign';
  }
};

/**
 * Who manages accounts: campaign admins, and national regulators (province 00) for the regulators of
 * their own agency. Provincial regulators, associations and enterprises do not.
 */
export const managesUsers = (identity: Identity): boolean =>
  identity.role === 'campaign-admin' ||
  (identity.role === 'regulator' && identity.province === NATIONAL_PROVINCE);
