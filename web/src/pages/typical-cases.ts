/**
 * Typical cases (典型案例): the public list and page of each published one, with the Atom feed to
 * subscribe to; and the campaign admins' desk, where closed cases are chosen, the anonymized account
 * written and published. A text naming a complainant is refused by the API, and the refusal is shown
 * beside the field it is in, in words.
 */
import type { components } from '#shared/http/api-types';
import { ApiError, api, bodyOf } from '../api.ts';
import { type App, href, type PageRender } from '../app.ts';
import { h } from '../dom.ts';
import { checkboxGroup, field, input, notice, problemText, showIssues } from '../forms.ts';
import { formatDate, formatMoney, t, tx } from '../i18n.ts';
import { badge, dl, pageOfList, pager, section, type Trails } from '../ui.ts';

type PublicTypicalCase = components['schemas']['PublicTypicalCase'];
type TypicalCaseView = components['schemas']['TypicalCaseView'];
type TypicalCaseFacts = components['schemas']['TypicalCaseFacts'];

const feedHref = '/api/public/typical-cases.atom';
const trails: Trails = new Map();

/** The feed to subscribe to, as a link people see (feed readers find the page's `<link rel=alternate>`). */
const feedLink = () =>
  h('p', { class: 'feed-link' }, h('a', { href: feedHref, type: 'application/atom+xml' }, t('typicalFeed')));

/** One case a typical case tells about: association, fee, outcome, refund, closing day. */
const factsOf = (facts: TypicalCaseFacts) =>
  h(
    'li',
    { class: 'typical-facts' },
    dl([
      [t('caseAssociation'), facts.association.name],
      [t('caseFee'), `${facts.fee.name}（${tx('category', facts.fee.category)}）`],
      [t('typicalOutcome'), tx('outcome', facts.outcome)],
      facts.refundedFen > 0
        ? [t('typicalRefunded'), h('span', { class: 'money' }, formatMoney(facts.refundedFen))]
        : null,
      [t('typicalClosedOn'), h('time', { datetime: facts.closedAt }, formatDate(facts.closedAt))],
    ]),
  );

/** The paragraphs of a text as its author broke it. */
const paragraphs = (text: string) =>
  text
    .split(/\n+/)
    .filter((line) => line.trim() !== '')
    .map((line) => h('p', null, line));

const typicalCaseArticle = (typicalCase: PublicTypicalCase | TypicalCaseView, heading: 'h1' | 'h2') =>
  h(
    'article',
    { class: 'card typical-case', id: `typical-case-${typicalCase.typicalCaseId}` },
    heading === 'h2'
      ? h(
          'h2',
          null,
          h(
            'a',
            { href: href(`/typical-cases/${encodeURIComponent(typicalCase.typicalCaseId)}`) },
            typicalCase.title,
          ),
        )
      : null,
    typicalCase.publishedAt
      ? h('p', { class: 'hint' }, t('typicalPublishedOn', { date: formatDate(typicalCase.publishedAt) }))
      : null,
    paragraphs(typicalCase.summary),
    typicalCase.lessons ? [h('h3', null, t('typicalLessons')), paragraphs(typicalCase.lessons)] : null,
    h('h3', null, t('typicalCasesOf')),
    h('ul', { class: 'typical-facts-list' }, typicalCase.cases.map(factsOf)),
  );

/** 典型案例: the published ones, newest first, a page at a time. */
export const typicalCasesPage: PageRender = async ({ app, query }) => {
  const { page, cursor, trail } = pageOfList(query, {}, trails);
  const list = await bodyOf(
    api.GET('/api/public/typical-cases', { params: { query: { limit: 10, cursor } } }),
  );
  const go = (n: number, next?: string) =>
    app.navigate(
      `/typical-cases${href('', { page: n > 1 ? String(n) : undefined, cursor: n > 1 ? next : undefined }).slice(1)}`,
    );
  return {
    title: t('typicalTitle'),
    body: [
      h('p', { class: 'lead' }, t('typicalLead')),
      feedLink(),
      list.items.length === 0
        ? h('p', { class: 'empty' }, t('typicalNone'))
        : h(
            'div',
            { class: 'typical-cases' },
            list.items.map((item) => typicalCaseArticle(item, 'h2')),
          ),
      pager(page, list.cursor, trail, go),
    ],
  };
};

/** One published typical case, where the feed's entries lead. */
export const typicalCasePage: PageRender = async ({ params }) => {
  const typicalCase = await bodyOf(
    api.GET('/api/public/typical-cases/{id}', { params: { path: { id: params.id ?? '' } } }),
  );
  return {
    title: typicalCase.title,
    body: [
      typicalCaseArticle(typicalCase, 'h1'),
      h('p', null, h('a', { href: href('/typical-cases') }, t('typicalAll'))),
      feedLink(),
    ],
  };
};

const statusKind = { DRAFT: 'muted', PUBLISHED: 'ok', WITHDRAWN: 'muted' } as const;

/** Publish or withdraw one typical case of the desk's list, and say how it went. */
const changeButton = (app: App, typicalCase: TypicalCaseView, action: 'publish' | 'withdraw') =>
  h(
    'button',
    {
      type: 'button',
      class: action === 'publish' ? 'primary' : '',
      onclick: async (event: Event) => {
        const button = event.currentTarget as HTMLButtonElement;
        button.disabled = true;
        try {
          const path =
            action === 'publish'
              ? '/api/admin/typical-cases/{id}/publish'
              : '/api/admin/typical-cases/{id}/withdraw';
          await bodyOf(api.POST(path, { params: { path: { id: typicalCase.typicalCaseId } } }));
          app.rerender({
            kind: 'success',
            text: t(action === 'publish' ? 'typicalWasPublished' : 'typicalWasWithdrawn', {
              title: typicalCase.title,
            }),
          });
        } catch (error) {
          button.disabled = false;
          app.rerender({ kind: 'error', text: refusalText(error) });
        }
      },
    },
    t(action === 'publish' ? 'typicalPublish' : 'typicalWithdraw'),
  );

/** A refusal in words: a text naming a complainant says where and what, whatever the form shows. */
const refusalText = (error: unknown): string => {
  const issue =
    error instanceof ApiError ? error.details.find((d) => d.code === 'identifies_complainant') : undefined;
  return issue
    ? t('typicalRefused', {
        field: tx('typicalField', issue.path),
        what: tx('identifier', String(issue.params?.kind ?? '')),
      })
    : problemText(error);
};

/** 典型案例发布 (campaign admins): choose closed cases, write, save or publish; the list of all of them. */
export const typicalCasesDeskPage: PageRender = async ({ app }) => {
  const [closed, written] = await Promise.all([
    bodyOf(api.GET('/api/cases', { params: { query: { stage: 'CLOSED', limit: 50 } } })),
    bodyOf(api.GET('/api/admin/typical-cases', { params: { query: { limit: 50 } } })),
  ]);
  const title = input({ name: 'title', maxlength: 100, required: true });
  const summary = h('textarea', { name: 'summary', rows: 8, maxlength: 4000, required: true });
  const lessons = h('textarea', { name: 'lessons', rows: 4, maxlength: 2000 });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'typical-case-form', novalidate: true },
    closed.items.length === 0
      ? h('p', { class: 'empty' }, t('typicalNoClosedCases'))
      : checkboxGroup({
          path: 'caseIds',
          name: 'caseIds',
          label: t('typicalChooseCases'),
          hint: t('typicalChooseCasesHint'),
          choices: closed.items.map((found) => ({
            value: found.caseId,
            label: `${found.association.name} · ${found.fee.name}`,
            detail: [found.reference ?? '', found.outcome ? tx('outcome', found.outcome) : '']
              .filter(Boolean)
              .join(' · '),
          })),
        }),
    field({ path: 'title', label: t('typicalField.title'), hint: t('typicalTitleHint') }, title),
    field({ path: 'summary', label: t('typicalField.summary'), hint: t('typicalSummaryHint') }, summary),
    field({ path: 'lessons', label: t('typicalField.lessons'), optional: true }, lessons),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', value: 'publish' }, t('typicalPublish')),
      h('button', { type: 'submit', value: 'draft' }, t('typicalSaveDraft')),
    ),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const publish = (event as SubmitEvent).submitter?.getAttribute('value') === 'publish';
    const caseIds = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="caseIds"]:checked')).map(
      (box) => box.value,
    );
    status.replaceChildren();
    try {
      const saved = await bodyOf(
        api.POST('/api/admin/typical-cases', {
          body: {
            caseIds,
            title: title.value.trim(),
            summary: summary.value.trim(),
            ...(lessons.value.trim() ? { lessons: lessons.value.trim() } : {}),
            publish,
          },
        }),
      );
      app.navigate('/admin/typical-cases', {
        kind: 'success',
        text: t(saved.status === 'PUBLISHED' ? 'typicalWasPublished' : 'typicalWasSaved', {
          title: saved.title,
        }),
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        showIssues(form, error.details);
      else status.replaceChildren(notice('error', refusalText(error)));
    }
  });
  return {
    title: t('typicalDeskTitle'),
    body: [
      h('p', { class: 'lead' }, t('typicalDeskLead')),
      section(t('typicalWrite'), form),
      section(
        t('typicalWritten'),
        written.items.length === 0
          ? h('p', { class: 'empty' }, t('typicalNoneWritten'))
          : h(
              'ul',
              { class: 'typical-desk-list' },
              written.items.map((item) =>
                h(
                  'li',
                  { class: 'card' },
                  h('h3', null, item.title),
                  h(
                    'p',
                    { class: 'badges' },
                    badge(tx('typicalStatus', item.status), statusKind[item.status]),
                  ),
                  h(
                    'p',
                    { class: 'actions' },
                    item.status === 'PUBLISHED'
                      ? [
                          h(
                            'a',
                            { href: href(`/typical-cases/${encodeURIComponent(item.typicalCaseId)}`) },
                            t('typicalView'),
                          ),
                          ' ',
                          changeButton(app, item, 'withdraw'),
                        ]
                      : changeButton(app, item, 'publish'),
                  ),
                ),
              ),
            ),
      ),
    ],
  };
};
