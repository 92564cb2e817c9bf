/**
 * The regulator's task inbox (their agency in their province; an admin picks one inbox or sees all):
 * filters by kind and status, due-date order as the API returns it, overdue and escalated spelled out,
 * cursor pagination.
 */

import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { taskKinds, taskStatuses } from '#shared/domain/fee-task';
import { api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import { filterField } from '../forms.ts';
import { officeName, officeStaff } from '../i18n/offices.ts';
import { t, tx } from '../i18n.ts';
import type { Identity } from '../session.ts';
import type { QueryOf, TaskView } from '../types.ts';
import {
  agencyChoices,
  dueDate,
  flagBadges,
  pageOfList,
  pager,
  provinceChoices,
  type Trails,
} from '../ui.ts';

const trails: Trails = new Map();

/** Who holds a task; admins, who assign tasks across offices, see the holder's office. */
const holder = (task: TaskView, identity: Identity | undefined) =>
  !task.assignee
    ? t('unclaimed')
    : task.assignee === identity?.subject
      ? t('heldByYou')
      : identity?.role === 'campaign-admin'
        ? officeStaff(task.agency, task.province)
        : t('heldBySomeone');

/** The signed-in regulator's office (广东省民政厅); none for an admin. */
const ownOffice = (identity: Identity | undefined) =>
  identity?.role === 'regulator' && identity.agency && identity.province
    ? officeName(identity.agency, identity.province)
    : undefined;

export const inboxPage: PageRender = async ({ app, query, identity }) => {
  const admin = identity?.role === 'campaign-admin';
  const filters = {
    kind: query.get('kind') ?? '',
    status: query.get('status') || 'OPEN',
    agency: admin ? (query.get('agency') ?? '') : '',
    province: admin ? (query.get('province') ?? '') : '',
  };
  const { page, cursor, trail } = pageOfList(query, filters, trails);

  // The address's filters go as they are (empty ones are left out): the API refuses what is not valid.
  const list = await bodyOf(
    api.GET('/api/tasks', {
      params: {
        query: {
          status: filters.status,
          kind: filters.kind,
          agency: filters.agency && filters.province ? filters.agency : undefined,
          province: filters.agency && filters.province ? filters.province : undefined,
          limit: 20,
          cursor,
        } as QueryOf<'listTasks'>,
      },
    }),
  );
  const go = (n: number, next?: string) =>
    app.navigate(
      `/inbox${href('', { ...filters, page: n > 1 ? String(n) : undefined, cursor: n > 1 ? next : undefined }).slice(1)}`,
    );

  const filterForm = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filtersTitle') },
    filterField(
      { path: 'kind', label: t('filterKind'), value: filters.kind },
      taskKinds.map((kind) => ({ value: kind, label: tx('kind', kind) })),
    ),
    filterField(
      { path: 'status', label: t('filterStatus'), value: filters.status, any: false },
      taskStatuses.map((status) => ({ value: status, label: tx('status', status) })),
    ),
    admin
      ? filterField({ path: 'agency', label: t('agencyLabel'), value: filters.agency }, agencyChoices())
      : null,
    admin
      ? filterField(
          { path: 'province', label: t('provinceLabel'), value: filters.province },
          provinceChoices([NATIONAL_PROVINCE, ...provinceCodes]),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('apply'))),
  );
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(filterForm);
    const next: Record<string, string | undefined> = {};
    for (const key of ['kind', 'status', 'agency', 'province'])
      next[key] = String(data.get(key) ?? '') || undefined;
    app.navigate(`/inbox${href('', next).slice(1)}`);
  });

  const rows = list.items.map((task) => {
    return [
      h('span', null, dueDate(task), ' ', flagBadges(task)),
      tx('kind', task.kind),
      [
        task.declaration
          ? // No case: the association's fee list, where its declaration shows once made.
            h(
              'a',
              { href: href('/fees', { creditCode: task.declaration.creditCode }) },
              t('declarationMissing', { year: task.declaration.year }),
            )
          : h(
              'a',
              { href: href(`/cases/${encodeURIComponent(task.caseId)}`, { task: task.taskId }) },
              task.feeName ?? task.caseId,
            ),
        task.caseReference ? h('span', { class: 'reference-note' }, task.caseReference) : null,
      ],
      task.associationName ?? '',
      officeName(task.agency, task.province) ?? '',
      holder(task, identity),
      tx('status', task.status),
    ];
  });

  const office = ownOffice(identity);
  return {
    title: office ? t('inboxTitleOffice', { office }) : t('inboxTitle'),
    body: [
      h(
        'p',
        { class: 'lead' },
        admin
          ? t('inboxIntroAdmin')
          : identity?.province === NATIONAL_PROVINCE
            ? t('inboxIntroNational')
            : t('inboxIntro'),
      ),
      filterForm,
      list.items.length === 0
        ? h('p', { class: 'empty' }, t('noTasks'))
        : scrollTable(
            t('tasksTable'),
            table(
              t('tasksTable'),
              [
                t('colDue'),
                t('colKind'),
                t('colFee'),
                t('colAssociation'),
                t('colOffice'),
                t('colAssignee'),
                t('colStatus'),
              ],
              rows,
              // A phone shows the fee as the card's title, with the task's kind, association, due date and status.
              { captionHidden: true, cards: { title: 2, shown: [0, 1, 3, 6] } },
            ),
          ),
      pager(page, list.cursor, trail, go),
    ],
  };
};
