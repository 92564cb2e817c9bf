/**
 * The association's rectification orders (open first, then done), each with what it says and opening
 * its case to report.
 */

import { api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import { formatMoney, joinList, orderTextIn, t, tx } from '../i18n.ts';
import type { TaskList, TaskView } from '../types.ts';
import { dueDate, flagBadges, section, stageBadge } from '../ui.ts';

/**
 * Each order's case: the total its complainants claimed, the ordered actions and the stage (a failed
 * read leaves the case id).
 */
const caseLabels = async (tasks: readonly TaskView[]) => {
  const ids = [...new Set(tasks.map((task) => task.caseId))];
  const cases = await Promise.all(
    ids.map((id) => bodyOf(api.GET('/api/cases/{id}', { params: { path: { id } } })).catch(() => undefined)),
  );
  return new Map(ids.map((id, index) => [id, cases[index]]));
};

export const ordersPage: PageRender = async () => {
  const [open, done] = await Promise.all([
    bodyOf(
      api.GET('/api/tasks', { params: { query: { kind: 'RECTIFICATION', status: 'OPEN', limit: 100 } } }),
    ),
    bodyOf(
      api.GET('/api/tasks', {
        params: { query: { kind: 'RECTIFICATION', status: 'COMPLETED', limit: 100 } },
      }),
    ),
  ]);
  const cases = await caseLabels([...open.items, ...done.items]);
  const list = (title: string, tasks: TaskList['items']) =>
    section(
      title,
      tasks.length === 0
        ? h('p', { class: 'empty' }, t('noOrders'))
        : scrollTable(
            title,
            table(
              title,
              [
                t('colDue'),
                t('colFee'),
                t('caseClaimed'),
                t('finalActions'),
                t('orderTextTitle'),
                t('colStage'),
                t('colStatus'),
              ],
              tasks.map((task) => {
                const detail = cases.get(task.caseId);
                return [
                  h('span', null, dueDate(task), ' ', flagBadges(task)),
                  [
                    h(
                      'a',
                      { href: href(`/cases/${encodeURIComponent(task.caseId)}`, { task: task.taskId }) },
                      detail?.case.fee.name ?? task.caseId,
                    ),
                    task.caseReference ? h('span', { class: 'reference-note' }, task.caseReference) : null,
                  ],
                  detail ? h('span', { class: 'money' }, formatMoney(detail.case.claimedFen)) : '',
                  joinList(detail?.case.order?.actions.map((action) => tx('action', action)) ?? []),
                  task.orderText
                    ? h(
                        'span',
                        { class: 'prewrap' },
                        orderTextIn(
                          task.orderText,
                          detail?.classification.final?.verdict,
                          detail?.case.order?.actions ?? [],
                        ),
                      )
                    : '',
                  stageBadge(detail?.case.stage),
                  tx('status', task.status),
                ];
              }),
              // A phone shows the fee as the card's title, with the due date and status; the case tells the rest.
              { captionHidden: true, cards: { title: 1, shown: [0, 6] } },
            ),
          ),
    );
  return {
    title: t('ordersTitle'),
    body: [
      h('p', { class: 'lead' }, t('ordersIntro')),
      h('p', { class: 'hint' }, t('privacyNote')),
      list(`${t('ordersTable')} · ${t('status.OPEN')}`, open.items),
      list(`${t('ordersTable')} · ${t('status.COMPLETED')}`, done.items),
    ],
  };
};
