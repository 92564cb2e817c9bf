/**
 * The campaign admin imports the association register (社会组织登记信息) as a civil-affairs office
 * publishes it, CSV or XLSX, and reads what the import did: rows accepted, changed, unchanged, and each
 * refused row with its reason (docs/associations.md, "Registry").
 */

import type { components } from '#shared/http/api-types';
import { api, bodyOf } from '../api.ts';
import type { PageRender } from '../app.ts';
import { h, scrollTable, table } from '../dom.ts';
import { clearIssues, field, notice, showProblem } from '../forms.ts';
import { t } from '../i18n.ts';

type Report = components['schemas']['RegisterImportReport'];

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file's media type as the API takes it: by its ending, since browsers name CSV files inconsistently. */
const mediaTypeOf = (file: File) => (/\.xlsx$/i.test(file.name) ? xlsxType : 'text/csv');

const reportOf = (report: Report): HTMLElement =>
  h(
    'section',
    { class: 'card stack', 'aria-labelledby': 'registry-report' },
    h('h2', { id: 'registry-report' }, t('registryReport')),
    h(
      'p',
      { role: 'status' },
      t('registryCounts', {
        rows: report.rows,
        accepted: report.accepted,
        changed: report.changed,
        unchanged: report.unchanged,
        refused: report.refused.length,
      }),
    ),
    report.refused.length === 0
      ? null
      : scrollTable(
          t('registryRefused'),
          table(
            t('registryRefused'),
            [t('registryRow'), t('registryReason'), t('associationCreditCode')],
            report.refused.map((refusal) => [
              String(refusal.row),
              refusal.firstRow
                ? t('registryDuplicateOf', { row: refusal.firstRow })
                : t(`registryReason.${refusal.reason}`),
              h('span', { class: 'code' }, refusal.creditCode ?? ''),
            ]),
          ),
        ),
  );

export const registryPage: PageRender = () => {
  const picker = h('input', {
    type: 'file',
    name: 'register',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('registryImport'));
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    h(
      'fieldset',
      { class: 'card' },
      h('legend', null, t('registryFile')),
      field({ path: 'file', label: t('registryFile'), hint: t('registryFileHint') }, picker),
    ),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    result.replaceChildren();
    const file = picker.files?.[0];
    if (!file) {
      showProblem(form, new Error(t('registryChooseFile')));
      return;
    }
    submit.disabled = true;
    try {
      const report = await bodyOf(
        api.POST('/api/admin/associations/import', {
          // The file goes as it is, not as JSON.
          body: file as never,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { 'content-type': mediaTypeOf(file) },
        }),
      );
      result.replaceChildren(reportOf(report));
    } catch (problem) {
      showProblem(form, problem);
    } finally {
      submit.disabled = false;
    }
  });
  return {
    title: t('registryTitle'),
    body: [h('p', null, t('registryIntro')), form, result, notice('info', t('registryColumns'))],
  };
};
