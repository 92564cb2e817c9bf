/**
 * Closing feedback on a complaint's page: the feedback given, or, while its case is closed and the 30
 * days run, the form that asks whether the refund arrived and how satisfied the complainant is.
 */
import { ClosingFeedbackInput } from '#shared/domain/closing-feedback';
import { ApiError, api, bodyOf } from '../api.ts';
import type { App } from '../app.ts';
import { h } from '../dom.ts';
import { check, clearIssues, field, radioGroup, radioOf, showIssues, showProblem, textOf } from '../forms.ts';
import { formatDateTime, formatMoney, t, tx } from '../i18n.ts';
import type { ComplaintDetail } from '../types.ts';
import { dl, section } from '../ui.ts';

const refundAnswers = [
  { value: 'true', label: () => t('refundYes') },
  { value: 'false', label: () => t('refundNo') },
  { value: 'null', label: () => t('refundNotApplicable') },
] as const;

const refundText = (received: boolean | null) =>
  received === null ? t('refundNotApplicable') : received ? t('refundYes') : t('refundNo');

const givenFeedback = (feedback: NonNullable<ComplaintDetail['feedback']>, isComplainant: boolean) =>
  section(
    isComplainant ? t('feedbackGiven') : t('feedbackOfComplainant'),
    dl([
      [t('feedbackRefundLabel'), refundText(feedback.refundReceived)],
      [t('feedbackSatisfactionLabel'), tx('satisfaction', String(feedback.satisfaction))],
      feedback.comment ? [t('feedbackComment'), h('span', { class: 'prewrap' }, feedback.comment)] : null,
      [t('feedbackGivenAt'), formatDateTime(feedback.givenAt)],
    ]),
  );

const feedbackForm = (app: App, detail: ComplaintDetail, until: string) => {
  const { complaint, case: feeCase } = detail;
  // A refund question only where a refund was recorded; otherwise the answer is "not applicable".
  const asksRefund = feeCase.refundedFen > 0;
  const submit = h('button', { type: 'submit', class: 'primary' }, t('feedbackSend'));
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    asksRefund
      ? radioGroup({
          path: 'refundReceived',
          name: 'refundReceived',
          label: t('feedbackRefund'),
          hint: t('feedbackRefundHint', { amount: formatMoney(feeCase.refundedFen) }),
          choices: refundAnswers.map((answer) => ({ value: answer.value, label: answer.label() })),
        })
      : null,
    radioGroup({
      path: 'satisfaction',
      name: 'satisfaction',
      label: t('feedbackSatisfaction'),
      choices: ['5', '4', '3', '2', '1'].map((level) => ({ value: level, label: tx('satisfaction', level) })),
    }),
    field(
      { path: 'comment', label: t('feedbackComment'), hint: t('feedbackCommentHint'), optional: true },
      h('textarea', { name: 'comment', rows: 4, maxlength: 1000 }),
    ),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    const refund = asksRefund ? radioOf(form, 'refundReceived') : 'null';
    const level = radioOf(form, 'satisfaction');
    const comment = textOf(form, 'comment');
    const body = {
      refundReceived: refund === '' ? undefined : (JSON.parse(refund) as boolean | null),
      satisfaction: level === '' ? undefined : Number(level),
      ...(comment ? { comment } : {}),
    };
    const issues = check(ClosingFeedbackInput, body);
    if (issues.length > 0) {
      showIssues(form, issues);
      return;
    }
    submit.disabled = true;
    try {
      const receipt = await bodyOf(
        api.POST('/api/complaints/{id}/feedback', {
          params: { path: { id: complaint.complaintId } },
          body: body as ClosingFeedbackInput,
        }),
      );
      app.rerender({
        kind: 'success',
        text: receipt.reopened ? t('feedbackThanksReopened') : t('feedbackThanks'),
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        showIssues(form, error.details);
      else if (error instanceof ApiError && error.status === 409)
        app.rerender({ kind: 'error', text: t('conflictBody') });
      else showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return section(
    t('feedbackTitle'),
    h('p', { class: 'lead' }, t('feedbackIntro', { until: formatDateTime(until) })),
    form,
  );
};

/** What a complaint's page shows of closing feedback: the feedback given, the form, or nothing. */
export const closingFeedback = (app: App, detail: ComplaintDetail, isComplainant: boolean) => {
  if (detail.feedback) return givenFeedback(detail.feedback, isComplainant);
  if (isComplainant && detail.feedbackUntil) return feedbackForm(app, detail, detail.feedbackUntil);
  return null;
};
