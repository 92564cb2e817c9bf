/**
 * What a complainant is told about where a complaint stands: the printable submission receipt right
 * after filing, the five progress steps (also on the complaint's page), and the public progress
 * lookup by reference and credit code, which needs no sign-in.
 */
import type { components } from '#shared/http/api-types';
import { ApiError, api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h } from '../dom.ts';
import { clearIssues, field, input, showIssues, showProblem } from '../forms.ts';
import { formatDate, formatDateTime, formatMoney, t, tx } from '../i18n.ts';
import { dl, section } from '../ui.ts';

type ProgressStep = components['schemas']['ProgressStep'];
type HandlingOffice = components['schemas']['HandlingOffice'];

/** 提交 -> 审核 -> 整改 -> 核查 -> 办结, each with what it means for the complainant now. */
export const progressSteps = (steps: readonly ProgressStep[]): HTMLElement =>
  h(
    'ol',
    { class: 'progress-steps' },
    steps.map((step) =>
      h(
        'li',
        {
          class: `progress-step progress-${step.status.toLowerCase()}`,
          'aria-current': step.status === 'CURRENT' ? 'step' : undefined,
        },
        h('span', { class: 'progress-name' }, tx('progressStep', step.step)),
        h(
          'span',
          { class: 'progress-note' },
          step.status === 'DONE'
            ? t('progressDone', { at: formatDateTime(step.at) })
            : step.status === 'CURRENT'
              ? [
                  t('progressCurrent', { at: formatDateTime(step.at) }),
                  step.dueAt
                    ? h('span', { class: 'progress-due' }, t('progressDue', { at: formatDate(step.dueAt) }))
                    : null,
                ]
              : t('progressPending'),
        ),
      ),
    ),
  );

/** The progress section of a complaint: its steps, who handles it and when a decision is due. */
export const progressSection = (progress: {
  steps: readonly ProgressStep[];
  handlingOffice: HandlingOffice;
  decisionDueAt: string;
}): HTMLElement =>
  section(
    t('progressTitle'),
    dl([
      [t('handlingOffice'), progress.handlingOffice.name],
      [t('decisionDue'), formatDate(progress.decisionDueAt)],
    ]),
    progressSteps(progress.steps),
  );

/** The 提交回执 of a complaint just filed: everything a complainant keeps, on one printable page. */
export const receiptPage: PageRender = async ({ params }) => {
  const detail = await bodyOf(api.GET('/api/complaints/{id}', { params: { path: { id: params.id ?? '' } } }));
  const { complaint, progress } = detail;
  const print = h(
    'button',
    { type: 'button', class: 'button primary', onclick: () => window.print() },
    t('printReceipt'),
  );
  return {
    title: t('receiptTitle'),
    body: [
      h('p', { class: 'lead' }, t('receiptIntro')),
      h(
        'section',
        { class: 'card receipt' },
        h('p', { class: 'receipt-heading' }, t('appName')),
        dl([
          [
            t('referenceLabel'),
            h('strong', { class: 'reference' }, complaint.reference ?? complaint.complaintId),
          ],
          [t('submittedAt'), formatDateTime(complaint.filedAt)],
          [t('caseAssociation'), complaint.association.name],
          [t('caseFee'), complaint.fee.name],
          [t('caseAmount'), h('span', { class: 'money' }, formatMoney(complaint.fee.amountFen))],
          [t('handlingOffice'), progress.handlingOffice.name],
          [t('decisionDue'), formatDate(progress.decisionDueAt)],
          [t('followProgress'), t('followProgressHow')],
        ]),
        h('p', { class: 'hint' }, t('receiptNote')),
      ),
      h(
        'p',
        { class: 'actions no-print' },
        print,
        ' ',
        h(
          'a',
          { class: 'button', href: href(`/complaints/${encodeURIComponent(complaint.complaintId)}`) },
          t('viewComplaint'),
        ),
      ),
    ],
  };
};

/** 办件进度查询: the steps of a complaint for anyone holding its reference and credit code. */
export const trackPage: PageRender = ({ query }) => {
  const reference = input({
    name: 'reference',
    required: true,
    maxlength: 20,
    autocomplete: 'off',
    class: 'narrow',
    placeholder: '2026-44-000123',
  });
  const creditCode = input({
    name: 'creditCode',
    required: true,
    maxlength: 18,
    autocomplete: 'off',
    class: 'narrow',
  });
  reference.value = query.get('reference') ?? '';
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('trackSubmit'));
  const form = h(
    'form',
    { novalidate: true },
    field({ path: 'reference', label: t('referenceLabel'), hint: t('referenceHint') }, reference),
    field({ path: 'creditCode', label: t('creditCodeLabel'), hint: t('trackCreditCodeHint') }, creditCode),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    result.replaceChildren();
    submit.disabled = true;
    try {
      const progress = await bodyOf(
        api.GET('/api/public/progress', {
          params: {
            query: { reference: reference.value.trim(), creditCode: creditCode.value.trim().toUpperCase() },
          },
        }),
      );
      result.replaceChildren(
        section(
          t('trackResult', { reference: progress.reference }),
          dl([
            [t('currentStep'), tx('progressStep', progress.stage)],
            [t('handlingOffice'), progress.handlingOffice.name],
            [t('decisionDue'), formatDate(progress.decisionDueAt)],
          ]),
          progressSteps(progress.steps),
        ),
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        showIssues(form, error.details);
      else if (error instanceof ApiError && error.status === 404) showProblem(form, t('trackNotFound'));
      else if (error instanceof ApiError && error.status === 429) showProblem(form, t('trackTooMany'));
      else showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return { title: t('trackTitle'), body: [h('p', { class: 'lead' }, t('trackIntro')), form, result] };
};
