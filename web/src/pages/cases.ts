/**
 * Case search for regulators and campaign admins (案件查询): filters in the address, results newest
 * first (a table on wide screens, cards on a phone), cursor paging, and the ledger (台账) of the same
 * filters as a CSV download.
 */

import { feeCategories } from '#shared/domain/complaint';
import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { outcomes, stages } from '#shared/domain/fee-case';
import { ApiError, api, bodyOf, type FieldIssue } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import { field, filterField, input, notice, problemText, showIssues } from '../forms.ts';
import { officeName } from '../i18n/offices.ts';
import { formatDate, lang, t, tx } from '../i18n.ts';
import type { Identity } from '../session.ts';
import type { QueryOf } from '../types.ts';
import {
  agencyChoices,
  badge,
  flagBadges,
  pageOfList,
  pager,
  provinceChoices,
  stageBadge,
  type Trails,
} from '../ui.ts';

type FoundCase = Awaited<ReturnType<typeof searchPage>>['items'][number];

const textFilters = ['reference', 'association', 'creditCode', 'fee'] as const;
const choiceFilters = ['stage', 'verdict', 'outcome', 'category', 'overdue', 'agency', 'province'] as const;
const dateFilters = ['from', 'to'] as const;
const filterNames = [...textFilters, ...choiceFilters, ...dateFilters] as const;
type Filters = Record<(typeof filterNames)[number], string>;

const trails: Trails = new Map();

const searchPage = (filters: Filters, cursor: string | undefined) =>
  bodyOf(
    api.GET('/api/cases', {
      // The address's filters go as they are (empty ones are left out): the API refuses what is not valid.
      params: { query: { ...filters, limit: 20, cursor } as QueryOf<'searchCases'> },
      headers: { 'accept-language': lang() },
    }),
  );

/** Downloads the ledger of the filters; says so when the export was cut at its size bound. */
const exportLedger = async (filters: Filters, status: HTMLElement) => {
  status.replaceChildren();
  try {
    const response = await api.GET('/api/cases.csv', {
      params: { query: filters as QueryOf<'getCaseLedger'> },
      headers: { accept: 'text/csv', 'accept-language': lang() },
      parseAs: 'blob',
    });
    const blob = await bodyOf(Promise.resolve(response));
    const url = URL.createObjectURL(blob as unknown as Blob);
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const link = h('a', {
      href: url,
      download: `${lang() === 'zh-CN' ? '收费案件台账' : 'fee-case-ledger'}-${today}.csv`,
      hidden: true,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    if (response.response.headers.get('x-ledger-cursor')) status.append(notice('info', t('ledgerCut')));
  } catch (error) {
    status.append(notice('error', t('ledgerFailed', { message: problemText(error) })));
  }
};

/** The caller's own office by its name (北京市民政局), as the cases it handles are introduced. */
const ownOffice = (identity: Identity | undefined) =>
  identity?.agency && identity.province ? (officeName(identity.agency, identity.province) ?? '') : '';

const officeOf = (found: FoundCase) => found.handlingOffice?.name ?? t('officePending');
const caseLink = (found: FoundCase, text: string) =>
  h('a', { href: `#/cases/${encodeURIComponent(found.caseId)}` }, text);
const overdueBadge = (found: FoundCase) => (found.overdue ? flagBadges({ overdue: true }) : null);

/** One case as a card, for narrow screens. */
const caseCard = (found: FoundCase) =>
  h(
    'li',
    { class: 'card result-card' },
    h('h2', { class: 'result-title' }, caseLink(found, found.fee.name)),
    h(
      'p',
      { class: 'badges' },
      stageBadge(found.stage),
      found.verdict ? badge(tx('verdict', found.verdict), 'muted') : null,
      overdueBadge(found),
    ),
    h(
      'dl',
      { class: 'summary-list' },
      [
        [t('colAssociation'), found.association.name],
        [t('colReference'), found.reference ?? '—'],
        [t('colOffice'), officeOf(found)],
        [t('colOpened'), h('time', { datetime: found.openedAt }, formatDate(found.openedAt))],
      ].map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value))),
    ),
  );

export const casesPage: PageRender = async ({ app, query, identity }) => {
  const admin = identity?.role === 'campaign-admin';
  const national = identity?.province === NATIONAL_PROVINCE;
  const filters = Object.fromEntries(filterNames.map((name) => [name, query.get(name) ?? ''])) as Filters;
  if (!admin) filters.agency = '';
  if (!admin && !national) filters.province = '';
  const { page, cursor, trail } = pageOfList(query, filters, trails);

  let refused: FieldIssue[] = [];
  let list: Awaited<ReturnType<typeof searchPage>> = { items: [], cursor: null };
  try {
    list = await searchPage(filters, cursor);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    refused = error.details;
  }
  const listed = (extra: Record<string, string | undefined>) =>
    `/cases${href('', { ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v || undefined])), ...extra }).slice(1)}`;
  const go = (n: number, next?: string) =>
    app.navigate(listed({ page: n > 1 ? String(n) : undefined, cursor: n > 1 ? next : undefined }));

  const text = (name: (typeof textFilters)[number], label: string, hint?: string) =>
    field(
      { path: name, label, ...(hint ? { hint } : {}) },
      input({
        name,
        value: filters[name],
        autocomplete: 'off',
        ...(name === 'creditCode' || name === 'reference' ? { spellcheck: false, inputmode: 'latin' } : {}),
      }),
    );
  const filterForm = h(
    'form',
    { class: 'filters case-filters', role: 'search', 'aria-label': t('filtersTitle'), novalidate: true },
    text('reference', t('filterReference'), t('filterReferenceHint')),
    text('association', t('filterAssociation')),
    text('creditCode', t('filterCreditCode')),
    text('fee', t('filterFee')),
    filterField(
      { path: 'stage', label: t('colStage'), value: filters.stage },
      stages.map((stage) => ({ value: stage, label: tx('stage', stage) })),
    ),
    filterField(
      { path: 'verdict', label: t('filterVerdict'), value: filters.verdict },
      ['UNLAWFUL', 'REGULATED', 'DISMISSED'].map((verdict) => ({
        value: verdict,
        label: tx('verdict', verdict),
      })),
    ),
    filterField(
      { path: 'outcome', label: t('filterOutcome'), value: filters.outcome },
      outcomes.map((outcome) => ({ value: outcome, label: tx('outcome', outcome) })),
    ),
    filterField(
      { path: 'category', label: t('filterCategory'), value: filters.category },
      feeCategories.map((category) => ({ value: category, label: tx('category', category) })),
    ),
    filterField({ path: 'overdue', label: t('filterOverdue'), value: filters.overdue }, [
      { value: 'true', label: t('yes') },
      { value: 'false', label: t('no') },
    ]),
    admin
      ? filterField({ path: 'agency', label: t('agencyLabel'), value: filters.agency }, agencyChoices())
      : null,
    admin || national
      ? filterField(
          { path: 'province', label: t('provinceLabel'), value: filters.province },
          provinceChoices([NATIONAL_PROVINCE, ...provinceCodes]),
        )
      : null,
    field(
      { path: 'from', label: t('filterFrom') },
      input({ type: 'date', name: 'from', value: filters.from }),
    ),
    field({ path: 'to', label: t('filterTo') }, input({ type: 'date', name: 'to', value: filters.to })),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('search')),
      h('a', { href: '#/cases', class: 'button' }, t('clearFilters')),
    ),
  );
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(filterForm);
    const next: Record<string, string | undefined> = {};
    for (const name of filterNames) next[name] = String(data.get(name) ?? '').trim() || undefined;
    app.navigate(`/cases${href('', next).slice(1)}`);
  });
  if (refused.length > 0) showIssues(filterForm, refused);

  const ledgerStatus = h('div', { class: 'ledger-status' });
  const ledger = h(
    'section',
    { class: 'ledger', 'aria-label': t('exportLedger') },
    h(
      'button',
      { type: 'button', onclick: () => void exportLedger(filters, ledgerStatus) },
      t('exportLedger'),
    ),
    h('p', { class: 'hint' }, t('exportLedgerHint')),
    ledgerStatus,
  );

  const rows = list.items.map((found) => [
    caseLink(found, found.reference ?? found.caseId.slice(0, 8)),
    found.fee.name,
    found.association.name,
    stageBadge(found.stage),
    found.verdict ? tx('verdict', found.verdict) : '',
    officeOf(found),
    h('time', { datetime: found.openedAt }, formatDate(found.openedAt)),
    overdueBadge(found),
  ]);
  const results =
    list.items.length === 0
      ? h('p', { class: 'empty' }, list.cursor ? t('noCasesOnPage') : t('noCases'))
      : h(
          'div',
          { class: 'case-results' },
          scrollTable(
            t('casesTable'),
            table(
              t('casesTable'),
              [
                t('colReference'),
                t('colFee'),
                t('colAssociation'),
                t('colStage'),
                t('colVerdict'),
                t('colOffice'),
                t('colOpened'),
                t('overdue'),
              ],
              rows,
              { captionHidden: true },
            ),
          ),
          h('ul', { class: 'result-cards', 'aria-label': t('casesTable') }, list.items.map(caseCard)),
        );

  return {
    title: t('casesTitle'),
    body: [
      h(
        'p',
        { class: 'lead' },
        admin
          ? t('casesIntroAdmin')
          : t(national ? 'casesIntroNational' : 'casesIntro', { office: ownOffice(identity) }),
      ),
      filterForm,
      ledger,
      results,
      pager(page, list.cursor, trail, go),
    ],
  };
};
