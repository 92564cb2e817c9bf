/**
 * The notification centre of whoever is signed in: newest first, unread ones marked, each linking to
 * its complaint, task or case. Opening one marks it read; so does its own button, or the page's.
 */
import type { components } from '#shared/http/api-types';
import { api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h } from '../dom.ts';
import { problemText } from '../forms.ts';
import { formatDateTime, t } from '../i18n.ts';
import type { Role } from '../session.ts';
import { badge, pager } from '../ui.ts';

type NotificationView = components['schemas']['NotificationView'];

/** Cursors of the pages seen, so "previous" can go back without the browser history. */
const trail: (string | undefined)[] = [undefined];

/** Where a notification leads its reader: the answer form, the complaint, or the case. */
const targetOf = (item: NotificationView, role: Role | undefined): string | undefined => {
  if (role === 'enterprise') {
    if (item.kind === 'INFO_REQUESTED' && item.taskId) return `/info/${encodeURIComponent(item.taskId)}`;
    return item.complaintId ? `/complaints/${encodeURIComponent(item.complaintId)}` : undefined;
  }
  return item.caseId ? `/cases/${encodeURIComponent(item.caseId)}` : undefined;
};

const markRead = (item: NotificationView) =>
  bodyOf(api.POST('/api/notifications/{id}/read', { params: { path: { id: item.notificationId } } }));

export const notificationsPage: PageRender = async ({ app, query, identity }) => {
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const cursor = query.get('cursor') ?? undefined;
  trail[page - 1] = cursor;
  const list = await bodyOf(api.GET('/api/notifications', { params: { query: { limit: 20, cursor } } }));
  const go = (n: number, next?: string) =>
    app.navigate(`/notifications${n > 1 ? `?page=${n}&cursor=${encodeURIComponent(next ?? '')}` : ''}`);
  const unreadHere = list.items.filter((item) => !item.read);

  const entry = (item: NotificationView) => {
    const target = targetOf(item, identity?.role);
    return h(
      'li',
      { class: item.read ? 'notification' : 'notification unread' },
      h(
        'h2',
        { class: 'notification-title' },
        item.read ? null : [badge(t('notificationUnread'), 'stage'), ' '],
        item.title,
      ),
      h('p', { class: 'notification-time' }, h('time', { datetime: item.at }, formatDateTime(item.at))),
      h('p', null, item.body),
      h(
        'p',
        { class: 'notification-actions' },
        target
          ? h(
              'a',
              {
                href: href(target),
                onclick: (event: Event) => {
                  if (item.read) return;
                  event.preventDefault();
                  void markRead(item)
                    .catch(() => undefined)
                    .finally(() => app.navigate(target));
                },
              },
              t('notificationOpen'),
            )
          : null,
        item.read
          ? null
          : h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                onclick: () =>
                  void markRead(item).then(
                    () => app.rerender({ kind: 'success', text: t('notificationMarked') }),
                    (error: unknown) => app.rerender({ kind: 'error', text: problemText(error) }),
                  ),
              },
              t('notificationMarkRead'),
            ),
      ),
    );
  };

  return {
    title: t('notificationsTitle'),
    body: [
      h('p', null, t('notificationsIntro', { count: list.unread })),
      unreadHere.length > 0
        ? h(
            'p',
            null,
            h(
              'button',
              {
                type: 'button',
                onclick: () =>
                  void Promise.all(unreadHere.map(markRead)).then(
                    () => app.rerender({ kind: 'success', text: t('notificationMarked') }),
                    (error: unknown) => app.rerender({ kind: 'error', text: problemText(error) }),
                  ),
              },
              t('notificationsMarkAllRead'),
            ),
          )
        : null,
      list.items.length === 0 && page === 1
        ? h('p', null, t('notificationsNone'))
        : h(
            'ul',
            { class: 'notification-list', 'aria-label': t('notificationsTitle') },
            list.items.map(entry),
          ),
      pager(page, list.cursor, trail, go),
    ],
  };
};
