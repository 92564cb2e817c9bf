/**
 * A decision that is yes or no with an optional note: accepting a rectification, granting more time,
 * confirming a colleague's decision. One form for all three, so that each reads, checks and confirms
 * the same way; what differs is the words and the field the server expects.
 */
import type * as z from '#shared/domain/schema';
import type { App } from '../../app.ts';
import { h } from '../../dom.ts';
import { check, clearIssues, field, radioGroup, radioOf, showIssues, textOf } from '../../forms.ts';
import { t } from '../../i18n.ts';
import type { TaskView } from '../../types.ts';
import { type Confirmation, complete, confirmThenSend } from './submit.ts';

export interface YesNoDecision<Answer extends string> {
  /** The body's boolean field: `accepted`, `granted`, `confirmed`. */
  answer: Answer;
  /** The server's schema of the body, checked before anything is sent. */
  schema: z.ZodMiniType<unknown>;
  label: string;
  yes: string;
  no: string;
  noteLabel?: string;
  send: string;
  /** What the confirmation step says for the chosen answer. */
  confirmation: (yes: boolean, note: string) => Omit<Confirmation, 'facts'>;
  success: string;
  /** Extra classes of the form (the desk's cards). */
  className?: string;
}

export const yesNoDecisionForm = <Answer extends string>(
  app: App,
  task: TaskView,
  reload: string,
  decision: YesNoDecision<Answer>,
) => {
  const noteLabel = decision.noteLabel ?? t('noteLabel');
  const form = h(
    'form',
    { novalidate: true, class: ['stack', decision.className].filter(Boolean).join(' ') },
    radioGroup({
      path: decision.answer,
      name: decision.answer,
      label: decision.label,
      choices: [
        { value: 'yes', label: decision.yes },
        { value: 'no', label: decision.no },
      ],
    }),
    field(
      { path: 'note', label: noteLabel, optional: true },
      h('textarea', { name: 'note', rows: 3, maxlength: 2000 }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, decision.send)),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    const chosen = radioOf(form, decision.answer);
    const note = textOf(form, 'note');
    const body = {
      [decision.answer]: chosen === 'yes' ? true : chosen === 'no' ? false : undefined,
      ...(note ? { note } : {}),
    };
    const issues = check(decision.schema, body);
    if (issues.length > 0) return showIssues(form, issues);
    confirmThenSend(
      app,
      form,
      { ...decision.confirmation(chosen === 'yes', note), facts: [[noteLabel, note || t('none')]] },
      { reload, request: () => complete(task.taskId, body), success: decision.success },
    );
  });
  return form;
};
