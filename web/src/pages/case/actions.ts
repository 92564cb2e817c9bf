/**
 * What the reader of a case may do now, task by task: complete it (the regulators of its office, the
 * association on its order), claim or release it, give it to an officer or take it back (campaign
 * admins, the agency's national regulators), transfer the case (the office's regulators, admins), and
 * ask for more time on an order (the association).
 */
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import type { App } from '../../app.ts';
import { type Child, h } from '../../dom.ts';
import { notice } from '../../forms.ts';
import { officeStaff } from '../../i18n/offices.ts';
import { t, tx } from '../../i18n.ts';
import type { Identity } from '../../session.ts';
import type { CaseView, TaskView } from '../../types.ts';
import { dueDate, flagBadges } from '../../ui.ts';
import {
  assignForm,
  extensionDecisionForm,
  extensionRequestForm,
  secondReviewForm,
  takeBackButton,
  transferForm,
} from './desk-forms.ts';
import { decisionList } from './sections.ts';
import { claimButton, reportForm, reviewForm, verifyForm } from './task-forms.ts';

type Kind = TaskView['kind'];

const inOffice = (task: TaskView, identity: Identity | undefined) =>
  identity?.role === 'regulator' && task.agency === identity.agency && task.province === identity.province;

const canComplete = (task: TaskView, identity: Identity | undefined): boolean =>
  identity?.role === 'association'
    ? task.kind === 'RECTIFICATION'
    : inOffice(task, identity) && task.kind !== 'INFO';

/** The regulators' own work; the association's order and the complainant's question are not assigned. */
const assignable: readonly Kind[] = ['REVIEW', 'VERIFICATION', 'EXTENSION', 'SECOND_REVIEW'];
const canAssign = (task: TaskView, identity: Identity | undefined): boolean =>
  assignable.includes(task.kind) &&
  (identity?.role === 'campaign-admin' ||
    (identity?.role === 'regulator' &&
      identity.province === NATIONAL_PROVINCE &&
      identity.agency === task.agency));

const canTransfer = (task: TaskView, identity: Identity | undefined): boolean =>
  (task.kind === 'REVIEW' || task.kind === 'VERIFICATION') &&
  (identity?.role === 'campaign-admin' || inOffice(task, identity));

/** The regulator who proposed the decision a second review checks (four eyes: not its reviewer). */
const proposerOf = (detail: CaseView): string | undefined =>
  detail.audit.findLast((event) => event.type === 'REVIEW_PROPOSED')?.actor.subject;

/**
 * Whether the association already asked for more time on the order (once per order, also when a
 * rejected report reopened it as a new task): a request recorded since the order was issued.
 */
const extensionAsked = (detail: CaseView): boolean => {
  const issued = detail.audit.findLast((event) => event.type === 'ORDER_ISSUED')?.seq ?? 0;
  return detail.audit.some((event) => event.type === 'EXTENSION_REQUESTED' && event.seq > issued);
};

const titleOf = (task: TaskView, identity: Identity | undefined): string => {
  if (!canComplete(task, identity)) return t('deskTitle');
  switch (task.kind) {
    case 'REVIEW':
      return t('decideTitle');
    case 'VERIFICATION':
      return t('verifyTitle');
    case 'EXTENSION':
      return t('extensionDecideTitle');
    case 'SECOND_REVIEW':
      return t('secondReviewTitle');
    default:
      return identity?.role === 'regulator' ? t('awaitReportTitle') : t('reportTitle');
  }
};

const completionForm = (
  app: App,
  detail: CaseView,
  task: TaskView,
  identity: Identity | undefined,
  reload: string,
): Child => {
  switch (task.kind) {
    case 'REVIEW':
      return reviewForm(app, detail, task, reload);
    case 'VERIFICATION':
      return verifyForm(app, task, reload);
    case 'EXTENSION':
      return extensionDecisionForm(app, task, reload);
    case 'SECOND_REVIEW': {
      const final = detail.classification.final;
      const underReview = h(
        'div',
        { class: 'under-review' },
        h('h3', null, t('secondReviewUnder')),
        final ? decisionList(final) : h('p', null, t('none')),
      );
      const own = identity?.subject !== undefined && proposerOf(detail) === identity.subject;
      return h(
        'div',
        { class: 'review-beside' },
        underReview,
        own ? notice('info', t('secondReviewOwn')) : secondReviewForm(app, task, reload, final?.verdict),
      );
    }
    default:
      // The order is the association's to answer: the regulator's next step is to wait for its
      // report and then verify; reporting on its behalf stays at hand, folded away.
      return identity?.role === 'regulator'
        ? [
            h('p', null, t('awaitReportBody')),
            h(
              'details',
              { class: 'desk-action' },
              h('summary', null, t('reportOnBehalf')),
              reportForm(app, task, reload),
            ),
          ]
        : reportForm(app, task, reload);
  }
};

/** A card of its own for what concerns the case beside the task's form: a transfer, more time. */
const deskCard = (task: TaskView, name: string, title: string, ...children: Child[]) =>
  h(
    'section',
    { class: 'card desk-card', 'aria-labelledby': `${name}-${task.taskId}` },
    h('h2', { id: `${name}-${task.taskId}` }, title),
    ...children,
  );

/**
 * Who holds the task, as its reader may know it: an assigner sees the holder's office (a sign-in's
 * subject names nobody a person knows).
 */
const holderOf = (task: TaskView, identity: Identity | undefined, assigner: boolean) => {
  const mine = task.assignee === identity?.subject;
  if (!task.assignee) return t('unclaimed');
  if (mine) return t('heldByYou');
  return assigner ? officeStaff(task.agency, task.province) : t('heldBySomeone');
};

export const actionPanel = (
  app: App,
  detail: CaseView,
  identity: Identity | undefined,
  reload: string,
): Child => {
  const tasks = detail.tasks.filter(
    (task) =>
      task.status === 'OPEN' &&
      (canComplete(task, identity) || canAssign(task, identity) || canTransfer(task, identity)),
  );
  if (tasks.length === 0) return null;
  // A transferred case may leave the reader's jurisdiction: a regulator goes back to the inbox.
  const afterTransfer = identity?.role === 'campaign-admin' ? reload : '/inbox';
  return tasks.map((task) => {
    const office = inOffice(task, identity);
    const assigner = canAssign(task, identity);
    const mine = task.assignee === identity?.subject;
    const heldByOther = office && Boolean(task.assignee) && !mine;
    const completes = canComplete(task, identity);
    return [
      completes || assigner
        ? h(
            'section',
            { class: 'card action-card', 'aria-labelledby': `action-${task.taskId}` },
            h(
              'h2',
              { id: `action-${task.taskId}` },
              t('issueEntry', { label: t('actionsTitle'), message: titleOf(task, identity) }),
            ),
            h(
              'p',
              null,
              `${tx('kind', task.kind)} · ${t('colDue')} `,
              dueDate(task),
              ' ',
              flagBadges(task),
              office || assigner
                ? ` · ${t('taskHeldBy', { who: holderOf(task, identity, assigner) })}`
                : null,
            ),
            // The order is the association's to answer: the office does not take it on as its own.
            office && !task.assignee && task.kind !== 'RECTIFICATION'
              ? claimButton(app, task, reload, 'claim')
              : null,
            office && mine ? claimButton(app, task, reload, 'release') : null,
            heldByOther ? notice('info', t('taskHeldBy', { who: t('heldBySomeone') })) : null,
            completes ? completionForm(app, detail, task, identity, reload) : null,
            assigner
              ? h(
                  'div',
                  { class: 'desk-assign' },
                  h('h3', null, t('assignTitle')),
                  task.assignee ? takeBackButton(app, task, reload) : null,
                  assignForm(app, task, reload),
                )
              : null,
          )
        : null,
      canTransfer(task, identity)
        ? deskCard(
            task,
            'transfer',
            t('transferTitle'),
            h(
              'details',
              { class: 'desk-action' },
              h('summary', null, t('transferOpen')),
              transferForm(app, task, reload, afterTransfer),
            ),
          )
        : null,
      identity?.role === 'association' && task.kind === 'RECTIFICATION'
        ? deskCard(
            task,
            'extension',
            t('extensionTitle'),
            extensionAsked(detail)
              ? notice('info', t('extensionAlreadyAsked'))
              : h(
                  'details',
                  { class: 'desk-action' },
                  h('summary', null, t('extensionOpen')),
                  extensionRequestForm(app, task, reload),
                ),
          )
        : null,
    ];
  });
};
