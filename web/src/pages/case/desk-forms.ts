/**
 * The regulator's desk on a case page: giving a task to an officer (指派) or taking it back, transferring
 * the case to the office that should handle it (转办), the association's request for more time (申请延期),
 * the regulators' answer to it, and the second review (复核) of an unlawful-fee decision. What binds is
 * confirmed before it is sent.
 */
import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { MAX_EXTENSION_WORKING_DAYS } from '#shared/domain/fee-task';
import {
  AssignTaskBody,
  ExtensionDecision,
  ExtensionRequest,
  SecondReviewDecision,
  TransferCaseBody,
} from '#shared/tasks/messages';
import { api, bodyOf, type FieldIssue } from '../../api.ts';
import type { App } from '../../app.ts';
import { attachmentsBlock } from '../../attachments.ts';
import { h } from '../../dom.ts';
import { attachmentsOf, evidencePicker, filesFact } from '../../evidence-picker.ts';
import { check, clearIssues, field, input, select, showIssues, textOf } from '../../forms.ts';
import { officeName } from '../../i18n/offices.ts';
import { formatDate, t, tx } from '../../i18n.ts';
import type { TaskView } from '../../types.ts';
import { agencyChoices, dl, provinceChoices } from '../../ui.ts';
import { confirmThenSend, submitAction } from './submit.ts';
import { yesNoDecisionForm } from './yes-no-decision.ts';

const submitButton = (label: string) =>
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, label));

/** Gives the task to a named officer (their sign-in's subject). */
export const assignForm = (app: App, task: TaskView, reload: string) => {
  const form = h(
    'form',
    { novalidate: true, class: 'stack desk-form' },
    field(
      { path: 'assignee', label: t('assigneeLabel'), hint: t('assigneeHint') },
      input({ name: 'assignee', maxlength: 200, autocomplete: 'off', spellcheck: false }),
    ),
    submitButton(t('assign')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    const body = { assignee: textOf(form, 'assignee') };
    const issues = check(AssignTaskBody, body);
    if (issues.length > 0) return showIssues(form, issues);
    void submitAction(app, form, {
      reload,
      request: () =>
        bodyOf(api.POST('/api/tasks/{id}/assign', { params: { path: { id: task.taskId } }, body })),
      success: t('assigned', { who: body.assignee }),
    });
  });
  return form;
};

/** Takes an assigned task back: nobody holds it, and the office may claim it again. */
export const takeBackButton = (app: App, task: TaskView, reload: string) => {
  const form = h('form', { class: 'inline-form' }, h('button', { type: 'submit' }, t('takeBack')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitAction(app, form, {
      reload,
      request: () =>
        bodyOf(
          api.POST('/api/tasks/{id}/assign', {
            params: { path: { id: task.taskId } },
            body: { assignee: null },
          }),
        ),
      success: t('takenBack'),
    });
  });
  return form;
};

/**
 * Transfers the case to another office, with the reason. The reader may not see the case once it is
 * elsewhere: `next` is where they go after.
 */
export const transferForm = (app: App, task: TaskView, reload: string, next: string) => {
  const from = officeName(task.agency, task.province) ?? task.agency;
  const form = h(
    'form',
    { novalidate: true, class: 'stack desk-form' },
    h('p', { class: 'hint' }, t('transferIntro', { office: from })),
    field(
      { path: 'agency', label: t('transferAgency') },
      select('agency', agencyChoices(), { placeholder: t('choose') }),
    ),
    field(
      { path: 'province', label: t('transferProvince') },
      select('province', provinceChoices([NATIONAL_PROVINCE, ...provinceCodes]), {
        placeholder: t('choose'),
      }),
    ),
    field(
      { path: 'reason', label: t('transferReason'), hint: t('transferReasonHint') },
      h('textarea', { name: 'reason', rows: 3, maxlength: 2000 }),
    ),
    submitButton(t('transfer')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    const body = {
      agency: textOf(form, 'agency') || undefined,
      province: textOf(form, 'province') || undefined,
      reason: textOf(form, 'reason'),
    };
    // The server's own refusal, said before the confirmation rather than after it.
    const early: FieldIssue[] =
      body.agency === task.agency && body.province === task.province
        ? [{ path: 'province', code: 'same_office', message: 'the case is already with this office' }]
        : [];
    const issues = check(TransferCaseBody, body, early);
    if (issues.length > 0) return showIssues(form, issues);
    const checked = body as TransferCaseBody;
    const office = officeName(checked.agency, checked.province) ?? checked.agency;
    confirmThenSend(
      app,
      form,
      {
        question: t('transferConfirm', { office }),
        facts: [
          [t('transferFrom'), from],
          [t('transferTo'), office],
          [t('transferReason'), h('span', { class: 'prewrap' }, checked.reason)],
        ],
        confirm: t('transferConfirmButton'),
      },
      {
        reload,
        next,
        request: () =>
          bodyOf(
            api.POST('/api/cases/{id}/transfer', { params: { path: { id: task.caseId } }, body: checked }),
          ),
        success: t('transferred', { office }),
      },
    );
  });
  return form;
};

/**
 * The association asks once for more time on its order. The new due date counts working days on the
 * campaign's calendar (holidays the portal does not hold), so the confirmation names the days.
 */
export const extensionRequestForm = (app: App, task: TaskView, reload: string) => {
  const evidence = evidencePicker({ purpose: 'RECTIFICATION' });
  const form = h(
    'form',
    { novalidate: true, class: 'stack desk-form' },
    h('p', { class: 'hint' }, t('extensionIntro', { max: MAX_EXTENSION_WORKING_DAYS })),
    field(
      {
        path: 'days',
        label: t('extensionDays'),
        hint: t('extensionDaysHint', { max: MAX_EXTENSION_WORKING_DAYS }),
      },
      input({ name: 'days', inputmode: 'numeric', class: 'narrow', autocomplete: 'off' }),
    ),
    field(
      { path: 'reason', label: t('extensionReason'), hint: t('noteHint') },
      h('textarea', { name: 'reason', rows: 3, maxlength: 2000 }),
    ),
    evidence.element,
    submitButton(t('extensionAsk')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    if (!evidence.ready()) return;
    const days = textOf(form, 'days');
    const body = {
      ...(days !== '' ? { days: Number(days) } : {}),
      reason: textOf(form, 'reason'),
      ...attachmentsOf(evidence),
    };
    const issues = check(ExtensionRequest, body);
    if (issues.length > 0) return showIssues(form, issues);
    const checked = body as ExtensionRequest;
    confirmThenSend(
      app,
      form,
      {
        question: t('extensionConfirm', { days: checked.days }),
        facts: [
          [t('extensionCurrentDue'), formatDate(task.dueAt)],
          [t('extensionDays'), t('orderDays', { n: checked.days })],
          [t('extensionReason'), h('span', { class: 'prewrap' }, checked.reason)],
          filesFact(evidence),
        ],
        confirm: t('extensionConfirmButton'),
      },
      {
        reload,
        request: () =>
          bodyOf(
            api.POST('/api/tasks/{id}/extension', { params: { path: { id: task.taskId } }, body: checked }),
          ),
        success: t('extensionAsked'),
      },
    );
  });
  return form;
};

/** The regulators grant the association's request, or refuse it; the confirmation names the due date. */
export const extensionDecisionForm = (app: App, task: TaskView, reload: string) => {
  const request = task.extension;
  const form = yesNoDecisionForm(app, task, reload, {
    answer: 'granted',
    schema: ExtensionDecision,
    label: t('extensionGrantedLabel'),
    yes: t('extensionGrant'),
    no: t('extensionRefuse'),
    send: t('extensionDecide'),
    className: 'desk-form',
    confirmation: (granted) => {
      const due = granted ? request?.requestedDueAt : request?.currentDueAt;
      return {
        question: granted
          ? due
            ? t('extensionGrantConfirm', { due: formatDate(due) })
            : t('extensionGrantConfirmDays', { days: request?.days ?? '' })
          : due
            ? t('extensionRefuseConfirm', { due: formatDate(due) })
            : t('extensionRefuseConfirmPlain'),
        confirm: t('extensionDecideConfirmButton'),
      };
    },
    success: t('extensionDecided'),
  });
  return [
    request
      ? dl([
          [t('extensionDays'), t('orderDays', { n: request.days })],
          [t('extensionReason'), h('span', { class: 'prewrap' }, request.reason)],
          [t('extensionCurrentDue'), formatDate(request.currentDueAt)],
          [t('extensionRequestedDue'), formatDate(request.requestedDueAt)],
        ])
      : null,
    attachmentsBlock(t('attachmentsTitle'), task.attachments),
    form,
  ];
};

/** A second regulator confirms the decision under review, or sends the case back to be reviewed again. */
export const secondReviewForm = (app: App, task: TaskView, reload: string, verdict: string | undefined) =>
  yesNoDecisionForm(app, task, reload, {
    answer: 'confirmed',
    schema: SecondReviewDecision,
    label: t('secondReviewLabel'),
    yes: t('secondReviewConfirm'),
    no: t('secondReviewRefuse'),
    noteLabel: t('secondReviewNote'),
    send: t('secondReviewSend'),
    className: 'desk-form',
    confirmation: (confirmed) => ({
      question: confirmed
        ? t('secondReviewConfirmQuestion', { verdict: tx('verdict', verdict) })
        : t('secondReviewRefuseQuestion'),
      confirm: t('secondReviewConfirmButton'),
    }),
    success: t('secondReviewDecided'),
  });
