/**
 * A fee case for those who act on it. Regulators (and admins) see everything: facts, the suggested
 * classification with matched rules and citations, the decision, related complaints, tasks and the
 * audit trail with its integrity check; the association sees its own case as the API redacts it (no
 * complainant unless they agreed). The open task the viewer may act on gets its form (`case/`).
 */
import { ApiError, api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h } from '../dom.ts';
import { notice } from '../forms.ts';
import { t } from '../i18n.ts';
import { factsList, section } from '../ui.ts';
import { actionPanel } from './case/actions.ts';
import {
  auditSection,
  classificationSection,
  complaintsSection,
  decisionSection,
  orderSection,
  summarySection,
  tasksSection,
} from './case/sections.ts';

export const casePage: PageRender = async ({ app, params, query, identity }) => {
  const caseId = params.id ?? '';
  const reload = `/cases/${encodeURIComponent(caseId)}${query.size > 0 ? `?${query}` : ''}`;
  const detail = await bodyOf(api.GET('/api/cases/{id}', { params: { path: { id: caseId } } })).catch(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    },
  );
  if (!detail) return { title: t('notFoundTitle'), body: notice('error', t('notFoundCase')) };
  const summary = summarySection(detail);

  const actions = actionPanel(app, detail, identity, reload);
  // The form sits after what the decision rests on; a button takes keyboard users straight to it.
  const jump =
    actions !== null
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary',
            onclick: () => {
              const target = document.querySelector<HTMLElement>('.action-card h2');
              target?.setAttribute('tabindex', '-1');
              target?.scrollIntoView({ block: 'start' });
              target?.focus();
            },
          },
          t('goToAction'),
        )
      : null;
  summary.append(...(jump ? [jump] : []));

  return {
    title: t('caseTitle', { fee: detail.case.fee.name }),
    body: [
      identity?.role === 'association'
        ? h('p', null, h('a', { href: href('/orders') }, `← ${t('navOrders')}`))
        : h('p', null, h('a', { href: href('/inbox') }, `← ${t('navInbox')}`)),
      summary,
      section(t('factsTitle'), factsList(detail.facts)),
      classificationSection(detail),
      decisionSection(detail),
      orderSection(detail),
      complaintsSection(detail, identity),
      actions,
      tasksSection(detail, identity),
      auditSection(detail),
    ],
  };
};
