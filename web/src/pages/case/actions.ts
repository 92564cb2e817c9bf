/** What the reader of a case may do now: the open tasks they can act on, each with its form. */
import type { App } from '../../app.ts';
import { type Child, h } from '../../dom.ts';
import { notice } from '../../forms.ts';
import { t, tx } from '../../i18n.ts';
import type { Identity } from '../../session.ts';
import type { CaseView, TaskView } from '../../types.ts';
import { dueDate, flagBadges } from '../../ui.ts';
import { claimButton, reportForm, reviewForm, verifyForm } from './task-forms.ts';

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

export const actionPanel = (
  app: App,
  detail: CaseView,
  identity: Identity | undefined,
  reload: string,
): Child => {
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
        `${tx('kind', task.kind)} · ${t('colDue')} `,
        dueDate(task),
        ' ',
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
