/**
 * The forms of the tasks a case page lets its reader act on: the regulator's decision, the
 * verification, the rectification report, and claiming or releasing a task. Each checks its body with
 * the server's own schema first; a 409 is explained and the page reloaded, never swallowed.
 */
import { rules } from '#shared/rulebook/rules';
import {
  finalVerdicts,
  orderActions,
  RectificationReport,
  ReviewDecision,
  VerificationDecision,
} from '#shared/tasks/messages';
import { api, bodyOf, type FieldIssue } from '../../api.ts';
import type { App } from '../../app.ts';
import { h, uid } from '../../dom.ts';
import { attachmentsOf, evidencePicker, filesFact } from '../../evidence-picker.ts';
import {
  check,
  checkboxGroup,
  checkedOf,
  clearIssues,
  field,
  input,
  radioGroup,
  radioOf,
  select,
  showIssues,
  textOf,
  yuanField,
} from '../../forms.ts';
import { joinList, ruleTitle, t, tx } from '../../i18n.ts';
import type { CaseView, TaskView } from '../../types.ts';
import { complete, confirmThenSend, submitAction } from './submit.ts';
import { yesNoDecisionForm } from './yes-no-decision.ts';

const evidenceKinds = [
  'NOTICE',
  'REFUND_RECEIPT',
  'PUBLISHED_STANDARD',
  'BOARD_RESOLUTION',
  'OTHER',
] as const;

export const reviewForm = (app: App, detail: CaseView, task: TaskView, reload: string) => {
  const suggested = detail.classification.suggested;
  const suggestedVerdict =
    suggested && (finalVerdicts as readonly string[]).includes(suggested.verdict) ? suggested.verdict : '';
  const evidence = evidencePicker({ purpose: 'DECISION' });
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    radioGroup({
      path: 'verdict',
      name: 'verdict',
      label: t('verdictLabel'),
      choices: finalVerdicts.map((verdict) => ({ value: verdict, label: tx('verdict', verdict) })),
      value: suggestedVerdict,
    }),
    checkboxGroup({
      path: 'ruleIds',
      name: 'ruleIds',
      label: t('rulesLabel'),
      choices: rules.map((rule) => ({
        value: rule.id,
        label: `${rule.id} ${ruleTitle(rule.id, rule.title.en)}`,
        detail: ` (${tx('verdict', rule.verdict)})`,
      })),
      values: suggested?.rules.map((rule) => rule.id) ?? [],
    }),
    field(
      { path: 'reason', label: t('reasonLabel'), hint: t('reasonHint') },
      h('textarea', { name: 'reason', rows: 4, maxlength: 2000 }),
    ),
    field(
      { path: 'orderText', label: t('orderTextLabel'), hint: t('orderTextHint'), optional: true },
      h('textarea', { name: 'orderText', rows: 4, maxlength: 2000 }),
    ),
    checkboxGroup({
      path: 'actions',
      name: 'actions',
      label: t('actionsLabel'),
      choices: orderActions.map((action) => ({ value: action, label: tx('action', action) })),
      values: suggested?.actions ?? [],
    }),
    field(
      {
        path: 'rectificationDays',
        label: t('rectificationDaysLabel'),
        hint: t('rectificationDaysHint'),
        optional: true,
      },
      input({ name: 'rectificationDays', inputmode: 'numeric', class: 'narrow', autocomplete: 'off' }),
    ),
    evidence.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('decide'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    if (!evidence.ready()) return;
    const early: FieldIssue[] = [];
    const days = textOf(form, 'rectificationDays');
    const actions = checkedOf(form, 'actions');
    const orderText = textOf(form, 'orderText');
    const body = {
      verdict: radioOf(form, 'verdict') || undefined,
      ruleIds: checkedOf(form, 'ruleIds'),
      reason: textOf(form, 'reason'),
      ...(orderText ? { orderText } : {}),
      ...(actions.length > 0 ? { actions } : {}),
      ...(days !== '' ? { rectificationDays: Number(days) } : {}),
      ...attachmentsOf(evidence),
    };
    const issues = check(ReviewDecision, body, early);
    if (issues.length > 0) return showIssues(form, issues);
    confirmThenSend(
      app,
      form,
      {
        question: t('decideConfirm'),
        facts: [
          [t('verdictLabel'), tx('verdict', body.verdict)],
          [t('finalRules'), body.ruleIds.length > 0 ? joinList(body.ruleIds) : t('none')],
          [t('finalActions'), actions.length > 0 ? joinList(actions.map((a) => tx('action', a))) : t('none')],
          body.rectificationDays !== undefined
            ? [t('rectificationDaysLabel'), t('orderDays', { n: body.rectificationDays })]
            : null,
          filesFact(evidence),
        ],
        confirm: t('decideConfirmButton'),
      },
      { reload, request: () => complete(task.taskId, body), success: t('decided') },
    );
  });
  return form;
};

export const verifyForm = (app: App, task: TaskView, reload: string) =>
  yesNoDecisionForm(app, task, reload, {
    answer: 'accepted',
    schema: VerificationDecision,
    label: t('acceptedLabel'),
    yes: t('acceptYes'),
    no: t('acceptNo'),
    send: t('verify'),
    confirmation: (accepted) => ({
      question: t(accepted ? 'verifyConfirmAccept' : 'verifyConfirmReject'),
      confirm: t('verifyConfirmButton'),
    }),
    success: t('verified'),
  });

const evidenceRow = (index: number, onRemove: (row: HTMLElement) => void): HTMLElement => {
  const row: HTMLElement = h(
    'fieldset',
    { class: 'evidence-row', 'data-path': `evidence.${index}` },
    h('legend', null, t('evidenceN', { n: index + 1 })),
    h('p', { class: 'field-error', id: uid('ev-error'), hidden: true }),
    field(
      { path: `evidence.${index}.kind`, label: t('evidenceKind') },
      select(
        'evidence.kind',
        evidenceKinds.map((kind) => ({ value: kind, label: tx('evidence', kind) })),
        {
          value: 'REFUND_RECEIPT',
        },
      ),
    ),
    field(
      {
        path: `evidence.${index}.reference`,
        label: t('evidenceReference'),
        hint: t('evidenceReferenceHint'),
      },
      input({ name: 'evidence.reference', maxlength: 500, autocomplete: 'off' }),
    ),
    index > 0
      ? h(
          'button',
          { type: 'button', class: 'link-button', onclick: () => onRemove(row) },
          t('removeEvidence', { n: index + 1 }),
        )
      : null,
  );
  return row;
};

export const reportForm = (app: App, task: TaskView, reload: string) => {
  const rows = h('div', { class: 'evidence-rows' });
  const renumber = () => {
    Array.from(rows.children).forEach((row, index) => {
      row.setAttribute('data-path', `evidence.${index}`);
      const fields = row.querySelectorAll('[data-path^="evidence."]');
      fields[0]?.setAttribute('data-path', `evidence.${index}.kind`);
      fields[1]?.setAttribute('data-path', `evidence.${index}.reference`);
      const legend = row.querySelector('legend');
      if (legend) legend.textContent = t('evidenceN', { n: index + 1 });
    });
  };
  const remove = (row: HTMLElement) => {
    row.remove();
    renumber();
    add.disabled = rows.children.length >= 20;
  };
  const add: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        const row = evidenceRow(rows.children.length, remove);
        rows.append(row);
        add.disabled = rows.children.length >= 20;
        row.querySelector('select')?.focus();
      },
    },
    t('addEvidence'),
  );
  rows.append(evidenceRow(0, remove));
  const evidence = evidencePicker({ purpose: 'RECTIFICATION', hint: t('evidenceReportHint') });
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    radioGroup({
      path: 'abolished',
      name: 'abolished',
      label: t('abolishedLabel'),
      choices: [
        { value: 'yes', label: t('yes') },
        { value: 'no', label: t('no') },
      ],
      inline: true,
    }),
    field(
      { path: 'refundedFen', label: t('refundedLabel'), hint: t('amountHint'), money: true },
      input({ name: 'refundedFen', inputmode: 'decimal', class: 'narrow', autocomplete: 'off' }),
    ),
    field(
      {
        path: 'reducedAnnualFen',
        label: t('reducedLabel'),
        hint: t('amountHint'),
        optional: true,
        money: true,
      },
      input({ name: 'reducedAnnualFen', inputmode: 'decimal', class: 'narrow', autocomplete: 'off' }),
    ),
    h(
      'fieldset',
      { class: 'field', 'data-path': 'evidence' },
      h('legend', null, t('evidenceLabel')),
      h('p', { class: 'field-error', id: uid('evidence-error'), hidden: true }),
      rows,
      add,
    ),
    evidence.element,
    field(
      { path: 'note', label: t('noteLabel'), optional: true },
      h('textarea', { name: 'note', rows: 3, maxlength: 2000 }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('report'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    if (!evidence.ready()) return;
    const early: FieldIssue[] = [];
    const abolished = radioOf(form, 'abolished');
    const refundedFen = yuanField(textOf(form, 'refundedFen'), 'refundedFen', early, true);
    const reducedAnnualFen = yuanField(textOf(form, 'reducedAnnualFen'), 'reducedAnnualFen', early);
    // Attached files may stand in for references: a reference left blank is no evidence.
    const references = Array.from(rows.children).flatMap((row) => {
      const reference = row.querySelector<HTMLInputElement>('input')?.value.trim() ?? '';
      return reference
        ? [{ kind: row.querySelector<HTMLSelectElement>('select')?.value ?? '', reference }]
        : [];
    });
    const note = textOf(form, 'note');
    const body = {
      abolished: abolished === 'yes' ? true : abolished === 'no' ? false : undefined,
      refundedFen,
      ...(reducedAnnualFen !== undefined ? { reducedAnnualFen } : {}),
      evidence: references,
      ...attachmentsOf(evidence),
      ...(note ? { note } : {}),
    };
    const issues = check(RectificationReport, body, early);
    if (issues.length > 0) return showIssues(form, issues);
    void submitAction(app, form, {
      reload,
      request: () => complete(task.taskId, body),
      success: t('reported'),
    });
  });
  return form;
};

/** Taking a task, or giving it back: one button, one POST, then the case again. */
export const claimButton = (app: App, task: TaskView, reload: string, action: 'claim' | 'release') => {
  const form = h('form', { class: 'inline-form' }, h('button', { type: 'submit' }, t(action)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitAction(app, form, {
      reload,
      request: () => bodyOf(api.POST(`/api/tasks/{id}/${action}`, { params: { path: { id: task.taskId } } })),
      success: t(action === 'claim' ? 'claimed' : 'released'),
    });
  });
  return form;
};
