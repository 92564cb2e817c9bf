/**
 * A fee case for those who act on it. Regulators (and admins) see everything: facts, the suggested
 * classification with matched rules and citations, the decision, related complaints, tasks and the
 * audit trail with its integrity check; the association sees its own case as the API redacts it (no
 * complainant unless they agreed). The open task the viewer may act on gets its form: claim (or
 * release), decide, verify, or report the rectification. A 409 is explained and the page reloaded,
 * never swallowed.
 */

import { isTimelineEvent, timelineParams } from '#shared/domain/timeline';
import type { TaskView } from '#shared/domain/views';
import type { CaseView } from '#shared/read-cases/messages';
import { rules } from '#shared/rulebook/rules';
import {
  finalVerdicts,
  orderActions,
  RectificationReport,
  ReviewDecision,
  VerificationDecision,
} from '#shared/tasks/messages';
import { ApiError, api, type FieldIssue } from '../api.ts';
import { type App, href, type PageRender } from '../app.ts';
import { type Child, h, scrollTable, table, uid } from '../dom.ts';
import {
  check,
  checkboxGroup,
  checkedOf,
  clearIssues,
  field,
  input,
  notice,
  radioGroup,
  radioOf,
  select,
  showIssues,
  showProblem,
  textOf,
  yuanField,
} from '../forms.ts';
import { timelineText } from '../i18n/timeline.ts';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  joinList,
  orderTextIn,
  provinceName,
  ruleTitle,
  t,
  tx,
} from '../i18n.ts';
import type { Identity } from '../session.ts';
import { badge, dl, factsList, flagBadges, section, stageBadge } from '../ui.ts';

type Detail = CaseView;

const evidenceKinds = [
  'NOTICE',
  'REFUND_RECEIPT',
  'PUBLISHED_STANDARD',
  'BOARD_RESOLUTION',
  'OTHER',
] as const;

const canAct = (task: TaskView, identity: Identity | undefined): boolean => {
  if (task.status !== 'OPEN' || !identity) return false;
  if (identity.role === 'association') return task.kind === 'RECTIFICATION';
  return (
    identity.role === 'regulator' &&
    task.kind !== 'INFO' &&
    task.agency === identity.agency &&
    task.province === identity.province
  );
};

/** Sends a task action; explains a conflict by reloading the page with what changed. */
const submitAction = async (
  app: App,
  form: HTMLFormElement,
  reload: string,
  request: () => Promise<unknown>,
  success: string,
) => {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    await request();
    app.navigate(reload, { kind: 'success', text: success });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      app.navigate(reload, {
        kind: 'error',
        text: t('issueEntry', {
          label: t('conflictTitle'),
          message: t('conflictBody', { message: error.message }),
        }),
      });
    } else if (error instanceof ApiError && error.status === 400 && error.details.length > 0) {
      showIssues(form, error.details);
    } else {
      form.querySelector('.notice')?.remove();
      const text =
        error instanceof ApiError && error.status === 403
          ? t('forbiddenAction', { message: error.message })
          : error instanceof Error
            ? error.message
            : String(error);
      showProblem(form, text);
    }
  } finally {
    if (button) button.disabled = false;
  }
};

const complete = (taskId: string, body: unknown) =>
  api(`/api/tasks/${encodeURIComponent(taskId)}/complete`, { method: 'POST', body });

const reviewForm = (app: App, detail: Detail, task: TaskView, reload: string) => {
  const suggested = detail.classification.suggested;
  const suggestedVerdict =
    suggested && (finalVerdicts as readonly string[]).includes(suggested.verdict) ? suggested.verdict : '';
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
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('decide'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
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
    };
    const issues = check(ReviewDecision, body, early);
    if (issues.length > 0) return showIssues(form, issues);
    void submitAction(app, form, reload, () => complete(task.taskId, body), t('decided'));
  });
  return form;
};

const verifyForm = (app: App, task: TaskView, reload: string) => {
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    radioGroup({
      path: 'accepted',
      name: 'accepted',
      label: t('acceptedLabel'),
      choices: [
        { value: 'yes', label: t('acceptYes') },
        { value: 'no', label: t('acceptNo') },
      ],
    }),
    field(
      { path: 'note', label: t('noteLabel'), optional: true },
      h('textarea', { name: 'note', rows: 3, maxlength: 2000 }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('verify'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    const accepted = radioOf(form, 'accepted');
    const note = textOf(form, 'note');
    const body = {
      accepted: accepted === 'yes' ? true : accepted === 'no' ? false : undefined,
      ...(note ? { note } : {}),
    };
    const issues = check(VerificationDecision, body);
    if (issues.length > 0) return showIssues(form, issues);
    void submitAction(app, form, reload, () => complete(task.taskId, body), t('verified'));
  });
  return form;
};

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

const reportForm = (app: App, task: TaskView, reload: string) => {
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
    field(
      { path: 'note', label: t('noteLabel'), optional: true },
      h('textarea', { name: 'note', rows: 3, maxlength: 2000 }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('report'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearIssues(form);
    const early: FieldIssue[] = [];
    const abolished = radioOf(form, 'abolished');
    const refundedFen = yuanField(textOf(form, 'refundedFen'), 'refundedFen', early, true);
    const reducedAnnualFen = yuanField(textOf(form, 'reducedAnnualFen'), 'reducedAnnualFen', early);
    const evidence = Array.from(rows.children).map((row) => ({
      kind: row.querySelector<HTMLSelectElement>('select')?.value ?? '',
      reference: row.querySelector<HTMLInputElement>('input')?.value.trim() ?? '',
    }));
    const note = textOf(form, 'note');
    const body = {
      abolished: abolished === 'yes' ? true : abolished === 'no' ? false : undefined,
      refundedFen,
      ...(reducedAnnualFen !== undefined ? { reducedAnnualFen } : {}),
      evidence,
      ...(note ? { note } : {}),
    };
    const issues = check(RectificationReport, body, early);
    if (issues.length > 0) return showIssues(form, issues);
    void submitAction(app, form, reload, () => complete(task.taskId, body), t('reported'));
  });
  return form;
};

/** Taking a task, or giving it back: one button, one POST, then the case again. */
const claimButton = (app: App, task: TaskView, reload: string, action: 'claim' | 'release') => {
  const form = h('form', { class: 'inline-form' }, h('button', { type: 'submit' }, t(action)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitAction(
      app,
      form,
      reload,
      () => api(`/api/tasks/${encodeURIComponent(task.taskId)}/${action}`, { method: 'POST' }),
      t(action === 'claim' ? 'claimed' : 'released'),
    );
  });
  return form;
};

const actionPanel = (app: App, detail: Detail, identity: Identity | undefined, reload: string): Child => {
  const tasks = detail.tasks.filter((task) => canAct(task, identity));
  if (tasks.length === 0) return null;
  return tasks.map((task) => {
    const mine = task.assignee === identity?.subject;
    const heldByOther = Boolean(task.assignee) && !mine;
    const form =
      task.kind === 'REVIEW'
        ? reviewForm(app, detail, task, reload)
        : task.kind === 'VERIFICATION'
          ? verifyForm(app, task, reload)
          : reportForm(app, task, reload);
    const title =
      task.kind === 'REVIEW'
        ? t('decideTitle')
        : task.kind === 'VERIFICATION'
          ? t('verifyTitle')
          : identity?.role === 'regulator'
            ? t('reportOnBehalf')
            : t('reportTitle');
    return h(
      'section',
      { class: 'card action-card', 'aria-labelledby': `action-${task.taskId}` },
      h('h2', { id: `action-${task.taskId}` }, t('issueEntry', { label: t('actionsTitle'), message: title })),
      h(
        'p',
        null,
        `${tx('kind', task.kind)} · ${t('colDue')} ${formatDateTime(task.dueAt)} `,
        flagBadges(task),
        identity?.role === 'regulator'
          ? ` · ${t('taskHeldBy', { who: !task.assignee ? t('unclaimed') : mine ? t('heldByYou') : t('heldBySomeone') })}`
          : null,
      ),
      identity?.role === 'regulator' && !task.assignee ? claimButton(app, task, reload, 'claim') : null,
      identity?.role === 'regulator' && mine ? claimButton(app, task, reload, 'release') : null,
      heldByOther ? notice('info', t('taskHeldBy', { who: t('heldBySomeone') })) : null,
      form,
    );
  });
};

const money = (fen: number) => h('span', { class: 'money' }, formatMoney(fen));

export const casePage: PageRender = async ({ app, params, query, identity }) => {
  const caseId = params.id ?? '';
  const reload = `/cases/${encodeURIComponent(caseId)}${query.size > 0 ? `?${query}` : ''}`;
  const detail = await api<Detail>(`/api/cases/${encodeURIComponent(caseId)}`).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  if (!detail) return { title: t('notFoundTitle'), body: notice('error', t('notFoundCase')) };
  const c = detail.case;
  // The association's view carries no complaint's amount or dates and no internal reasoning.
  const full = detail.view === 'full';
  const { suggested, final } = detail.classification;

  const summary = section(
    t('caseSummary'),
    h(
      'p',
      null,
      stageBadge(c.stage),
      ' ',
      flagBadges({
        overdue: c.flags.includes('overdue'),
        escalated: c.flags.includes('escalated'),
        attention: c.flags.includes('attention'),
      }),
    ),
    dl([
      [
        t('caseAssociation'),
        `${c.association.name}${c.association.creditCode ? ` (${c.association.creditCode})` : ''} · ${provinceName(c.association.province)}`,
      ],
      [t('caseFee'), c.fee.name],
      [t('caseCategory'), tx('category', c.fee.category)],
      full ? [t('caseAmount'), money(detail.case.fee.amountFen)] : null,
      [t('casePeriod'), tx('period', c.fee.period)],
      full ? [t('caseChargedOn'), formatDate(detail.case.fee.chargedOn)] : null,
      full && detail.case.fee.publishedStandardFen !== undefined
        ? [t('publishedStandard'), money(detail.case.fee.publishedStandardFen)]
        : null,
      [t('caseAgency'), c.agency ? tx('agency', c.agency) : '–'],
      [t('caseVerdict'), c.verdict ? tx('verdict', c.verdict) : t('verdictPending')],
      [t('caseOutcome'), c.outcome ? tx('outcome', c.outcome) : t('outcomePending')],
      [t('caseComplaints'), String(c.complaintCount)],
      [t('caseEnterprises'), String(c.enterpriseCount)],
      [t('caseClaimed'), money(c.claimedFen)],
      [t('caseRefunded'), money(c.refundedFen)],
      [t('caseReduced'), money(c.reducedAnnualFen)],
      full ? [t('caseOpened'), formatDateTime(detail.case.openedAt)] : null,
      c.closedAt ? [t('caseClosed'), formatDateTime(c.closedAt)] : null,
    ]),
  );

  const classification = section(
    t('suggestedTitle'),
    suggested
      ? [
          dl([
            [t('suggestedVerdict'), tx('verdict', suggested.verdict)],
            [t('suggestedAgency'), tx('agency', suggested.agency)],
            [
              t('suggestedActions'),
              suggested.actions.length > 0
                ? joinList(suggested.actions.map((a) => tx('action', a)))
                : t('none'),
            ],
            'refundBasisFen' in suggested ? [t('refundBasis'), money(suggested.refundBasisFen)] : null,
            [t('rulebookVersion'), suggested.rulebookVersion],
          ]),
          h('h3', null, t('matchedRules')),
          suggested.rules.length === 0
            ? h('p', null, t('noRulesMatched'))
            : h(
                'ul',
                { class: 'rules' },
                suggested.rules.map((rule) =>
                  h(
                    'li',
                    null,
                    h('strong', null, `${rule.id} `, ruleTitle(rule.id, rule.title)),
                    h(
                      'p',
                      { class: 'citation' },
                      t('issueEntry', { label: t('citation'), message: '' }),
                      h('cite', { lang: 'zh-CN' }, rule.citation),
                    ),
                  ),
                ),
              ),
        ]
      : h('p', null, t('suggestedNone')),
  );

  const decision = final
    ? section(
        t('finalTitle'),
        dl([
          [t('verdictLabel'), tx('verdict', final.verdict)],
          [t('finalRules'), final.ruleIds.length > 0 ? joinList(final.ruleIds) : t('none')],
          [
            t('finalActions'),
            final.actions.length > 0 ? joinList(final.actions.map((a) => tx('action', a))) : t('none'),
          ],
          'reason' in final ? [t('finalReason'), h('span', { class: 'prewrap' }, final.reason)] : null,
        ]),
      )
    : null;

  const order = c.order
    ? section(
        t('orderTitle'),
        dl([
          [
            t('finalActions'),
            c.order.actions.length > 0 ? joinList(c.order.actions.map((a) => tx('action', a))) : t('none'),
          ],
          [t('rectificationDaysLabel'), t('orderDays', { n: c.order.rectificationDays })],
          [t('orderDue'), formatDateTime(c.order.dueAt)],
          c.order.orderText
            ? [
                t('orderTextTitle'),
                h(
                  'span',
                  { class: 'prewrap' },
                  orderTextIn(c.order.orderText, final?.verdict, c.order.actions),
                ),
              ]
            : null,
        ]),
        c.rectification
          ? [
              h('h3', null, t('rectificationTitle')),
              dl([
                [t('rectAbolished'), c.rectification.abolished ? t('yes') : t('no')],
                [t('caseRefunded'), money(c.rectification.refundedFen)],
                c.rectification.reducedAnnualFen === undefined
                  ? null
                  : [t('caseReduced'), money(c.rectification.reducedAnnualFen)],
                [
                  t('rectEvidence'),
                  h(
                    'ul',
                    null,
                    c.rectification.evidence.map((item) =>
                      h(
                        'li',
                        null,
                        t('issueEntry', { label: tx('evidence', item.kind), message: item.reference }),
                      ),
                    ),
                  ),
                ],
                c.rectification.note ? [t('rectNote'), c.rectification.note] : null,
                [
                  t('rectAccepted'),
                  c.rectification.accepted === undefined
                    ? t('rectAcceptedPending')
                    : c.rectification.accepted
                      ? badge(t('rectAcceptedYes'), 'ok')
                      : badge(t('rectAcceptedNo'), 'overdue'),
                ],
              ]),
            ]
          : null,
      )
    : null;

  const complaints = section(
    t('relatedTitle'),
    identity?.role === 'association' ? h('p', { class: 'hint' }, t('privacyNote')) : null,
    full
      ? scrollTable(
          t('relatedTitle'),
          table(
            t('relatedTitle'),
            [t('colFiled'), t('colAmount'), t('creditCodeLabel'), t('description')],
            detail.complaints.map((complaint) => [
              // Regulators and admins open the complaint itself (with the contact details).
              h(
                'a',
                { href: href(`/complaints/${encodeURIComponent(complaint.complaintId)}`) },
                h('time', { datetime: complaint.filedAt }, formatDateTime(complaint.filedAt)),
              ),
              money(complaint.amountFen),
              complaint.enterpriseCreditCode ?? t('complaintAnonymous'),
              complaint.description ? h('span', { class: 'prewrap' }, complaint.description) : '–',
            ]),
            { captionHidden: true },
          ),
        )
      : // The association sees only the complaints of those who agreed to be named.
        [
          c.complaintCount > detail.complaints.length
            ? h('p', null, t('complaintsUndisclosed', { n: c.complaintCount - detail.complaints.length }))
            : null,
          detail.complaints.length > 0
            ? scrollTable(
                t('relatedTitle'),
                table(
                  t('relatedTitle'),
                  [t('colFiled'), t('creditCodeLabel'), t('description')],
                  detail.complaints.map((complaint) => [
                    h('time', { datetime: complaint.filedAt }, formatDateTime(complaint.filedAt)),
                    complaint.enterpriseCreditCode,
                    h('span', { class: 'prewrap' }, complaint.description),
                  ]),
                  { captionHidden: true },
                ),
              )
            : null,
        ],
  );

  const tasks = section(
    t('tasksTitle'),
    detail.tasks.length === 0
      ? h('p', null, t('none'))
      : scrollTable(
          t('tasksTitle'),
          table(
            t('tasksTitle'),
            [t('colKind'), t('colStatus'), t('colDue'), t('colAssignee'), ...(full ? [t('taskResult')] : [])],
            detail.tasks.map((task) => [
              tx('kind', task.kind),
              tx('status', task.status),
              h(
                'span',
                null,
                h('time', { datetime: task.dueAt }, formatDateTime(task.dueAt)),
                ' ',
                flagBadges(task),
              ),
              task.assignee ? (task.assignee === identity?.subject ? t('heldByYou') : task.assignee) : '–',
              ...(full
                ? [task.result ? h('code', { class: 'result' }, JSON.stringify(task.result)) : '–']
                : []),
            ]),
            { captionHidden: true },
          ),
        ),
  );

  const integrity = detail.auditIntegrity;
  const audit = section(
    t('auditTitle'),
    integrity.intact
      ? notice('success', `✓ ${t('auditIntact', { n: integrity.events ?? detail.audit.length })}`)
      : notice(
          'error',
          `✗ ${t('auditBroken', { seq: integrity.brokenAtSeq ?? '?', reason: integrity.reason ?? '' })}`,
        ),
    scrollTable(
      t('auditTitle'),
      table(
        t('auditTitle'),
        [t('colSeq'), t('colAt'), t('colEvent'), t('colStage'), t('colActor'), t('colNote')],
        detail.audit.map((event) => [
          String(event.seq),
          h('time', { datetime: event.at }, formatDateTime(event.at)),
          tx('event', event.type),
          event.stage ? tx('stage', event.stage) : '',
          // Who acted, by role; the association never sees subjects of people.
          `${tx('actor', event.actor.role)}${full && event.actor.subject ? ` (${event.actor.subject})` : ''}`,
          isTimelineEvent(event.type) ? timelineText(event.type, timelineParams(event.type, event.data)) : '',
        ]),
        { captionHidden: true },
      ),
    ),
  );

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
    title: t('caseTitle', { fee: c.fee.name }),
    body: [
      identity?.role === 'association'
        ? h('p', null, h('a', { href: href('/orders') }, `← ${t('navOrders')}`))
        : h('p', null, h('a', { href: href('/inbox') }, `← ${t('navInbox')}`)),
      summary,
      section(t('factsTitle'), factsList(detail.facts)),
      classification,
      decision,
      order,
      complaints,
      actions,
      tasks,
      audit,
    ],
  };
};
