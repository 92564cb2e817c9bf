/** The complainant answers a regulator's request for information: a note and any facts now known. */
import { InfoAnswer } from '#shared/tasks/messages';
import { ApiError, api, bodyOf, type FieldIssue } from '../api.ts';
import type { PageRender } from '../app.ts';
import { h } from '../dom.ts';
import { attachmentsOf, evidencePicker } from '../evidence-picker.ts';
import {
  check,
  clearIssues,
  field,
  namedRefusal,
  notice,
  showIssues,
  showProblem,
  textOf,
} from '../forms.ts';
import { t } from '../i18n.ts';
import { factQuestions, readFacts } from '../ui.ts';

export const infoPage: PageRender = async ({ app, params }) => {
  const taskId = params.taskId ?? '';
  const tasks = await bodyOf(
    api.GET('/api/tasks', { params: { query: { kind: 'INFO', status: 'OPEN', limit: 100 } } }),
  );
  const task = tasks.items.find((candidate) => candidate.taskId === taskId);
  if (!task) {
    return {
      title: t('infoTitle'),
      body: [
        notice('info', t('infoNotFound')),
        h('p', null, h('a', { href: '#/complaints' }, t('navComplaints'))),
      ],
    };
  }
  const submit = h('button', { type: 'submit', class: 'primary' }, t('infoSend'));
  const evidence = evidencePicker({ purpose: 'INFO' });
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    h(
      'fieldset',
      { class: 'card' },
      h('legend', null, t('infoNote')),
      field(
        { path: 'note', label: t('infoNote'), hint: t('noteHint') },
        h('textarea', { name: 'note', rows: 5, maxlength: 2000 }),
      ),
    ),
    h('fieldset', { class: 'card facts' }, h('legend', null, t('sectionFacts')), ...factQuestions()),
    h('fieldset', { class: 'card' }, h('legend', null, t('attachmentsTitle')), evidence.element),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    if (!evidence.ready()) return;
    const early: FieldIssue[] = [];
    const facts = readFacts(form, early);
    const body = {
      note: textOf(form, 'note'),
      ...(Object.keys(facts).length > 0 ? { facts } : {}),
      ...attachmentsOf(evidence),
    };
    const issues = check(InfoAnswer, body, early);
    if (issues.length > 0) {
      showIssues(form, issues);
      return;
    }
    submit.disabled = true;
    try {
      await bodyOf(api.POST('/api/tasks/{id}/complete', { params: { path: { id: task.taskId } }, body }));
      app.navigate('/complaints', { kind: 'success', text: t('infoSent') });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        showIssues(form, error.details);
      else if (error instanceof ApiError && error.status === 409 && !namedRefusal(error))
        app.rerender({ kind: 'error', text: t('conflictBody') });
      else {
        showProblem(form, error);
      }
    } finally {
      submit.disabled = false;
    }
  });
  const question = task.question
    ? h(
        'section',
        { class: 'card', 'aria-labelledby': 'info-question' },
        h('h2', { id: 'info-question' }, t('infoQuestion')),
        h('blockquote', { class: 'question' }, task.question),
        task.feeName
          ? h('p', null, t('infoAbout', { fee: task.feeName, association: task.associationName ?? '' }))
          : null,
      )
    : null;
  return { title: t('infoTitle'), body: [h('p', { class: 'lead' }, t('infoIntro')), question, form] };
};
