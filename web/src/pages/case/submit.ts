/**
 * Sending what a case page's forms decide: one request, then the page again with what happened. A
 * binding decision (转办, 延期, 复核, the review and the verification) first shows what will be sent, in
 * words, with "confirm" and "back to edit"; a refusal brings the form back with the reason beside it.
 */
import { ApiError, api, bodyOf } from '../../api.ts';
import type { App } from '../../app.ts';
import { type Child, h, uid } from '../../dom.ts';
import { namedRefusal, showIssues, showProblem } from '../../forms.ts';
import { t } from '../../i18n.ts';
import type { BodyOf } from '../../types.ts';
import { dl } from '../../ui.ts';

export interface Sending {
  /** The page to show again on a conflict, and after success unless `next` says otherwise. */
  reload: string;
  request: () => Promise<unknown>;
  success: string;
  /** Where to go after success, when the page of the case is no longer the reader's (a transfer). */
  next?: string;
  /** Brings the form back before a refusal is shown in it (after a confirmation step). */
  reopen?: () => void;
}

/** Sends a task action; explains a conflict by reloading the page with what changed. */
export const submitAction = async (app: App, form: HTMLFormElement, sending: Sending) => {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    await sending.request();
    app.navigate(sending.next ?? sending.reload, { kind: 'success', text: sending.success });
  } catch (error) {
    // A conflict the API names (a file, the case's limit) is the reader's to fix in the form.
    if (error instanceof ApiError && error.status === 409 && !namedRefusal(error)) {
      app.navigate(sending.reload, {
        kind: 'error',
        text: t('issueEntry', {
          label: t('conflictTitle'),
          message: t('conflictBody'),
        }),
      });
      return;
    }
    sending.reopen?.();
    if (error instanceof ApiError && error.status === 400 && error.details.length > 0) {
      showIssues(form, error.details);
    } else {
      form.querySelector('.notice')?.remove();
      showProblem(form, error);
    }
  } finally {
    if (button) button.disabled = false;
  }
};

export interface Confirmation {
  /** The question, naming what is decided: 确认将本案转交广东省市场监督管理局办理？ */
  question: string;
  /** What will be sent, as the reader typed or chose it. */
  facts: readonly (readonly [string, Child] | null)[];
  /** The confirming button, naming the act: 确认转办. */
  confirm: string;
}

/**
 * Puts the form aside for a confirmation of what it will send; "back to edit" returns to the form as
 * it was typed, "confirm" sends it.
 */
export const confirmThenSend = (
  app: App,
  form: HTMLFormElement,
  confirmation: Confirmation,
  sending: Sending,
): void => {
  const headingId = uid('confirm');
  const heading = h('h3', { id: headingId, tabindex: -1 }, confirmation.question);
  const back = h('button', { type: 'button' }, t('backToEdit'));
  const confirm = h('button', { type: 'button', class: 'primary' }, confirmation.confirm);
  const panel = h(
    'div',
    { class: 'confirm-step', role: 'group', 'aria-labelledby': headingId },
    heading,
    dl(confirmation.facts),
    h('p', { class: 'hint' }, t('confirmBinding')),
    h('div', { class: 'actions' }, confirm, back),
  );
  const reopen = () => {
    panel.remove();
    form.hidden = false;
  };
  back.addEventListener('click', () => {
    reopen();
    form.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  });
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    back.disabled = true;
    void submitAction(app, form, { ...sending, reopen });
  });
  form.hidden = true;
  form.after(panel);
  heading.focus();
};

/** `body` is read from a form and has passed the server's own schema of the task's kind (`check`). */
export const complete = (taskId: string, body: object) =>
  bodyOf(
    api.POST('/api/tasks/{id}/complete', {
      params: { path: { id: taskId } },
      body: body as BodyOf<'completeTask'>,
    }),
  );
