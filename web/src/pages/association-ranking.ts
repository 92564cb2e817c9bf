/**
 * The associations regulators watch (重点关注协会商会): every association with cases in the caller's
 * province (or, for admins and national regulators, everywhere or one province), ranked by the figure
 * chosen, a page at a time. Each sortable column's header sorts by it; the table says which sorts.
 */
import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { ApiError, api, bodyOf } from '../api.ts';
import { href, type PageContext, type PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import { filterField, notice, showIssues } from '../forms.ts';
import { formatMoney, formatNumber } from '../i18n/format.ts';
import { type MessageKey, provinceName, t } from '../i18n.ts';
import type { QueryOf } from '../types.ts';
import { pageOfList, pager, provinceChoices, type Trails } from '../ui.ts';

type Sort = NonNullable<QueryOf<'getAssociationRanking'>['sort']>;
const sorts: readonly Sort[] = ['cases', 'abolished', 'refunds', 'recurrences', 'perThousandMembers'];
const sortLabels: Record<Sort, MessageKey> = {
  cases: 'rankColCases',
  abolished: 'rankColAbolished',
  refunds: 'rankColRefunds',
  recurrences: 'rankColRecurrences',
  perThousandMembers: 'rankColPerThousand',
};
/** The column each sort ranks by (after rank, association and members). */
const sortColumn: Record<Sort, number> = {
  cases: 3,
  abolished: 4,
  refunds: 5,
  recurrences: 6,
  perThousandMembers: 7,
};

const trails: Trails = new Map();

const perThousand = (value: number | null) =>
  value === null ? t('rankMembersUnknown') : formatNumber(value);

export const associationRankingPage: PageRender = async ({ app, query, identity }: PageContext) => {
  const wide = identity?.role === 'campaign-admin' || identity?.province === NATIONAL_PROVINCE;
  const requested = query.get('sort') as Sort | null;
  const filters = {
    sort: requested && sorts.includes(requested) ? requested : 'cases',
    province: wide ? (query.get('province') ?? '') : '',
  };
  const { page, cursor, trail } = pageOfList(query, filters, trails);
  const listed = (extra: Record<string, string | undefined>) =>
    `/dashboard/associations${href('', { sort: filters.sort, province: filters.province || undefined, ...extra }).slice(1)}`;
  const go = (n: number, next?: string) =>
    app.navigate(listed({ page: n > 1 ? String(n) : undefined, cursor: n > 1 ? next : undefined }));

  const load = () =>
    bodyOf(
      api.GET('/api/metrics/associations', {
        params: {
          query: {
            sort: filters.sort,
            limit: 20,
            ...(filters.province ? { province: filters.province } : {}),
            ...(cursor ? { cursor } : {}),
          } as QueryOf<'getAssociationRanking'>,
        },
      }),
    );
  let ranking: Awaited<ReturnType<typeof load>> | undefined;
  let refused: ApiError | undefined;
  try {
    ranking = await load();
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 403)) throw error;
    refused = error;
  }

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filtersTitle'), novalidate: true },
    filterField(
      { path: 'sort', label: t('rankSortLabel'), value: filters.sort, any: false },
      sorts.map((sort) => ({ value: sort, label: t(sortLabels[sort]) })),
    ),
    wide
      ? filterField(
          { path: 'province', label: t('provinceLabel'), value: filters.province },
          provinceChoices([NATIONAL_PROVINCE, ...provinceCodes]),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('apply'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '') || undefined;
    app.navigate(
      `/dashboard/associations${href('', { sort: value('sort'), province: value('province') }).slice(1)}`,
    );
  });
  if (refused && refused.details.length > 0) showIssues(form, refused.details);

  const headers = [
    t('rankColRank'),
    t('colAssociation'),
    t('rankColMembers'),
    ...sorts.map((sort) => t(sortLabels[sort])),
  ];
  const rows = (ranking?.items ?? []).map((item) => [
    formatNumber(item.rank),
    h(
      'span',
      null,
      item.name,
      h('span', { class: 'hint' }, ` ${provinceName(item.province)} · ${item.creditCode}`),
      item.selfInspection.cases > 0
        ? h('span', { class: 'hint' }, ` · ${t('rankSelfInspection', { n: item.selfInspection.cases })}`)
        : null,
    ),
    item.memberCount === null || item.memberCount === 0
      ? t('rankMembersUnknown')
      : formatNumber(item.memberCount),
    formatNumber(item.cases),
    formatNumber(item.abolishedFees),
    formatMoney(item.refundedFen),
    formatNumber(item.recurrences),
    perThousand(item.casesPerThousandMembers),
  ]);
  const ranked = table(t('rankTable'), headers, rows, {
    captionHidden: true,
    cards: { title: 1, shown: [0, 2, 3, 4, 5, 6, 7] },
  });
  // Each sortable header sorts by its column; the sorted one says so to screen readers.
  const headerCells = ranked.querySelectorAll('thead th');
  for (const sort of sorts) {
    const cell = headerCells[sortColumn[sort]];
    if (!cell) continue;
    if (sort === filters.sort) {
      cell.setAttribute('aria-sort', 'descending');
      continue;
    }
    cell.replaceChildren(h('a', { href: `#${listed({ sort })}` }, t(sortLabels[sort])));
  }

  return {
    title: t('rankTitle'),
    body: [
      h('p', { class: 'lead' }, t('rankIntro')),
      form,
      refused && refused.details.length === 0 ? notice('error', t('forbiddenAction')) : null,
      ranking
        ? h(
            'p',
            { class: 'scope' },
            t('rankScope', {
              scope: ranking.province ? provinceName(ranking.province) : t('rankEverywhere'),
              n: ranking.total,
              sort: t(sortLabels[filters.sort]),
            }),
          )
        : null,
      ranking && ranking.items.length === 0
        ? h('p', { class: 'empty' }, t('rankEmpty'))
        : ranking
          ? scrollTable(t('rankTable'), ranked)
          : null,
      h('p', { class: 'hint' }, t('rankRules')),
      ranking ? pager(page, ranking.cursor, trail, go) : null,
    ],
  };
};
