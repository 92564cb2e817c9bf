/** The enterprise's own complaints, newest first, with any open requests for information on top. */
import { api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import { formatDate, formatMoney, t, tx } from '../i18n.ts';
import { badge, dueDate, flagBadges, pager, section, stageBadge } from '../ui.ts';

/** Cursors of the pages seen, so "previous" can go back without the browser history. */
const trail: (string | undefined)[] = [undefined];

export const complaintsPage: PageRender = async ({ app, query }) => {
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const cursor = query.get('cursor') ?? undefined;
  trail[page - 1] = cursor;
  const [list, info] = await Promise.all([
    bodyOf(api.GET('/api/complaints', { params: { query: { limit: 20, cursor } } })),
    bodyOf(api.GET('/api/tasks', { params: { query: { kind: 'INFO', status: 'OPEN', limit: 100 } } })),
  ]);
  // The verdict is on each complaint's case summary.
  const details = await Promise.all(
    list.items.map((item) =>
      bodyOf(api.GET('/api/complaints/{id}', { params: { path: { id: item.complaintId } } })).catch(
        () => undefined,
      ),
    ),
  );
  const feeOfCase = new Map(list.items.map((item) => [item.caseId, item]));
  const go = (n: number, next?: string) =>
    app.navigate(`/complaints${n > 1 ? `?page=${n}&cursor=${encodeURIComponent(next ?? '')}` : ''}`);

  const requests =
    info.items.length > 0
      ? section(
          t('infoRequestsTitle'),
          h('p', null, t('infoRequestsIntro')),
          h(
            'ul',
            { class: 'task-list' },
            info.items.map((task) => {
              const complaint = feeOfCase.get(task.caseId);
              return h(
                'li',
                null,
                h(
                  'a',
                  { href: href(`/info/${encodeURIComponent(task.taskId)}`), class: 'button primary' },
                  t('answer'),
                ),
                ' ',
                complaint ? `${complaint.feeName} · ${complaint.associationName}` : task.caseId,
                ' · ',
                t('colDue'),
                ' ',
                dueDate(task),
                ' ',
                flagBadges(task),
              );
            }),
          ),
        )
      : null;

  const body =
    list.items.length === 0 && page === 1
      ? h('p', null, t('noComplaints'), ' ', h('a', { href: '#/complaints/new' }, t('navNewComplaint')))
      : scrollTable(
          t('complaintsTable'),
          table(
            t('complaintsTable'),
            [
              t('colComplaintReference'),
              t('colFee'),
              t('colAssociation'),
              t('colAmount'),
              t('colFiled'),
              t('colStage'),
              t('colVerdict'),
              t('colOutcome'),
            ],
            list.items.map((item, index) => [
              item.reference ?? '–',
              [
                h('a', { href: href(`/complaints/${encodeURIComponent(item.complaintId)}`) }, item.feeName),
                item.repeatOf ? [' ', badge(t('addedToEarlier'), 'muted')] : null,
              ],
              item.associationName,
              h('span', { class: 'money' }, formatMoney(item.amountFen)),
              formatDate(item.filedAt),
              stageBadge(item.stage),
              details[index]?.case.verdict
                ? tx('verdict', details[index]?.case.verdict)
                : t('verdictPending'),
              item.outcome ? tx('outcome', item.outcome) : t('outcomePending'),
            ]),
            // A phone shows the fee as the card's title, and which complaint, whose, how much, when, where.
            { captionHidden: true, cards: { title: 1, shown: [0, 2, 3, 4, 5] } },
          ),
        );

  return {
    title: t('myComplaintsTitle'),
    body: [
      requests,
      h('p', null, h('a', { href: '#/complaints/new', class: 'button primary' }, t('navNewComplaint'))),
      body,
      pager(page, list.cursor, trail, go),
    ],
  };
};
